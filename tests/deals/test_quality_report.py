"""What arrived, on the in-memory logbook (`tests/deals/after_sale_fakes.py`): the buyer reports
it, the price adjustment the frozen terms give is computed, and the seller alone accepts it (the
buyer's refund) or rejects it (a dispute); a completed deal's carbon receipt states its figures.
The money an adjustment moves and its notices are proven on the database (`test_sale_vat.py`,
`test_deal_chat_paths.py`), the receipt's PDF in `test_deal_documents.py`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.accounts.billing import Party
from core.deals.after_sale import quality_report
from core.deals.after_sale import service as after_sale
from core.deals.after_sale.carbon_receipt import carbon_receipt
from core.deals.events import DisputeOpened
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from core.process.deals import DealState
from tests.deals.after_sale_fakes import BOB, EVE, ROOT, SAM, MemoryLogbook

# At most 10 % moisture, 1.50 EUR a tonne per point over; at least 16.5 MJ/kg, 4 EUR per MJ short.
QUALITY = ({"name": "moisture", "limit": "10", "is_maximum": True, "penalty_minor": 150},
           {"name": "ncv", "limit": "16.5", "is_maximum": False, "penalty_minor": 400})


def delivered(**terms: object) -> tuple[MemoryLogbook, int]:
    """Sam's 100 t at 220 EUR delivered to Bob, under the QUALITY specs (and `terms`)."""
    book = MemoryLogbook()
    return book, book.sale(DealState.DELIVERED, quality=QUALITY, **terms)


async def test_only_the_buyer_reports_what_arrived():
    book, deal_id = delivered()
    with pytest.raises(NotAllowed):
        await quality_report.report(book, deal_id, SAM, {"moisture": "12"})
    with pytest.raises(NotFound):
        await quality_report.report(book, deal_id, EVE, {"moisture": "12"})
    for measured, quantity in (({"moisture": "wet"}, None), ({"moisture": "-1"}, None),
                               ({"ash": "NaN"}, None), ({}, "lots"), ({}, "1e10")):
        with pytest.raises(DomainError):
            await quality_report.report(book, deal_id, BOB, measured, quantity)
    assert book.reports == {} and book.deals[deal_id].status == "delivered"


async def test_within_the_tolerances_the_deal_completes_without_an_adjustment():
    book, deal_id = delivered()
    facts = await quality_report.report(book, deal_id, BOB, {"moisture": "9,5", "ncv": "17",
                                                             "ash": ""}, delivered="96")
    assert quality_report.within_tolerances(facts) and facts.adjustment == Money(0, "EUR")
    assert (dict(facts.measured), facts.delivered) == ({"moisture": Decimal("9.5"), "ncv": Decimal(17)},
                                                       Decimal(96))
    assert book.moves == [(deal_id, "confirm-receipt", BOB)]
    assert book.deals[deal_id].status == "completed"


async def test_beyond_them_the_agreed_penalties_and_the_missing_goods_are_proposed_off_the_price():
    book, deal_id = delivered()
    # 2 points too wet * 1.50 * 100 t + 0.5 MJ/kg short * 4 * 100 t = 300 + 200
    facts = await quality_report.report(book, deal_id, BOB, {"moisture": "12", "ncv": "16"})
    assert facts.adjustment == Money.parse("500", "EUR") and facts.delivered == Decimal(100)
    assert book.deals[deal_id].status == "adjustment_proposed"
    book, deal_id = delivered()  # 90 t of 100, 5 % tolerated: 5 t * 220 EUR missing
    facts = await quality_report.report(book, deal_id, BOB, {}, delivered="90")
    assert (facts.adjustment, book.reports[deal_id].delivered_milli) == (
        Money.parse("1100", "EUR"), 90_000)
    book, deal_id = delivered(tolerance_percent="10")  # the terms' own tolerance
    facts = await quality_report.report(book, deal_id, BOB, {}, delivered="90")
    assert quality_report.within_tolerances(facts)


async def test_an_adjustment_never_takes_the_whole_price():
    book, deal_id = delivered()
    facts = await quality_report.report(book, deal_id, BOB, {"moisture": "1000"})
    assert facts.adjustment == Money(2_200_000 - 1, "EUR")


async def reported() -> tuple[MemoryLogbook, int]:
    book, deal_id = delivered()
    await quality_report.report(book, deal_id, BOB, {"moisture": "12", "ncv": "16"})
    return book, deal_id


async def test_only_the_seller_answers_the_adjustment_and_once():
    book, deal_id = await reported()
    for who, refused in ((BOB, NotAllowed), (ROOT, NotAllowed), (EVE, NotFound)):
        with pytest.raises(refused):
            await quality_report.answer(book, deal_id, who, True)
    await quality_report.answer(book, deal_id, SAM, True)
    with pytest.raises(Conflict):
        await quality_report.answer(book, deal_id, SAM, False)


async def test_an_accepted_adjustment_completes_the_deal_and_is_the_buyers_refund():
    book, deal_id = await reported()
    assert await quality_report.accepted_refund(book, deal_id) is None
    deal = await quality_report.answer(book, deal_id, SAM, True)
    assert deal.status == "completed" and book.reports[deal_id].answer == "accepted"
    assert await quality_report.accepted_refund(book, deal_id) == 50_000
    assert await after_sale.owed_to_buyer(book, deal_id) == (None, 50_000)
    assert book.disputes == {}


async def test_a_rejected_adjustment_becomes_a_dispute_an_admin_decides():
    book, deal_id = await reported()
    deal = await quality_report.answer(book, deal_id, SAM, False)
    [dispute] = book.disputes.values()
    assert (deal.status, book.reports[deal_id].answer) == ("disputed", "rejected")
    assert (dispute.deal_id, dispute.opened_by, dispute.reason) == (
        deal_id, SAM, "The seller rejected the buyer's quality adjustment of €500.00.")
    assert book.events == [DisputeOpened(dispute.id, deal_id)]
    assert await quality_report.accepted_refund(book, deal_id) is None


async def test_a_carbon_receipt_states_the_delivered_energy_once_the_delivery_is_accepted():
    book = MemoryLogbook(names={SAM: Party("Jānis Bērziņš"), BOB: Party("Bob")})
    for status in ("delivered", "adjustment_proposed", "disputed", "refunded"):
        with pytest.raises(Conflict):
            await carbon_receipt(book, book.sale(status), BOB)
    for status in ("completed", "closed"):
        deal_id = book.sale(status)
        with pytest.raises(NotFound):
            await carbon_receipt(book, deal_id, EVE)
        receipt = await carbon_receipt(book, deal_id, SAM)  # 100 t of pellets, 4.8 MWh a tonne
        assert (receipt.deal_id, receipt.seller.name, receipt.buyer.name, receipt.product_type,
                receipt.quantity, receipt.unit, receipt.energy_mwh, receipt.issued_on) == (
            deal_id, "Jānis Bērziņš", "Bob", "pellets", Decimal(100), "t", Decimal(480),
            book.at.date())
        assert receipt.avoided_kg == Decimal("126144.0")
    del book.listings[book.deals[deal_id].listing_id]
    with pytest.raises(Conflict):  # its energy content is gone with it
        await carbon_receipt(book, deal_id, ROOT)
