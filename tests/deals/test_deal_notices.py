"""Notices carry what the other party entered (a shipment's carrier, reference and arrival, the
values a buyer measured), each party hears when the other accepts the terms, and a document
reaches each chat once. Who hears of an acceptance runs on the in-memory deal book with the
deals' handlers (`tests/deals/in_memory.py`), one acceptance's journey on the database. What a
shipment and a quality report put into a notice is built on the in-memory after-sale logbook
(`tests/deals/after_sale_fakes.py`), a document's way into chats on the in-memory postbox
(`tests/support/postbox.py`); the shipment update's journey through the chat, the deal's card
and the notices' delivery stay on the database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.accounts.service import find_account
from core.deals import cards
from core.deals.after_sale import quality_report
from core.deals.after_sale import service as after_sale
from core.deals.facts import deal_facts, shipment_facts
from core.deals.notices import details as notice_details
from core.deals.views import DealView
from core.i18n import dates
from core.money.reading import reading
from core.notifications.outbox import document_made, notify
from core.process.deals import DealState
from tests.deals.after_sale_fakes import BOB, SAM, START, MemoryLogbook
from tests.deals.chat_helpers import give_billing, last_notice, paid_deal, told, trading_pair
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat
from tests.support.outbox import told_buttons


async def _ship(app, *answers: str) -> tuple[ChatUser, str]:
    """A paid deal Sam ships, answering carrier, reference and arrival (None skips); the
    buyer and the text of his “on the way” notice."""
    sam, bob, listing_id = await trading_pair(app)
    await paid_deal(app, listing_id)
    await last_notice(app, sam, "Ship by")
    await sam.tap("Mark shipped")
    for answer in answers:
        await (sam.say(answer) if answer else sam.tap("Skip"))
    assert "Marked shipped" in sam.texts()
    return bob, await last_notice(app, bob, "on the way")


class Reader:
    """Who reads a notice: English (or `language`), with the amounts and days of their country."""

    def __init__(self, country: str, language: str = "en") -> None:
        self.language, self.country = language, country


BOB_READS, SAM_READS = Reader("EE"), Reader("LV")  # Bob lives in Tallinn, Sam in Riga


async def _shipped(carrier: str, tracking: str | None, expected_on: date | None
                   ) -> tuple[MemoryLogbook, int, str]:
    """Sam ships his paid deal on the in-memory logbook; the book, the deal and the lines the
    buyer's “on the way” notice carries (`core.deals.notices.details.entered` on the database,
    proven there by the shipment update below)."""
    book = MemoryLogbook()
    deal_id = book.sale(DealState.TO_SHIP)
    shipment = await after_sale.mark_shipped(book, deal_id, SAM, carrier, tracking, expected_on)
    with reading(BOB_READS):
        return book, deal_id, notice_details.shipped(shipment, BOB_READS)


async def test_the_buyers_shipped_notice_names_the_carrier_reference_and_expected_arrival():
    in_three_days = START.date() + timedelta(days=3)
    _, _, notice = await _shipped("DSV", "CMR-77", in_three_days)
    with reading(BOB_READS):
        arrival = dates.day(in_three_days)
    assert "Carrier: DSV" in notice and "reference CMR-77" in notice
    assert f"expected arrival {arrival}" in notice


async def test_an_arrival_given_as_a_day_stays_a_day_without_a_made_up_hour():
    book, deal_id, notice = await _shipped("DSV", "CMR-77", START.date() + timedelta(days=3))
    arrival = notice.split("expected arrival ")[1].splitlines()[0]
    assert ":" not in arrival  # no 13:00 nor 14:00, whatever the reader's zone
    view = DealView(deal_facts(book.deals[deal_id], "t"), "buyer", "ENplus A1 wood pellets",
                    "Sam", shipment_facts(book.shipments[deal_id]), None, None, None, False)
    with reading(BOB_READS):
        card = cards.deal_text(view, "paid", BOB_READS)  # the deal's card says the same day
    assert ":" not in card.split(", expected ")[1].splitlines()[0]


async def test_a_shipped_notice_without_reference_or_date_says_none_was_given():
    _, _, notice = await _shipped("own transport", "", None)
    assert "Carrier: own transport · no reference given · no arrival date given" in notice


# At most 8 % moisture, €4.40 a tonne per point over; at least 17.2 MJ/kg (the pair's listing).
QUALITY = ({"name": "moisture", "limit": "8", "is_maximum": True, "penalty_minor": 440},
           {"name": "ncv", "limit": "17.2", "is_maximum": False, "penalty_minor": 400})


async def test_the_sellers_quality_notice_carries_the_measured_values_and_the_adjustment():
    book = MemoryLogbook()
    deal_id = book.sale(DealState.SHIPPED, quality=QUALITY, tolerance_percent=5)
    # 10 t short, past the 5 % tolerance; moisture 12 % against ≤ 8 %; NCV not measured
    await quality_report.report(book, deal_id, BOB, {"moisture": "12", "ncv": ""}, "90")
    with reading(SAM_READS):  # the notice's lines (`details.entered`, on the database)
        notice = cards.adjustment_text(book.reports[deal_id], book.deals[deal_id], "t")
    assert "Measured: Moisture 12%, delivered 90 t of 100 t" in notice  # as Riga writes it
    assert "the price goes down by" in notice


async def test_the_figures_a_buyer_typed_are_written_in_each_reader_s_numbers():
    book = MemoryLogbook()
    deal_id = book.sale(DealState.SHIPPED, quality=QUALITY)
    await quality_report.report(book, deal_id, BOB, {"moisture": "11,5", "ncv": "16.95"})
    said = {}
    for language, country in (("de", "DE"), ("en", "IE")):
        with reading(Reader(country, language)):
            said[language] = cards.adjustment_text(book.reports[deal_id], book.deals[deal_id], "t")
    assert "Gemessen: Feuchte 11,5\xa0%, Heizwert 16,95 MJ/kg." in said["de"]
    assert "Measured: Moisture 11.5%, NCV 16.95 MJ/kg." in said["en"]


async def _agreed(app, listing_id: int) -> None:
    """An offer accepted: the deal waits for both to accept version 1 of its terms."""
    from decimal import Decimal

    from core.deals.offers import service as offers
    from core.deals.offers.facts import Terms
    from core.money.model import Money

    async with app.uow() as uow:
        bob = await find_account(uow, "terminal", "bob")
        sam = await find_account(uow, "terminal", "sam")
        offer = await offers.make_offer(uow, listing_id, bob.id, Terms(
            Decimal("100"), Money.parse("220", "EUR"), "EXW", "Riga port"))
        await offers.accept(uow, offer.id, sam.id)
        await uow.commit()


async def test_the_seller_hears_when_the_buyer_accepts_the_terms_first(app):
    """The journey through the database: who hears what when the seller accepts first is
    told in memory below, on the deals' handlers."""
    sam, bob, listing_id = await trading_pair(app)
    await _agreed(app, listing_id)
    accepting, waiting = bob, sam
    await last_notice(app, accepting, "accepted: deal #")
    await accepting.tap("accept the terms")
    await give_billing(accepting, "Pärnu mnt 10", "10148")
    await accepting.tap("Accept version 1")
    assert "Waiting for the other party" in accepting.texts()
    notice = await last_notice(app, waiting, "accepted version 1 of the terms")
    assert f"{accepting.name.title()} accepted version 1" in notice
    assert "Payment opens once you accept the same version" in notice
    await waiting.tap("accept the terms")  # the notice's own button takes them there
    await give_billing(waiting, "Brīvības iela 1", "LV-1010")
    await waiting.tap("Accept version 1")
    assert "Both parties have" in waiting.texts()
    both = await last_notice(app, accepting, "Both accepted the terms")
    assert "Deal #" in both
    assert not [p for p in await told(app, accepting.name) if "accepted version" in p["text"]]


async def _accepted_by(first: str, status: str = DealState.AGREED) -> tuple[MemoryChat, int]:
    """An agreed deal on the in-memory deal book whose version 1 `first` accepted alone, told
    by the deals' handlers as `core.deals.terms.service.accept` tells it (its event)."""
    from core.deals import wiring as deals_wiring
    from core.deals.events import TermsAccepted
    from tests.deals.in_memory import deal_chat

    chat, book = deal_chat(wiring=[deals_wiring.wire])
    deal_id = book.sale(status)
    version = book.versions[deal_id]
    version.buyer_accepted_at, version.seller_accepted_at = (
        (book.at, None) if first == "bob" else (None, book.at))
    async with chat.uow() as uow:
        uow.emit(TermsAccepted(deal_id, version.id, BOB if first == "bob" else SAM))
        await uow.commit()
    return chat, deal_id


@pytest.mark.parametrize(("first", "waiting"), [("bob", "sam"), ("sam", "bob")])
async def test_each_party_hears_when_the_other_accepts_the_terms_first(first, waiting):
    from tests.deals.in_memory import person

    chat, deal_id = await _accepted_by(first)
    waiter = person(chat, waiting)
    notice = await last_notice(chat, waiter, "accepted version 1 of the terms")
    assert f"{first.title()} accepted version 1" in notice
    assert "Payment opens once you accept the same version" in notice
    assert ("deal_step", f"{deal_id}:sign-terms") in await told_buttons(
        chat, waiting, "accepted version 1")
    await waiter.tap("accept the terms")  # the notice's own button takes them there
    assert "Billing details · 1/6" in waiter.texts()  # asked first, as accepting asks
    assert not await told(chat, first)  # the one who accepted hears nothing of it


async def test_nobody_hears_of_an_acceptance_once_both_have_accepted():
    chat, _ = await _accepted_by("sam", DealState.AWAITING_PAYMENT)
    assert not await told(chat, "bob") and not await told(chat, "sam")


def _told_in_memory() -> tuple[MemoryChat, int, int]:
    """Bob and Sam, registered on the terminal of a chat whose notices stay in its postbox
    (tests/support/postbox.py): `notify`'s rules run there as on the database's outbox, which
    `tests/test_postbox_contract.py` holds alike."""
    chat = MemoryChat([])
    bob = chat.turns.register("terminal", "bob", "Bob", roles=("buyer",))
    sam = chat.turns.register("terminal", "sam", "Sam", roles=("seller", "buyer"))
    return chat, bob.id, sam.id


async def test_a_document_goes_into_a_chat_once_however_often_its_person_is_told():
    chat, bob, sam = _told_in_memory()
    ref = {"kind": "deal-terms", "key": "7"}
    async with chat.uow() as uow:
        for account, text in ((bob, "The terms are attached."), (bob, "As a receipt's notice."),
                              (sam, "The terms are attached.")):
            await notify(uow, account, text, attachment=ref, once_per_chat=True)
        await uow.commit()
    async with chat.uow() as uow:  # a later transaction does not send it again either
        await notify(uow, bob, "Still those terms.", attachment=ref, once_per_chat=True)
        await uow.commit()
    assert [p.get("attachments") for p in await told(chat, "bob")] == [[ref], None, None]
    assert [p.get("attachments") for p in await told(chat, "sam")] == [[ref]]


async def test_a_document_made_in_the_transaction_goes_once_a_chat_without_asking_the_outbox():
    chat, bob, sam = _told_in_memory()
    ref = {"kind": "deal-terms", "key": "8"}
    asked: list[str] = []
    written = chat.postbox.written

    async def counted(key: str, *, sent: bool = False) -> bool:
        asked.append(key)  # the one question a postbox answers about notices written before
        return await written(key, sent=sent)

    chat.postbox.written = counted  # type: ignore[method-assign]
    async with chat.uow() as uow:
        document_made(uow, ref)  # as issuing an invoice or a version of terms does
        for account, text in ((bob, "The terms are attached."), (bob, "Again."),
                              (sam, "The terms are attached.")):
            await notify(uow, account, text, attachment=ref, once_per_chat=True)
        await uow.commit()
    assert asked == []  # nobody could have it from before: this transaction's own are known
    assert [p.get("attachments") for p in await told(chat, "bob")] == [[ref], None]
    assert [p.get("attachments") for p in await told(chat, "sam")] == [[ref]]


async def test_a_file_that_changes_like_a_calendar_invite_goes_every_time():
    chat, bob, _ = _told_in_memory()
    invite = {"kind": "booking-invite", "key": "3:REQUEST"}
    async with chat.uow() as uow:
        await notify(uow, bob, "Booked.", attachment=invite)
        await notify(uow, bob, "Moved to Friday.", attachment=invite)
        await uow.commit()
    assert [p.get("attachments") for p in await told(chat, "bob")] == [[invite], [invite]]


async def test_a_shipment_update_tells_the_buyer_the_new_date_the_reference_and_the_note(app):
    bob, _ = await _ship(app, "DSV", "CMR-77", "+3")
    sam = ChatUser(app, "sam")
    await last_notice(app, sam, "Ship by")
    await sam.tap("Open the deal")
    await sam.tap("Shipment update")
    await sam.tap("Delayed")
    await sam.say("+5")
    await sam.say("Port strike in Riga")
    assert "Update sent to the buyer" in sam.texts()
    async with app.uow() as uow:
        with reading(await find_account(uow, "terminal", "bob")):
            later = dates.day(app.clock.now().date() + timedelta(days=5))
    notice = await last_notice(app, bob, "Delayed")
    assert f"Carrier: DSV · reference CMR-77 · expected arrival {later}" in notice
    assert "The seller's note: Port strike in Riga" in notice
