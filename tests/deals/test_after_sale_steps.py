"""After payment, on the in-memory logbook (`tests/deals/after_sale_fakes.py`): who may update
a shipment, open, question or decide a dispute and rate, what each records and refuses. The
deal's moves themselves, the timers, the money and the notices are proven on the database
(`test_after_sale.py`, `test_timers_*.py`, `test_deal_payments.py`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from core.deals.after_sale import service as after_sale
from core.deals.events import (
    DealRated,
    DisputeDecided,
    DisputeOpened,
    DisputeQuestion,
    ShipmentUpdated,
)
from core.errors import Conflict, DomainError, InvalidField, NotAllowed, NotFound
from core.money.model import Money
from core.process.deals import DealState
from tests.deals.after_sale_fakes import BOB, EVE, ROOT, SAM, MemoryLogbook

SUPPORT = 5  # an operator of the support desk: may ask a party, not decide


def logbook(status: str = DealState.TO_SHIP) -> tuple[MemoryLogbook, int]:
    """Sam's paid deal with Bob (100 t at 220 EUR) in `status`; ROOT administers, SUPPORT helps."""
    book = MemoryLogbook()
    book.roles[SUPPORT] = frozenset({"support"})
    return book, book.sale(status)


async def test_only_the_seller_ships_naming_a_carrier_and_the_day_expected():
    book, deal_id = logbook()
    with pytest.raises(NotAllowed):
        await after_sale.mark_shipped(book, deal_id, BOB, "DSV", "X1", None)
    with pytest.raises(NotFound):
        await after_sale.mark_shipped(book, deal_id, EVE, "DSV", "X1", None)
    with pytest.raises(DomainError):
        await after_sale.mark_shipped(book, deal_id, SAM, "  ", None, None)
    book, deal_id = logbook()
    riga = timezone(timedelta(hours=2))
    shipment = await after_sale.mark_shipped(book, deal_id, SAM, f" {'D' * 90} ", "  ",
                                             datetime(2026, 11, 24, 1, 0, tzinfo=riga))
    assert (shipment.carrier, shipment.tracking, shipment.status) == ("D" * 80, None,
                                                                      "dispatched")
    assert shipment.expected_at == datetime(2026, 11, 23, tzinfo=UTC)  # that moment's UTC day
    assert book.shipments[deal_id] is shipment and book.deals[deal_id].status == "shipped"
    assert book.moves == [(deal_id, "mark-shipped", SAM)]


async def test_the_seller_keeps_both_informed_until_delivery_then_the_shipment_stops():
    book, deal_id = logbook()
    await after_sale.mark_shipped(book, deal_id, SAM, "DSV", "CMR-77", date(2026, 11, 23))
    for who, refused in ((BOB, NotAllowed), (EVE, NotFound), (ROOT, NotAllowed)):
        with pytest.raises(refused):
            await after_sale.update_shipment(book, deal_id, who, "in_transit")
    for status, day in (("lost", None), ("delayed", None)):
        with pytest.raises(DomainError):
            await after_sale.update_shipment(book, deal_id, SAM, status, day)
    moving = await after_sale.update_shipment(book, deal_id, SAM, "in_transit", note="Via Tallinn")
    assert (moving.note, moving.expected_day) == ("Via Tallinn", date(2026, 11, 23))
    late = await after_sale.update_shipment(book, deal_id, SAM, "delayed", date(2026, 11, 25))
    assert (late.status, late.expected_day, late.note) == ("delayed", date(2026, 11, 25), None)
    assert book.events == [ShipmentUpdated(deal_id, "in_transit"),
                           ShipmentUpdated(deal_id, "delayed")]
    await after_sale.update_shipment(book, deal_id, SAM, "delivered")
    assert book.deals[deal_id].status == "delivered" and len(book.events) == 2  # the move tells
    with pytest.raises(Conflict):  # delivered: the shipment no longer travels
        await after_sale.update_shipment(book, deal_id, SAM, "in_transit")


async def test_a_shipment_is_updated_only_once_marked_shipped():
    book, deal_id = logbook(DealState.SHIPPED)
    with pytest.raises(Conflict):
        await after_sale.update_shipment(book, deal_id, SAM, "in_transit")


async def test_either_party_disputes_a_deal_in_progress_with_a_reason():
    book, deal_id = logbook()
    for reason in ("", " bad "):
        with pytest.raises(DomainError):
            await after_sale.open_dispute(book, deal_id, BOB, reason)
    with pytest.raises(NotFound):
        await after_sale.open_dispute(book, deal_id, EVE, "Never arrived at all")
    dispute = await after_sale.open_dispute(book, deal_id, SAM, f"  {'w' * 2100}  ")
    assert (dispute.opened_by, dispute.reason, dispute.created_at) == (SAM, "w" * 2000, book.at)
    assert book.deals[deal_id].status == "disputed"
    assert book.events == [DisputeOpened(dispute.id, deal_id)]
    with pytest.raises(Conflict):  # disputed already
        await after_sale.open_dispute(book, deal_id, BOB, "Never arrived at all")
    book, deal_id = logbook(DealState.COMPLETED)
    with pytest.raises(Conflict):
        await after_sale.open_dispute(book, deal_id, BOB, "Never arrived at all")


async def disputed() -> tuple[MemoryLogbook, int, int]:
    book, deal_id = logbook()
    dispute = await after_sale.open_dispute(book, deal_id, BOB, "Never arrived at all")
    return book, deal_id, dispute.id


async def test_only_an_operator_who_decides_disputes_decides_with_reasons():
    book, deal_id, dispute_id = await disputed()
    for who in (SAM, BOB, EVE, SUPPORT):
        with pytest.raises(NotAllowed):
            await after_sale.decide(book, dispute_id, who, "release", "Arrived fine")
    with pytest.raises(DomainError):
        await after_sale.decide(book, dispute_id, ROOT, "halve", "Arrived fine")
    for reasons in ("ok  ", "x" * 2001):
        with pytest.raises(InvalidField):
            await after_sale.decide(book, dispute_id, ROOT, "release", reasons)
    with pytest.raises(NotFound):
        await after_sale.decide(book, dispute_id + 1, ROOT, "release", "Arrived fine")
    assert book.deals[deal_id].status == "disputed" and book.audited == []


async def test_a_split_gives_the_buyer_more_than_nothing_and_less_than_the_whole():
    book, deal_id, dispute_id = await disputed()  # 22,000 EUR
    for refund in (None, Money(0, "EUR"), Money.parse("22000", "EUR"), Money.parse("50", "USD")):
        with pytest.raises(InvalidField):
            await after_sale.decide(book, dispute_id, ROOT, "split", "Half arrived", refund)
    decided = await after_sale.decide(book, dispute_id, ROOT, "split", " Half arrived ",
                                      Money.parse("11000", "EUR"))
    assert (decided.outcome, decided.refund_minor, decided.decision, decided.decided_by,
            decided.decided_at) == ("split", 1_100_000, "Half arrived", ROOT, book.at)
    assert book.deals[deal_id].status == "completed" and book.events[-1] == DisputeDecided(
        dispute_id, deal_id)
    assert book.audited == [(ROOT, "dispute-decided", f"dispute:{dispute_id}", {
        "reason": "Half arrived", "outcome": "split", "refund_minor": 1_100_000,
        "currency": "EUR"})]
    assert await after_sale.owed_to_buyer(book, deal_id) == (1_100_000, None)
    with pytest.raises(Conflict):  # decided: the deal moved on
        await after_sale.decide(book, dispute_id, ROOT, "refund", "again")


async def test_a_refund_or_a_release_owes_the_buyer_no_share():
    for outcome, status in (("refund", "refunded"), ("release", "completed")):
        book, deal_id, dispute_id = await disputed()
        decided = await after_sale.decide(book, dispute_id, ROOT, outcome, "Wet on arrival")
        assert (decided.refund_minor, book.deals[deal_id].status) == (None, status)
        assert await after_sale.owed_to_buyer(book, deal_id) == (None, None)


async def test_an_operator_asks_a_party_who_answers_until_the_dispute_is_decided():
    book, _, dispute_id = await disputed()
    for who in (SAM, BOB, EVE):
        with pytest.raises(NotAllowed):
            await after_sale.ask_party(book, dispute_id, who, "buyer", "Photos?")
    with pytest.raises(InvalidField):
        await after_sale.ask_party(book, dispute_id, SUPPORT, "carrier", "Photos?")
    for question in ("ok", "x" * 2001):
        with pytest.raises(InvalidField):
            await after_sale.ask_party(book, dispute_id, SUPPORT, "seller", question)
    with pytest.raises(NotFound):
        await after_sale.ask_party(book, dispute_id + 1, SUPPORT, "seller", "Photos?")
    await after_sale.ask_party(book, dispute_id, SUPPORT, "seller", " Photos of the load? ")
    assert book.events[-1] == DisputeQuestion(dispute_id, SUPPORT, SAM, "Photos of the load?")
    assert book.audited == [(SUPPORT, "dispute-question", f"dispute:{dispute_id}",
                             {"reason": "Photos of the load?", "party": "seller"})]
    with pytest.raises(NotFound):
        await after_sale.answer_admins(book, dispute_id, EVE, "Me too")
    for text in ("  ", "x" * 2001):
        with pytest.raises(DomainError):
            await after_sale.answer_admins(book, dispute_id, SAM, text)
    await after_sale.answer_admins(book, dispute_id, SAM, " Attached ")
    assert book.events[-1] == DisputeQuestion(dispute_id, SAM, None, "Attached")
    await after_sale.decide(book, dispute_id, ROOT, "release", "Arrived fine")
    with pytest.raises(Conflict):
        await after_sale.answer_admins(book, dispute_id, BOB, "But")


async def test_the_parties_rate_each_other_once_completed_on_the_others_aspects():
    book, deal_id = logbook(DealState.DELIVERED)
    with pytest.raises(Conflict):  # rated once completed, not before
        await after_sale.rate(book, deal_id, BOB, 5, {"quality": 5})
    book.deals[deal_id].status = DealState.COMPLETED
    with pytest.raises(NotFound):
        await after_sale.rate(book, deal_id, EVE, 1)
    with pytest.raises(NotAllowed):
        await after_sale.rate(book, deal_id, ROOT, 1)
    for stars, aspects in ((0, {}), (6, {}), (5, {"payment": 5}), (5, {"quality": 6})):
        with pytest.raises(DomainError):
            await after_sale.rate(book, deal_id, BOB, stars, aspects)
    given = await after_sale.rate(book, deal_id, BOB, 5, {"quality": 5, "delivery": 4},
                                  f" {'g' * 1100} ", quote_ok=True)
    assert (given.ratee_id, given.stars, given.aspects, given.comment, given.quote_ok) == (
        SAM, 5, {"quality": 5, "delivery": 4}, "g" * 1000, True)
    assert book.events == [DealRated(deal_id, BOB, given.id)]
    with pytest.raises(Conflict, match="You rated this deal already"):  # once, politely
        await after_sale.rate(book, deal_id, BOB, 4)
    assert book.events == [DealRated(deal_id, BOB, given.id)]  # nothing told of the second


async def test_ratings_stay_blind_until_both_rated():
    book, deal_id = logbook(DealState.COMPLETED)
    first = await after_sale.rate(book, deal_id, BOB, 5, comment="  ", quote_ok=True)
    assert (first.comment, first.quote_ok, first.published_at, book.published) == (
        None, False, None, [])
    second = await after_sale.rate(book, deal_id, SAM, 4, {"payment": 5})
    assert second.ratee_id == BOB and book.published == [deal_id]
    assert first.published_at == second.published_at == book.at
