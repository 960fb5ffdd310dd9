"""Delivery and quality: the buyer confirms, or reports measured values; outside the frozen
tolerances Agora proposes a price adjustment that the seller accepts (a split: partial refund
and release) or rejects (a dispute)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from core.deals import deals, rules
from core.deals.after_sale.logbook import Logbook
from core.deals.after_sale.sql_logbook import logbook_of
from core.deals.events import DisputeOpened
from core.deals.facts import QualityFacts, quality_facts
from core.deals.tables import Deal, Dispute, QualityReport
from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import _, present
from core.money.model import Money
from core.process.deals import BUYER, SELLER
from core.storage.uow import UnitOfWork

MEASURABLE = {"moisture": "%", "ash": "%", "ncv": "MJ/kg"}


async def report(uow: UnitOfWork | Logbook, deal_id: int, buyer_id: int, measured: dict[str, str],
                 delivered: str | None = None, measured_by: str | None = None) -> QualityFacts:
    """Record what arrived; within tolerance the deal completes, outside it an adjustment is
    proposed to the seller (deviation * agreed penalty * quantity, never below zero).
    `measured_by`: the independent inspector whose figures the buyer took."""
    book = logbook_of(uow)
    deal = await book.deal(deal_id, buyer_id)
    if await book.role(deal, buyer_id) != BUYER:
        raise NotAllowed(_("Only the buyer reports what arrived."))
    values = {name: _number(name, text) for name, text in measured.items() if text not in (None, "")}
    agreed = Decimal(deal.quantity_milli) / 1000
    arrived = _number("delivered quantity", delivered) if delivered else agreed
    cost = await _adjustment(book, deal, values, arrived)
    row = QualityReport(deal_id=deal_id, measured={k: str(v) for k, v in values.items()},
                        delivered_milli=int(arrived * 1000), adjustment_minor=cost.amount,
                        measured_by=(measured_by or "")[:120] or None, created_at=book.now())
    await book.put(row)
    await book.take(deal_id, "report-quality" if row.adjustment_minor else
                     "confirm-receipt", buyer_id)
    return quality_facts(row, deal)


async def preview(uow: UnitOfWork | Logbook, deal_id: int, measured: dict[str, Decimal]) -> Money:
    """The adjustment these figures would give under the deal's frozen terms, the whole
    quantity arrived (what both parties are shown before the buyer reports them)."""
    book = logbook_of(uow)
    deal = await book.stored_deal(deal_id)
    assert deal is not None
    return await _adjustment(book, deal, measured, Decimal(deal.quantity_milli) / 1000)


async def _adjustment(book: Logbook, deal: Deal, values: dict[str, Decimal], arrived: Decimal
                      ) -> Money:
    body = await book.terms(deal.id)
    price = Money(deal.price_minor, deal.currency)
    agreed = Decimal(deal.quantity_milli) / 1000
    tolerance = Decimal(str(body.get("tolerance_percent") or rules.QUANTITY_TOLERANCE_PERCENT))
    return rules.price_adjustment(rules.specs_of(body, deal.currency), values, agreed, arrived,
                                  tolerance, price, deals.total(deal))


def within_tolerances(report: QualityFacts) -> bool:
    """Whether what arrived met the terms: no price adjustment follows."""
    return not report.adjustment.amount


async def answer(uow: UnitOfWork | Logbook, deal_id: int, seller_id: int, accept: bool
                 ) -> Deal:
    """The seller accepts the adjustment (completion: refund it, release the rest) or rejects
    it (the deal goes to a dispute an admin decides)."""
    book = logbook_of(uow)
    deal = await book.deal(deal_id, seller_id)
    if await book.role(deal, seller_id) != SELLER:
        raise NotAllowed(_("Only the seller answers a price adjustment."))
    if not await book.answer(deal_id, "accepted" if accept else "rejected"):
        raise Conflict(_("That adjustment was answered already."))
    await book.take(deal_id, "accept-adjustment" if accept else "reject-adjustment", seller_id)
    if not accept:
        row = await book.report(deal_id)
        amount = Money(row.adjustment_minor if row else 0, deal.currency)
        dispute = Dispute(deal_id=deal_id, opened_by=seller_id, created_at=book.now(),
                          # kept as written: an admin reads it later, in no one's own format
                          reason="The seller rejected the buyer's quality adjustment of "
                                 f"{amount.format('en')}.")
        await book.put(dispute)
        book.emit(DisputeOpened(dispute.id, deal_id))
    return deal


async def accepted_refund(uow: UnitOfWork | Logbook, deal_id: int) -> int | None:
    """The buyer's refund from an accepted adjustment, in minor units (for the money layer)."""
    row = await logbook_of(uow).report(deal_id)
    return row.adjustment_minor if row is not None and row.answer == "accepted" else None


def _number(name: str, text: str) -> Decimal:
    try:
        value = Decimal(str(text).replace(",", ".").strip())
    except InvalidOperation:
        raise DomainError(_("The {name} is a number, like {example}.", name=name,
                                     example=present.number(Decimal("9.5")))) from None
    if not value.is_finite() or value < 0 or value > 10**9:
        raise DomainError(_("The {name} is a number from 0 up.", name=name))
    return value
