"""A deal after payment: shipment, delivery, disputes and the two-way, double-blind ratings.
Every step is a declared deal transition taken through `deals.take` (handed on by the
logbook, `core.deals.after_sale.logbook`); this module keeps what each step records and who may
take it, on any logbook: the database's on a unit of work, or the one given."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from core.deals import deals
from core.deals.after_sale.logbook import Logbook
from core.deals.after_sale.sql_logbook import logbook_of
from core.deals.events import (
    DealRated,
    DisputeDecided,
    DisputeOpened,
    DisputeQuestion,
    ShipmentUpdated,
)
from core.deals.ratings.tables import Rating
from core.deals.rules import ShipmentStatus
from core.deals.tables import Deal, Dispute, Shipment
from core.errors import Conflict, DomainError, InvalidField, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.process.deals import BUYER, DEAL_PROCESS, SELLER
from core.storage.uow import UnitOfWork

SHIPMENT_STATUSES = tuple(ShipmentStatus)
ASPECTS = {SELLER: ("quality", "delivery", "communication"),  # what a seller is rated on
           BUYER: ("payment", "communication")}
Book = UnitOfWork | Logbook  # the database's logbook is built on a unit of work given


def _arrival(expected_on: date | None) -> datetime | None:
    """The expected arrival is a day, no hour: kept as that day's start in UTC (read back with
    `Shipment.expected_day`), so no zone moves it and no one reads a time nobody gave."""
    if expected_on is None:
        return None
    if isinstance(expected_on, datetime):
        expected_on = expected_on.astimezone(UTC).date()
    return datetime.combine(expected_on, time(0), UTC)


async def mark_shipped(uow: Book, deal_id: int, seller_id: int, carrier: str,
                       tracking: str | None, expected_on: date | None) -> Shipment:
    """The seller sends the goods: carrier, reference and the day they are expected."""
    book = logbook_of(uow)
    await book.take(deal_id, "mark-shipped", seller_id)
    if not carrier.strip():
        raise DomainError(_("Name the carrier (or “own transport”)."))
    shipment = Shipment(deal_id=deal_id, carrier=carrier.strip()[:80], status=ShipmentStatus.DISPATCHED,
                        tracking=(tracking or "").strip()[:80] or None,
                        expected_at=_arrival(expected_on),
                        updated_at=book.now())
    await book.put(shipment)
    return shipment


async def update_shipment(uow: Book, deal_id: int, seller_id: int, status: str,
                          expected_on: date | None = None, note: str = "") -> Shipment:
    """In transit, delayed (with a new day), delivered: the seller keeps both informed."""
    book = logbook_of(uow)
    deal = await book.deal(deal_id, seller_id)
    if await book.role(deal, seller_id) != SELLER:
        raise NotAllowed(_("Only the seller updates the shipment."))
    if not DEAL_PROCESS.allows("update-shipment", deal.status, SELLER):
        raise Conflict(_("That step is no longer possible: the {name} has moved on.",
                         name=DEAL_PROCESS.name))
    if status not in SHIPMENT_STATUSES:
        raise DomainError(_("Choose dispatched, in transit, delayed or delivered."))
    if status == ShipmentStatus.DELAYED and expected_on is None:
        raise DomainError(_("A delay needs the new expected date."))
    shipment = await book.shipment(deal_id)
    if shipment is None:
        raise Conflict(_("Mark the goods shipped first."))
    if status == ShipmentStatus.DELIVERED:
        await book.take(deal_id, "mark-delivered", seller_id)
    shipment.status, shipment.note, shipment.updated_at = status, note or None, book.now()
    shipment.expected_at = _arrival(expected_on) or shipment.expected_at
    if status != ShipmentStatus.DELIVERED:  # delivered moves the deal, whose notice says so
        book.emit(ShipmentUpdated(deal_id, status))
    return shipment


async def open_dispute(uow: Book, deal_id: int, actor_id: int, reason: str) -> Dispute:
    """Either party disputes a deal in progress, with a reason."""
    if len(reason.strip()) < 5:
        raise DomainError(_("Say what went wrong (at least a few words)."))
    book = logbook_of(uow)
    await book.take(deal_id, "dispute", actor_id)
    dispute = Dispute(deal_id=deal_id, opened_by=actor_id, reason=reason.strip()[:2000],
                      created_at=book.now())
    await book.put(dispute)
    book.emit(DisputeOpened(dispute.id, deal_id))
    return dispute


async def decide(uow: Book, dispute_id: int, admin_id: int, outcome: str, reasons: str,
                 refund: Money | None = None) -> Dispute:
    """An operator releases, refunds or splits (with the buyer's refund), giving reasons."""
    book = logbook_of(uow)
    await _require(book, admin_id, "decide_disputes")
    if outcome not in ("release", "refund", "split"):
        raise DomainError(_("Decide release, refund or split."))
    if not 5 <= len(reasons.strip()) <= 2000:
        raise InvalidField("reasons", _("Give both parties your reasons (5 to 2000 characters)."))
    dispute = await book.dispute(dispute_id)
    if dispute is None:
        raise NotFound(_("That dispute doesn't exist."))
    deal = await book.stored_deal(dispute.deal_id)
    assert deal is not None
    if outcome == "split" and (refund is None or not 0 < refund.amount < deals.payable(deal).amount
                               or refund.currency != deal.currency):
        raise InvalidField("refund", _("A split needs the buyer's refund, more than nothing and "
                             "less than the whole {total}.", total=deals.payable(deal)))
    await book.take(deal.id, f"resolve-{outcome}", admin_id)
    if not await book.decide(dispute_id, outcome=outcome, decision=reasons.strip()[:2000],
                             decided_by=admin_id, decided_at=book.now(),
                             refund_minor=refund.amount if refund else None):
        raise Conflict(_("That dispute was decided a moment ago."))
    book.emit(DisputeDecided(dispute.id, deal.id))
    await book.audit(admin_id, "dispute-decided", f"dispute:{dispute.id}",
                       reasons.strip()[:2000], outcome=outcome,
                       refund_minor=refund.amount if refund else None, currency=deal.currency)
    return dispute


async def rate(uow: Book, deal_id: int, rater_id: int, stars: int,
               aspects: dict[str, int] | None = None, comment: str = "",
               quote_ok: bool = False) -> Rating:
    """A party rates the other after completion; both ratings publish together (double-blind),
    or when the rating window closes. `quote_ok`: the website may quote the comment."""
    book = logbook_of(uow)
    deal = await book.deal(deal_id, rater_id)
    role = await book.role(deal, rater_id)
    if role not in (BUYER, SELLER):
        raise NotAllowed(_("Only the parties rate a deal."))
    if not DEAL_PROCESS.allows("rate", deal.status, role):
        raise Conflict(_("A deal is rated once it is completed."))
    ratee_role = SELLER if role == BUYER else BUYER
    rating = Rating(deal_id=deal_id, rater_id=rater_id, stars=_stars(stars),
                    ratee_id=deal.seller_id if role == BUYER else deal.buyer_id,
                    aspects=_aspects(aspects or {}, ratee_role), comment=comment.strip()[:1000]
                    or None, quote_ok=bool(quote_ok and comment.strip()),
                    created_at=book.now())
    if not await book.rate_once(rating):  # a second tap, or a card older than the rating
        raise Conflict(_("You rated this deal already."))
    book.emit(DealRated(deal_id, rater_id, rating.id))
    if await book.rated(deal_id) == 2:
        await book.publish(deal_id)
    return rating


async def owed_to_buyer(uow: Book, deal_id: int) -> tuple[int | None, int | None]:
    """What the buyer gets back when the deal's money is released, in minor units: the share
    an admin's split of its dispute gives her (of what is held), and the price adjustment the
    seller accepted after her quality report (on the price, before VAT). One read: asked at
    every deal's release, where both are almost always None."""
    return await logbook_of(uow).owed(deal_id)


def _stars(value: int) -> int:
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise DomainError(_("Rate from 1 to 5 stars."))
    return value


def _aspects(given: dict[str, int], ratee_role: str) -> dict[str, Any]:
    unknown = set(given) - set(ASPECTS[ratee_role])
    if unknown:
        raise DomainError(_("A {ratee_role} is rated on {aspects}.",
                            ratee_role=ratee_role, aspects=', '.join(ASPECTS[ratee_role])))
    return {name: _stars(value) for name, value in given.items()}


async def ask_party(uow: Book, dispute_id: int, admin_id: int, party: str,
                    question: str) -> None:
    """An operator asks the buyer or the seller of a dispute a question (relayed to them)."""
    book = logbook_of(uow)
    await _require(book, admin_id, "ask_party")
    dispute, deal = await _dispute(book, dispute_id)
    if party not in (BUYER, SELLER):
        raise InvalidField("party", _("Ask the buyer or the seller."))
    if not 3 <= len(question.strip()) <= 2000:
        raise InvalidField("question", _("Ask in 3 to 2000 characters."))
    to = deal.buyer_id if party == BUYER else deal.seller_id
    book.emit(DisputeQuestion(dispute.id, admin_id, to, question.strip()))
    await book.audit(admin_id, "dispute-question", f"dispute:{dispute.id}",
                       question.strip(), party=party)


async def answer_admins(uow: Book, dispute_id: int, party_id: int, text: str) -> None:
    """A party of a dispute answers the admins."""
    book = logbook_of(uow)
    dispute, deal = await _dispute(book, dispute_id)
    if party_id not in (deal.buyer_id, deal.seller_id):
        raise NotFound(_("That dispute doesn't exist."))
    if dispute.decided_at is not None:
        raise Conflict(_("That dispute is decided already."))
    if not 1 <= len(text.strip()) <= 2000:
        raise DomainError(_("An answer has 1 to 2000 characters."))
    book.emit(DisputeQuestion(dispute.id, party_id, None, text.strip()))


async def _require(book: Logbook, actor_id: int, action: str) -> None:
    """NotAllowed unless the operator's console role allows `action`."""
    if not await book.may(actor_id, action):
        raise NotAllowed(_("That is for administrators."))


async def _dispute(book: Logbook, dispute_id: int) -> tuple[Dispute, Deal]:
    dispute = await book.dispute(dispute_id)
    deal = await book.stored_deal(dispute.deal_id) if dispute else None
    if dispute is None or deal is None:
        raise NotFound(_("That dispute doesn't exist."))
    return dispute, deal
