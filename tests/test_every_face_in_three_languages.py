"""Every face of a whole deal and of a paid consulting session, for a German, a Polish and a
Finnish pair. The deal: a Latvian seller and a
buyer at home, both reading their language, go from an offer and a counter-offer to both
ratings. Read for each of them:

- every notice the deal wrote them (its words and its buttons' labels) and the card each of
  their latest deal cards is rewritten to;
- every document those notices carry, drawn as the dispatcher draws it for them (the terms,
  the buyer's receipt, the seller's commission invoice — the e-invoices' readable face — and
  the carbon receipt);
- the deal's card and `/deals` in chat, and the pay page before and after paying.

The other journeys are read the same way, every notice and document of each party: a request
for supply with two quotes, a question answered, one awarded and the award withdrawn; a reverse
auction with bid deposits (and their pay pages), an outbid, a late bid moving the close, an award
withdrawn and the next bid awarded; and two consultant bookings — requested, accepted or agreed
on other times, reminded, moved or kept, cancelled late, declined — with the words of their
calendar invites.

None may hold an English sentence of the catalogue (on a legal document the English stands
beside the reader's words, as the law wants it, and only there) nor a number, an amount or a day written by
English conventions. The site's pages and the Mini App's screens are read the same way in
tests/site/test_site_languages.py and tests/site/test_mini_app.py."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from urllib.parse import urlparse

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import select

from bots.server import create_app
from conversations.messages import Choice, ListPage, Reply
from core.accounts import billing
from core.accounts.service import find_account
from core.accounts.tables import Account
from core.consulting.bookings import changes as booking_changes
from core.consulting.bookings import due as booking_due
from core.consulting.bookings import service as booking_service
from core.consulting.sessions import recap, reviews
from core.consulting.sessions import service as sessions
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.requests import auction_close, auctions, bid_deposits
from core.deals.requests import questions as request_questions
from core.deals.requests import quotes as request_quotes
from core.deals.requests import service as supply_requests
from core.deals.tables import Deal
from core.deals.terms import service as terms
from core.i18n import translations
from core.i18n.catalogue import TEMPLATE
from core.money.model import Money
from core.money.reading import reading
from tests.catalog.helpers import make_account, publish
from tests.consulting.helpers import booked, consultant, seeker
from tests.consulting.session_support import act, live, people
from tests.deals.chat_helpers import trading_pair
from tests.support.chat import ChatUser
from tests.support.languages import PLACEHOLDER, english_figures, english_in
from tests.support.outbox import told
from tests.support.pdf import pdf_text
from tests.support.servers import serve

pytestmark = pytest.mark.journey

BUYERS = {  # a buyer at home in each language's country, with their billing details
    "de": ("DE", dict(legal_name="Müller Energie GmbH", street="Hauptstraße 5", postcode="10115",
                      town="Berlin", country="DE", vat_id="DE136695976")),
    "pl": ("PL", dict(legal_name="Łódź Ciepło sp. z o.o.", street="ul. Piotrkowska 104",
                      postcode="90-926", town="Łódź", country="PL", vat_id="PL8567346215")),
    "fi": ("FI", dict(legal_name="Oulun Energia Oy", street="Torikatu 1", postcode="90100",
                      town="Oulu", country="FI", vat_id="FI20774740")),
}
SELLER = dict(legal_name="Jānis Bērziņš SIA", street="Brīvības iela 1", postcode="LV-1010",
              town="Rīga", country="LV", vat_id="LV40003521600")


def terms_of(quantity: str, price: str) -> Terms:
    return Terms(Decimal(quantity), Money.parse(price, "EUR"), "DAP", "Rīga")


@cache
def _messages(language: str) -> tuple[tuple[str, str], ...]:
    """The catalogue's (English, translation) pairs that differ."""
    from babel.messages.pofile import read_po

    with open(TEMPLATE, "rb") as pot:
        template = read_po(pot)
    pairs = []
    for message in template:
        for english in (message.id if isinstance(message.id, tuple) else (message.id,)):
            local = translations(language).gettext(english) if english else english
            if english and local != english:
                pairs.append((english, local))
    return tuple(pairs)


def english_alone(language: str, document: str) -> list[str]:
    """English sentences of the catalogue in a legal document that are not beside their
    translation (core.i18n.bilingual prints both: “Käufer / Buyer”)."""
    flat = " ".join(document.split())
    alone = []
    for stretch in english_in(language, [flat]):
        beside = [part.strip() for english, local in _messages(language) if stretch in english
                  for part in PLACEHOLDER.split(local) if len(part.strip()) >= 4]
        if not any(part in flat for part in beside):
            alone.append(stretch)
    return alone


def words_of(payloads: list[dict]) -> list[str]:
    """A person's notices as they read them: each text and its buttons' labels."""
    return [str(p.get("text") or "") + "\n" + " | ".join(
        b["label"] for row in p.get("buttons") or [] for b in row) for p in payloads]


async def documents(app, account_id: int, payloads: list[dict]) -> list[str]:
    """Every document the notices carry, drawn for their reader as the dispatcher draws them."""
    return [text for mime, text in await _drawn(app, account_id, payloads)
            if mime == "application/pdf"]


async def invites(app, account_id: int, payloads: list[dict]) -> list[str]:
    """The words of every calendar invite the notices carry, drawn for their reader: what a
    calendar shows a person (the event's title, description and place)."""
    return [text for mime, text in await _drawn(app, account_id, payloads)
            if mime == "text/calendar"]


async def _drawn(app, account_id: int, payloads: list[dict]) -> list[tuple[str, str]]:
    """(MIME type, readable text) of each attachment, drawn as the dispatcher draws it."""
    drawn = []
    async with app.uow() as uow:  # the reader first, in a transaction of its own: a resolver
        reader = await uow.session.get(Account, account_id)  # opens another (SQLite: one writer)
        uow.session.expunge(reader)  # read as loaded, after its transaction
    with reading(reader):
        for ref in (r for p in payloads for r in p.get("attachments") or []):
            attachment = await app.attachments[ref["kind"]](ref["key"])
            if attachment.mime_type == "application/pdf":
                drawn.append((attachment.mime_type, pdf_text(attachment.content)))
            elif attachment.mime_type == "text/calendar":
                drawn += [(attachment.mime_type, str(event.get(field) or ""))
                          for event in Calendar.from_ical(attachment.content).walk("VEVENT")
                          for field in ("SUMMARY", "DESCRIPTION", "LOCATION")]
    return drawn


async def in_chat(user: ChatUser) -> list[str]:
    """`/deals`, and the deal's card opened from it."""
    seen = [r.text for r in await user.say("/deals") if isinstance(r, Reply)]
    [page] = [r for r in user.last if isinstance(r, ListPage)]
    seen += [page.title, *(f"{item.title} {item.subtitle}" for item in page.items)]
    seen += [r.text for r in await user.send(Choice(page.items[0].button.data))
             if isinstance(r, Reply)]
    return seen


# A day written the English way, day first: “Mon 23 Nov”, “23 Nov 2026” (english_figures knows
# the American “Nov 23”). A German writes “Mo., 23. Nov.”, a Pole “pon., 23 lis”, a Finn
# “ma 23.11.”: none of them puts a capitalised English month or weekday beside a bare number.
# Looked for in what is read, not on the legal papers, whose English lines write days in
# English beside the reader's own.
ENGLISH_DAYS = re.compile(r"\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2}|"
                          r"\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))\b")


def in_their_language(language: str, who: int, read: list[str], papers: list[str]) -> None:
    """No English sentence in what `who` read, none alone on their legal papers, and no figure
    or day written by English conventions in either."""
    assert english_in(language, read) == [], (who, english_in(language, read))
    assert [s for p in papers for s in english_alone(language, p)] == [], who
    found = english_figures(language, read + papers) + [
        m.group(0) for t in read for m in ENGLISH_DAYS.finditer(t)]
    assert found == [], [t[max(0, t.find(found[0]) - 150):t.find(found[0]) + 50]
                         for t in read + papers if found[0] in t]


@pytest.mark.parametrize("language", ["de", "pl", "fi"])
async def test_every_face_of_a_deal_reads_in_the_readers_language(app, language):
    country, buyer_billing = BUYERS[language]
    sam, bob, listing_id = await trading_pair(app)
    async with app.uow() as uow:  # (what they were sent as they registered, in English, aside)
        ids = {who: (await find_account(uow, "terminal", who)).id for who in ("sam", "bob")}
    # Read outside that transaction: `told` opens its own (SQLite: one writer at a time).
    before = {who: len(await told(app, account_id)) for who, account_id in ids.items()}
    async with app.uow() as uow:
        seller = await find_account(uow, "terminal", "sam")
        buyer = await find_account(uow, "terminal", "bob")
        seller.language = buyer.language = language
        buyer.country = country
        await billing.set_billing(uow, seller.id, **SELLER)
        await billing.set_billing(uow, buyer.id, **buyer_billing)
        first = await offers.make_offer(uow, listing_id, buyer.id, terms_of("24.5", "215.5"))
        countered = await offers.counter(uow, first.id, seller.id, terms_of("24.5", "230.5"))
        deal = await offers.accept(uow, countered.id, buyer.id)
        version = await terms.current(uow, deal.id)
        await terms.accept(uow, deal.id, buyer.id, version.sha256)
        await terms.accept(uow, deal.id, seller.id, version.sha256)
        await uow.commit()
        seller_id, buyer_id, deal_id = seller.id, buyer.id, deal.id

    escrow = await app.payments.by_reference(deals.reference(deal_id))
    pay = urlparse(escrow.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        pages = [(await http.get(base + pay)).text]
        pages.append((await http.post(base + pay,
                                      data={"card_number": "4242 4242 4242 4242"})).text)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, seller_id, "DSV", "CMR-77",
                                      app.clock.now().replace(hour=12))
        await after_sale.update_shipment(uow, deal_id, seller_id, "delivered")
        await deals.take(uow, deal_id, "confirm-receipt", buyer_id)
        await after_sale.rate(uow, deal_id, buyer_id, 5, {"quality": 5, "delivery": 4})
        await after_sale.rate(uow, deal_id, seller_id, 4, {"payment": 5})
        await uow.commit()

    for who, user in ((seller_id, sam), (buyer_id, bob)):
        payloads = (await told(app, who))[before[user.name]:]
        notices = words_of([p for p in payloads if p.get("text")])
        rewritten = await app.card_builders["deal"](str(deal_id), who)
        read = [*notices, *words_of([rewritten]), *await in_chat(user),
                *(pages if who == buyer_id else [])]
        papers = await documents(app, who, payloads)
        assert len(notices) >= 6 and (len(papers) >= 2 or who == seller_id)
        in_their_language(language, who, read, papers)


@pytest.mark.parametrize("language", ["de", "pl", "fi"])
async def test_every_face_of_a_paid_session_reads_in_the_readers_language(app, clock, language):
    """A consultant's paid half-hour past its free minutes, as both read it: the notices from
    the start to the review, the recap, the receipt and the commission invoice."""
    seeker, consultant = await people(app)
    before = {who: len(await told(app, who)) for who in (seeker, consultant)}
    async with app.uow() as uow:
        for who in (seeker, consultant):
            (await uow.session.get(Account, who)).language = language
        await billing.set_billing(uow, consultant, **SELLER)
        await uow.commit()
    session_id = await live(app, seeker, consultant, rate="62.50")
    clock.advance(minutes=2)
    await act(app, sessions.post, session_id, seeker, "Labdien!")
    clock.advance(minutes=24, seconds=30)
    await act(app, sessions.end, session_id, seeker)
    await act(app, recap.set_notes, session_id, consultant, "Ask for the ENplus certificate.")
    await act(app, recap.request, session_id, seeker)
    await act(app, reviews.review, session_id, seeker, 5, "Danke")

    for who in (seeker, consultant):
        payloads = (await told(app, who))[before[who]:]
        read = words_of([p for p in payloads if p.get("text")])
        papers = await documents(app, who, payloads)
        assert len(read) >= 3 and (len(papers) >= 2 or who == consultant), (who, read)
        in_their_language(language, who, read, papers)


# --- a request for supply, a reverse auction and a consultant's booking ----------------------

WOOD_CHIPS = {"product_type": "chips", "title": "Wood chips G30", "grade": "ISO 17225 B1",
              "unit": "t", "quantity": "3000", "min_order": "100", "price": "24",
              "negotiable": "yes"}


async def requesting_market(app, language: str, unit: str = "t"
                            ) -> tuple[int, list[int], dict[int, int]]:
    """A buyer at home in the language's country and two Latvian sellers of wood chips sold by
    the `unit`, all reading `language` with their billing details kept: (buyer, sellers, how
    many notices each had before, in English, as they registered)."""
    country, buyer_billing = BUYERS[language]
    town = buyer_billing["town"]
    buyer = await make_account(app, "hanna", roles=("buyer",), country=country, city=town)
    sellers = [await make_account(app, name, roles=("seller",)) for name in ("aivar", "birute")]
    for seller in sellers:
        await publish(app, seller, **{**WOOD_CHIPS, "unit": unit})
    everyone = [buyer.id, *(s.id for s in sellers)]
    before = {who: len(await told(app, who)) for who in everyone}
    async with app.uow() as uow:
        for who in everyone:
            (await uow.session.get(Account, who)).language = language
        await billing.set_billing(uow, buyer.id, **buyer_billing)
        for seller in sellers:
            await billing.set_billing(uow, seller.id, **SELLER)
        await uow.commit()
    return buyer.id, [s.id for s in sellers], before


def chips_at(quantity: str, price: str, place: str) -> Terms:
    return Terms(Decimal(quantity), Money.parse(price, "EUR"), "DAP", place)


async def read_by(app, language: str, who: int, before: int) -> tuple[list[str], list[str]]:
    """What `who` was told since `before` (the notices, their invites) and the papers they
    carry, checked to read in `language`; returns (what they read, their papers)."""
    payloads = (await told(app, who))[before:]
    read = [*words_of([p for p in payloads if p.get("text")]),
            *await invites(app, who, payloads)]
    papers = await documents(app, who, payloads)
    in_their_language(language, who, read, papers)
    return read, papers


@pytest.mark.parametrize("language", ["de", "pl", "fi"])
async def test_every_face_of_a_request_for_quotes_reads_in_the_readers_language(app, language):
    """A buyer asks for 1,250.5 t of wood chips at most €22.50; a seller asks a question she
    answers for everyone; both sellers quote, she awards the cheaper quote — a deal whose
    terms both accept — and the other quote is declined with the request awarded in full; the
    winner then withdraws, and the request takes quotes again for what is uncovered."""
    buyer, (aivar, birute), before = await requesting_market(app, language)
    place = BUYERS[language][1]["town"]
    async with app.uow() as uow:
        request = await supply_requests.post(uow, buyer, supply_requests.Draft(
            "chips", Decimal("1250.5"), "t", place, max_price=Money.parse("22.5", "EUR"),
            delivery_from=date(2027, 1, 11), delivery_to=date(2027, 2, 26)))
        await uow.commit()
        request_id = request.id
    async with app.uow() as uow:
        question = await request_questions.ask(uow, request_id, aivar, "Moisture at most 35?")
        await uow.commit()
    async with app.uow() as uow:
        await request_questions.answer(uow, question.id, buyer, "Ja / Tak / Kyllä", public=True)
        await uow.commit()
    quotes = {}
    for seller, price in ((aivar, "21.75"), (birute, "22.25")):
        async with app.uow() as uow:
            listing = await request_quotes.listing_for(uow, request_id, seller)
            quotes[seller] = (await request_quotes.quote(
                uow, request_id, seller, listing.id, chips_at("1250.5", price, place))).id
            await uow.commit()
    async with app.uow() as uow:
        deal = await offers.accept(uow, quotes[aivar], buyer)
        version = await terms.current(uow, deal.id)
        await terms.accept(uow, deal.id, buyer, version.sha256)
        await terms.accept(uow, deal.id, aivar, version.sha256)
        await uow.commit()
    async with app.uow() as uow:
        await deals.take(uow, deal.id, "cancel-deal", aivar)
        await uow.commit()

    for who in (buyer, aivar, birute):
        read, papers = await read_by(app, language, who, before[who])
        assert len(read) >= (2 if who == birute else 4), (who, read)
        assert papers or who == birute, who


@pytest.mark.parametrize("language", ["de", "pl", "fi"])
async def test_every_face_of_a_reverse_auction_reads_in_the_readers_language(app, clock,
                                                                               language):
    """A buyer's reverse auction for 1,250.5 loose m³ of chips asking a 2 % bid deposit: both
    sellers pay it and bid, the first is outbid and bids again in the last minutes (the close
    moves), the lowest wins at the close — a deal — and the loser's deposit goes back. The
    winner withdraws (their deposit is the buyer's), and the buyer awards the next bid."""
    buyer, (aivar, birute), before = await requesting_market(app, language, "loose_m3")
    async with app.uow() as uow:
        request = await supply_requests.post(uow, buyer, supply_requests.Draft(
            "chips", Decimal("1250.5"), "loose_m3", BUYERS[language][1]["town"],
            max_price=Money.parse("22.5", "EUR"), deadline_days="1", mode="auction",
            min_step=Money.parse("0.05", "EUR"), deposit_pct=2))
        await uow.commit()
        request_id = request.id
    pay_pages: dict[int, list[str]] = {}
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        for seller in (aivar, birute):  # each pays the deposit on its pay page
            async with app.uow() as uow:
                await auctions.ask_deposit(uow, request_id, seller)
                await uow.commit()
            deposit = await app.payments.by_reference(bid_deposits.reference(request_id, seller))
            pay = urlparse(deposit.pay_url).path
            pay_pages[seller] = [(await http.get(base + pay)).text, (await http.post(
                base + pay, data={"card_number": "4242 4242 4242 4242"})).text]
    for seller, price, later in ((aivar, "21.75", {}), (birute, "21.5", {}),
                                 (aivar, "21.35", {"days": 1, "minutes": -2})):
        clock.advance(**later)
        async with app.uow() as uow:
            await auctions.bid(uow, request_id, seller, Money.parse(price, "EUR"))
            await uow.commit()
    clock.advance(minutes=3)
    assert await auction_close.close_due(app.uow) == [request_id]
    async with app.uow() as uow:
        won = await uow.session.scalar(select(Deal.id).where(Deal.seller_id == aivar))
        await deals.take(uow, won, "cancel-deal", aivar)
        await uow.commit()
    async with app.uow() as uow:
        assert (await auctions.award_next(uow, request_id, buyer)).seller_id == birute
        await uow.commit()

    for who in (buyer, aivar, birute):
        read, __ = await read_by(app, language, who, before[who])
        assert len(read) >= 4, (who, read)
        assert not [t for t in read if "loose m³" in t], who  # the unit in their words too
    for seller, pages in pay_pages.items():
        in_their_language(language, seller, pages, [])


async def reading_in(app, language: str, *people: int) -> dict[int, int]:
    """These people read `language` from now on; how many notices each had before (those
    were written in English, as they registered)."""
    before = {who: len(await told(app, who)) for who in people}
    async with app.uow() as uow:
        for who in people:
            (await uow.session.get(Account, who)).language = language
        await uow.commit()
    return before


@pytest.mark.parametrize("language", ["de", "pl", "fi"])
async def test_every_face_of_a_consultant_booking_reads_in_the_readers_language(app, clock,
                                                                                  language):
    """A seeker books a consultant's hour at €1,250.50 for Monday; the consultant accepts (the
    invite), the seeker authorises it, both are reminded the day before; the seeker moves it
    to Tuesday (the invite again) and then cancels it late (its cancellation and the fee)."""
    monday_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga
    ann = await consultant(app, price="1250.50")
    bob = await seeker(app)
    before = await reading_in(app, language, ann.id, bob.id)
    booking = await booked(app, bob.id, ann.id, monday_10)
    await act(app, booking_service.accept, booking.id, ann.id)
    authorisation = await app.payments.by_reference(f"booking:{booking.id}")
    await app.payments.pay_with_test_card(authorisation.id, "4242 4242 4242 4242")
    clock._now = monday_10 - timedelta(hours=23)
    assert await booking_due.remind_all(app.uow) == 2
    await act(app, booking_changes.propose_reschedule, booking.id, bob.id,
              [monday_10 + timedelta(days=1)])
    async with app.uow() as uow:
        [tuesday] = [p.id for p in await booking_service.proposals(uow, booking.id, ann.id)]
    await act(app, booking_changes.answer_reschedule, booking.id, ann.id, tuesday)
    clock._now = monday_10 + timedelta(hours=2)  # 22 hours before Tuesday's start: late
    await act(app, booking_changes.cancel, booking.id, bob.id)

    for who in (ann.id, bob.id):
        read, __ = await read_by(app, language, who, before[who])
        assert len(read) >= 5, (who, read)


@pytest.mark.parametrize("language", ["de", "pl", "fi"])
async def test_every_face_of_a_booking_agreed_on_other_times_reads_in_the_readers_language(
        app, clock, language):
    """The consultant answers a request with two other times; the seeker takes one, six days
    ahead (the invite, and a card to save); the consultant asks to move it and the seeker keeps
    the booked time; the day before the seeker authorises it, and both are reminded a quarter
    of an hour before. A second request is declined, with its reason."""
    wednesday_15 = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 15:00 in Riga
    ann = await consultant(app, price="1250.50")
    bob = await seeker(app)
    before = await reading_in(app, language, ann.id, bob.id)
    booking = await booked(app, bob.id, ann.id, wednesday_15)
    await act(app, booking_service.propose_times, booking.id, ann.id,
              [wednesday_15 + timedelta(days=1), wednesday_15 + timedelta(days=1, hours=2)])
    async with app.uow() as uow:
        first = (await booking_service.proposals(uow, booking.id, bob.id))[0].id
    await act(app, booking_service.accept, booking.id, bob.id, first)
    await act(app, booking_changes.propose_reschedule, booking.id, ann.id,
              [wednesday_15 + timedelta(days=2)])
    await act(app, booking_changes.answer_reschedule, booking.id, bob.id, None)
    declined = await booked(app, bob.id, ann.id, wednesday_15 + timedelta(days=5))
    await act(app, booking_service.decline, declined.id, ann.id, "Urlaub / urlop / loma")
    clock._now = wednesday_15 + timedelta(hours=1)  # the day before: authorise it now
    await booking_due.run_all(app.uow, app.payments)
    authorisation = await app.payments.by_reference(f"booking:{booking.id}")
    await app.payments.pay_with_test_card(authorisation.id, "4242 4242 4242 4242")
    clock._now = wednesday_15 + timedelta(days=1, minutes=-15)
    assert await booking_due.remind_all(app.uow) == 2

    for who in (ann.id, bob.id):
        read, __ = await read_by(app, language, who, before[who])
        assert len(read) >= 4, (who, read)
