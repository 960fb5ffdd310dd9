"""The consultant marketplace in chat, through the engine: a consultant fills in a profile
(one question at a time), adds a photo and goes live; a seeker finds them with a misspelt
search, opens the page, books a free time in at most 4 taps; the consultant accepts; the seeker
authorises the payment with the test card; at the start both join, talk with the clock, end at
minute 25 (charged, commission deducted, paid out); the seeker reviews; the consultant reads
the figures with a chart."""

from __future__ import annotations

from conversations.messages import Choice, FileUpload, ImageReply, ListPage, go
from core.catalog.media import FileStore
from core.consulting.bookings import due
from core.consulting.profiles import service as profiles
from core.money.model import Money
from tests.consulting import chat_fakes as in_memory
from tests.consulting.booking_fakes import MemoryDiary
from tests.consulting.fakes import MemoryListing
from tests.consulting.helpers import PNG, consultant
from tests.deals.chat_helpers import last_notice
from tests.support.accounts import account_id, registered
from tests.support.chat import ChatUser


async def _consultant_goes_live(app, tmp_path) -> ChatUser:
    await registered(app, "cora", roles=("consultant",), display_name="Cora Lind",
                     country="LV", city="Riga", timezone="Europe/Riga")
    cora = ChatUser(app, "cora")
    await cora.say("/consultant")
    await cora.say("Pellet quality auditor")
    await cora.say("Fifteen years auditing ENplus pellet plants and biomass supply chains.")
    await cora.tap("Pellet quality")
    await cora.tap("Done")
    await cora.say("English, Latvian")
    await cora.tap("Per session")
    await cora.tap("60 minutes")
    await cora.say("90")
    await cora.say("Mon-Sun 08:00-20:00")
    assert "Still needed: a photo" in cora.texts()
    photo = tmp_path / "cora.png"
    photo.write_bytes(PNG)
    await cora.tap("Photo")
    await cora.send(FileUpload(str(photo), "cora.png", "image/png", len(PNG), "photo"))
    assert "Photo saved" in cora.texts() and "tap Go live" in cora.texts()
    await cora.tap("Go live")  # first the billing details her session receipts carry
    assert "billing details, for the receipts of your sessions" in cora.texts()
    await cora.tap("Keep")  # her name
    await cora.say("Brīvības iela 10")
    await cora.say("LV-1010")
    await cora.tap("Keep")  # Riga
    await cora.tap("Keep")  # Latvia
    await cora.say("LV123")  # not a Latvian VAT number: asked again, at that question
    assert "VAT number" in cora.texts() and "Live:" not in cora.texts()
    await cora.tap("Skip")  # not registered for VAT
    assert "Live: seekers can find and book you" in cora.texts()
    return cora


async def _booking_start(app):
    from sqlalchemy import select

    from core.consulting.tables import Booking

    async with app.uow() as uow:
        return (await uow.session.execute(select(Booking.starts_at))).scalar_one()



async def test_a_profile_goes_live_is_booked_in_four_taps_held_paid_and_reviewed(app, tmp_path,
                                                                                   clock):
    cora = await _consultant_goes_live(app, tmp_path)
    await registered(app, "sid", roles=("seeker",), display_name="Sid",
                     timezone="Europe/Berlin")
    sid = ChatUser(app, "sid")
    await sid.say("/consultants")
    await sid.say("pelet qualty")  # typos forgiven
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    assert "Cora Lind" in page.items[0].title and "next free" in page.items[0].subtitle
    taps = 0
    await sid.send(Choice(page.items[0].button.data))
    taps += 1
    assert "Rate: " in sid.texts() and "Next free (Europe/Berlin)" in sid.texts()
    await sid.tap("Book a time")
    taps += 1
    first = next(b for r in sid.last for row in r.buttons for b in row if "|t:" in b.data)
    await sid.send(Choice(first.data))
    taps += 1
    await sid.tap("Skip")  # the topic is optional
    taps += 1
    assert "Requested" in sid.texts() and taps <= 4
    await sid.tap("The booking")
    assert "At most: €90.00" in sid.texts() and "cancel" in sid.texts().lower()
    # The notice is written for Cora, in her format (Latvia), the booking card in Sid's.
    assert "asks for a 60-minute session (up to 90,00\xa0€)" in await last_notice(app, cora, "asks")
    await cora.tap("Accept")
    assert "Confirmed" in cora.texts()
    assert "Free cancellation up to 24 hours before" in await last_notice(app, sid, "Confirmed")
    await last_notice(app, sid, "Authorise up to €90.00")
    await sid.tap("Authorise")
    await sid.say("4242 4242 4242 4242")
    assert "Authorised €90.00: nothing is charged until the session" in sid.texts()

    # At the start both are called to join; the session runs in chat with the clock.
    booking = await _booking_start(app)
    clock._now = booking
    assert await due.run_all(app.uow, app.payments)
    await last_notice(app, cora, "starts now")
    await cora.tap("Join")
    await last_notice(app, sid, "starts now")
    await sid.tap("Join")
    assert "In session — ⏱ 00:00 · free" in sid.texts()
    await sid.say("How do I pass the ENplus audit?")
    assert "ENplus audit" in await last_notice(app, cora, "ENplus audit")
    clock.advance(minutes=25)
    await cora.say("Start with the moisture logs.")
    await sid.say("Thanks, that helps.")
    assert "⏱ 25:00 · paid" in sid.texts()
    await sid.tap("End the session")
    assert "is charged; the receipt follows" in sid.texts()
    price = Money.parse("90", "EUR")
    paid = (await app.payments.wallet(await account_id(app, "cora"))).paid_out
    assert paid == [price - app.payments.commission_for("consulting", price)]

    # The seeker reviews; the consultant reads the figures with a chart.
    await sid.tap("Review")  # on the answer that ended the session
    await sid.tap("★★★★★")
    await sid.say("Very practical.")
    await sid.tap("Skip")  # not quoted on the website
    await cora.say("/metrics")
    [chart] = [r for r in cora.last if isinstance(r, ImageReply)]
    assert chart.content.startswith(b"\x89PNG")
    assert "Sessions: 1 (1 paid), 25 minutes" in cora.texts()
    assert "★ 5" in cora.texts()


async def test_a_consultants_home_shows_their_figures_and_no_empty_deals(app, tmp_path):
    from conversations.messages import Envelope, Text

    await _consultant_goes_live(app, tmp_path)
    home = await app.engine.home(Envelope("terminal", "cora", "cora", Text("")))
    texts = [getattr(r, "text", "") for r in home]
    assert any("📈 Your consulting" in t and "Sessions: 0" in t for t in texts)
    assert not any("Your deals" in t for t in texts)


async def test_a_one_line_search_sets_filters_shown_as_chips_that_remove_them(tmp_path):
    diary, listing = MemoryDiary(), MemoryListing()  # on the consultants' fakes
    await in_memory.listed(diary, listing, FileStore(tmp_path), 1, "Cora Lind", price="90.00",
                           categories=["pellet-quality"], languages=["en", "lv"])
    diary.person(2, "Sid", zone="Europe/Riga")
    sid = ChatUser(await in_memory.in_chat(diary, listing=listing), "sid")
    await sid.say("/consultants")
    await sid.say("audits in german under 50 eur")
    assert "No consultant matches" in sid.texts()
    assert {"✕ German", "✕ ≤ €50.00/h"} <= set(sid.labels())
    await sid.tap("✕ German")
    await sid.tap("✕ ≤ €50.00")
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    assert "Cora Lind" in page.items[0].title


async def test_a_consultant_buys_a_promotion_and_is_featured_once_paid(app, tmp_path):
    cora = await _consultant_goes_live(app, tmp_path)
    await cora.tap("Be featured")
    await cora.tap("Pellet quality & certification · 7 days")
    assert "19,00\xa0€: pay when the payment notice comes" in cora.texts()
    await last_notice(app, cora, "Featured in")
    await cora.tap("Pay")
    await cora.say("4242 4242 4242 4242")
    assert "You are featured in" in await last_notice(app, cora, "You are featured")
    await registered(app, "sid", roles=("seeker",), display_name="Sid")
    sid = ChatUser(app, "sid")
    await sid.say("/consultants")
    await sid.say("pellet quality")
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    assert page.items[0].title.startswith("⭐ Featured · Cora Lind")
    await cora.say("/consultant")
    assert "1 impressions" in cora.texts()


async def test_a_promotion_ending_is_told_once_with_renew(app, tmp_path, clock):
    from core.consulting.profiles import promotions

    cora = await _consultant_goes_live(app, tmp_path)
    async with app.uow() as uow:
        await promotions.promote(uow, None, await account_id(app, "cora"), "pellet-quality", 7)
        await uow.commit()
    clock.advance(days=5, seconds=1)
    for expected in (1, 0):  # the second run finds nothing more to say
        async with app.uow() as uow:
            assert await promotions.remind_ending(uow) == expected
            await uow.commit()
    await last_notice(app, cora, "ends on")
    await cora.tap("Renew")
    assert "Be featured at the top" in cora.texts()


async def test_a_seeker_who_never_came_leaves_the_fee_to_the_consultant_in_chat(app, clock):
    from core.consulting.sessions import service as sessions
    from tests.consulting.helpers import confirmed, consultant, seeker
    from tests.consulting.test_booking_paths import MONDAY_10, authorised, escrow

    ann, bob = await consultant(app), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    await authorised(app, booking.id)
    clock._now = MONDAY_10
    await due.run_all(app.uow, app.payments)
    ann_chat = ChatUser(app, "ann")
    await last_notice(app, ann_chat, "starts now")
    await ann_chat.tap("Join")
    clock.advance(minutes=10)
    async with app.uow() as uow:
        await sessions.run_due(uow)
        await uow.commit()
    notice = await last_notice(app, ann_chat, "lets you charge")
    assert "charge the no-show fee of €80.00, or waive it" in notice
    await ann_chat.tap("Waive the fee")
    assert "The fee is waived" in ann_chat.texts()
    await last_notice(app, ann_chat, "lets you charge")
    await ann_chat.tap("Charge €80.00")  # the old notice's other button: already decided
    assert "no longer possible: the booking has moved on" in ann_chat.texts()
    assert (await escrow(app, booking.id)).state == "voided"
    assert "Nothing is charged" in await last_notice(app, ChatUser(app, "bob"), "did not join")


async def test_a_consultant_online_stays_online_while_active_in_chat_and_lapses_after(app, clock):
    """The composition root hands the engine the consulting context's `after_turn`: on the
    database, a consultant's turn renews “online now”; only inactivity lets it lapse."""
    ann = await consultant(app, "ann")
    async with app.uow() as uow:
        await profiles.set_online(uow, ann.id, True)
        await uow.commit()
    chat = ChatUser(app, "ann")
    for _ in range(2):  # an hour in all, a turn every 29 minutes: online throughout
        clock.advance(minutes=29)
        await chat.say("/help")
        async with app.uow() as uow:
            assert profiles.is_online(await profiles.own_profile(uow, ann.id), clock.now())
    clock.advance(minutes=31)  # no turn for longer than the setting's 30 minutes
    async with app.uow() as uow:
        assert not profiles.is_online(await profiles.own_profile(uow, ann.id), clock.now())


async def test_an_inspector_is_asked_the_countries_they_sample_in_typed_in_their_language(app):
    """Only with “Sampling and lab analysis” are the fee and the countries asked; the countries
    are typed as a list in the reader's words (a slip asked again, naming the likely ones),
    and the profile and the page name them in the reader's language."""
    await registered(app, "ines", roles=("consultant",), display_name="Ines Prüf",
                     language="de", country="DE", timezone="Europe/Berlin")
    ines = ChatUser(app, "ines")
    await ines.say("/consultant")
    await ines.say("Probenahme und Laboranalyse für Pellets")
    await ines.say("Zwanzig Jahre Probenahme nach ISO 18135 in Häfen und Werken der Ostsee.")
    await ines.tap("Probenahme und Laboranalyse")
    await ines.tap("Fertig ✔")
    await ines.say("de, en")
    await ines.tap("Pro Sitzung")
    await ines.tap("60 Minuten")
    await ines.say("90")
    await ines.say("150")  # her fee per inspection
    assert "Länder, in denen Sie Proben nehmen" in ines.texts()
    await ines.say("Lettland, Austr")  # which one?
    assert "meinten Sie Australien, Österreich" in ines.texts()  # the likely ones, named
    await ines.say("Lettland, Estlnd, LT")  # a slip with one likely country is read as it
    await ines.say("Mo-Fr 08:00-17:00")
    assert "Proben in: Estland, Lettland, Litauen" in ines.texts()  # her profile's preview
    ines_id = await account_id(app, "ines")
    await ines.send(Choice(go("consultant", ines_id)))  # her page, as seekers read it
    assert "Proben in: Estland, Lettland, Litauen" in ines.texts()
    async with app.uow() as uow:
        profile = await profiles.own_profile(uow, ines_id)
    assert profile.countries_served == ("LV", "EE", "LT")
