"""The consultant marketplace in chat, through the engine: a consultant fills in a profile
(one question at a time), adds a photo and goes live; a seeker finds them with a misspelt
search, opens the page, books a free time in at most 4 taps, authorises the payment with the
test card; the consultant accepts; both see the booking with the policy up front."""

from __future__ import annotations

from conversations.messages import Choice, FileUpload, ListPage
from tests.consulting.helpers import PNG
from tests.deals.chat_helpers import last_notice
from tests.support.accounts import registered
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
    await cora.tap("Go live")
    assert "Live: seekers can find and book you" in cora.texts()
    return cora


async def test_a_profile_goes_live_and_a_seeker_books_it_in_four_taps(app, tmp_path):
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
    assert "Requested" in sid.texts() and taps <= 4
    await sid.tap("The booking")
    assert "At most: €90.00" in sid.texts() and "cancel" in sid.texts().lower()
    assert "asks for a 60-minute session (up to €90.00)" in await last_notice(app, cora, "asks")
    await cora.tap("Accept")
    assert "Confirmed" in cora.texts()
    assert "Free cancellation up to 24 hours before" in await last_notice(app, sid, "Confirmed")
    await last_notice(app, sid, "Authorise up to €90.00")
    await sid.tap("Authorise")
    await sid.say("4242 4242 4242 4242")
    assert "Authorised €90.00: nothing is charged until the session" in sid.texts()


async def test_a_consultants_home_shows_their_figures_and_no_empty_deals(app, tmp_path):
    from conversations.messages import Envelope, Text

    await _consultant_goes_live(app, tmp_path)
    home = await app.engine.home(Envelope("terminal", "cora", "cora", Text("")))
    texts = [getattr(r, "text", "") for r in home]
    assert any("📈 Your consulting" in t and "Sessions: 0" in t for t in texts)
    assert not any("Your deals" in t for t in texts)
