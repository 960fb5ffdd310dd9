"""Purchase approval: a company buyer's offer, counter-offer, acceptance or Buy now above her
spending limit is held as "awaiting approval" — nothing reaches the seller — until an approver
of her company approves it (then it is made in her name, exactly as she drafted it) or rejects
it with a reason. Every decision is in the company's audit; a decision is taken once, guarded
in the database, whichever approver presses first. Its drafted terms are kept and read back
by core.deals.approvals.drafted."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.accounts.tables import Account
from core.companies import rules
from core.companies.audit_trail import audit
from core.companies.seats import seat_of, with_role
from core.deals.approvals.drafted import _frozen, terms_of, total_of
from core.deals.events import PurchaseDecided, PurchaseHeld
from core.deals.offers import service as offers
from core.deals.offers import spending
from core.deals.offers.facts import Terms, terms_of_offer
from core.deals.tables import Deal, Offer, PurchaseRequest
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.process.deals import BUYER
from core.storage.uow import UnitOfWork

KINDS = ("offer", "counter", "accept", "buy")
REASON_LIMIT = 500


class PurchaseState(StrEnum):
    """A purchase held for approval (`PurchaseRequest.status`): waiting; decided either way or
    withdrawn by its requester; or approved too late to be made (its offer gone meanwhile)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"


@dataclass(frozen=True)
class Placed:
    """What became of a purchase: an offer sent, a deal agreed, or a request held (`held`,
    above `limit`, deciding approvers' names in `approvers`)."""

    offer_id: int | None = None
    deal_id: int | None = None
    held: int | None = None
    total: Money | None = None
    limit: Money | None = None
    approvers: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequestView:
    """A held purchase as flows read it: who asked, for how much, and what became of it
    (`reason`: why it was rejected or lapsed; the offer or deal it made once approved)."""

    id: int
    requester_id: int
    status: str  # pending | approved | rejected | withdrawn | lapsed
    total: Money
    reason: str | None
    result_offer_id: int | None
    result_deal_id: int | None


def request_view(request: PurchaseRequest) -> RequestView:
    """The read model of a purchase request's row."""
    return RequestView(request.id, request.requester_id, request.status, total_of(request),
                       request.reason, request.result_offer_id, request.result_deal_id)


def _made(made: Offer | Deal) -> Placed:
    return Placed(deal_id=made.id) if isinstance(made, Deal) else Placed(offer_id=made.id)


async def offer(uow: UnitOfWork, listing_id: int, buyer_id: int, terms: Terms) -> Placed:
    """A first offer: made now, or held when above the buyer's limit."""
    return await _place(uow, "offer", buyer_id, listing_id, terms, None)


async def buy(uow: UnitOfWork, listing_id: int, buyer_id: int, terms: Terms) -> Placed:
    """Buy now: the deal now, or held when above the buyer's limit."""
    return await _place(uow, "buy", buyer_id, listing_id, terms, None)


async def counter(uow: UnitOfWork, offer_id: int, actor_id: int, terms: Terms) -> Placed:
    """A counter-offer; the buyer's is held when above her limit (a seller's never is)."""
    answered, role = await offers.get(uow, offer_id, actor_id)
    if role != BUYER:
        return _made(await offers.counter(uow, offer_id, actor_id, terms))
    return await _place(uow, "counter", actor_id, answered.listing_id, terms, offer_id)


async def accept(uow: UnitOfWork, offer_id: int, actor_id: int) -> Placed:
    """Accepting an offer; the buyer's acceptance is held when above her limit."""
    answered, role = await offers.get(uow, offer_id, actor_id)
    if role != BUYER:
        return _made(await offers.accept(uow, offer_id, actor_id))
    return await _place(uow, "accept", actor_id, answered.listing_id,
                        terms_of_offer(answered), offer_id)


async def get(uow: UnitOfWork, request_id: int, actor_id: int | None) -> RequestView:
    """A held purchase, for its requester and the colleagues who may approve or see it."""
    return request_view(await request_row(uow, request_id, actor_id))


async def approve(uow: UnitOfWork, request_id: int, approver_id: int) -> RequestView:
    """An approver says yes: the purchase is made in the requester's name. When it can no
    longer be made (the offer expired, the stock went), the request lapses, saying why."""
    request = await _decidable(uow, request_id, approver_id)
    await _decide(uow, request, PurchaseState.APPROVED, approver_id, None)
    told = len(uow.events)
    try:
        async with uow.nested():
            made = await _carry_out(uow, request)
    except DomainError as exc:
        del uow.events[told:]  # what the rolled-back attempt announced did not happen
        uow.session.expire_all()  # nor what it set on the objects it touched
        request = await request_row(uow, request_id, approver_id)
        await _settle(uow, request, PurchaseState.LAPSED, str(exc)[:REASON_LIMIT])
        await audit(uow, request.company_id, approver_id, "purchase_lapsed",
                    f"purchase:{request.id}", reason=str(exc))
    else:
        request.result_deal_id = made.id if isinstance(made, Deal) else None
        request.result_offer_id = made.id if isinstance(made, Offer) else None
    uow.emit(PurchaseDecided(request.id, request.status))
    return request_view(request)


async def reject(uow: UnitOfWork, request_id: int, approver_id: int,
                 reason: str) -> RequestView:
    """An approver says no, with a reason the requester reads."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Please give a reason: the buyer reads it."))
    if len(reason) > REASON_LIMIT:
        raise DomainError(_("The reason is too long ({limit} characters at most).",
                            limit=REASON_LIMIT))
    request = await _decidable(uow, request_id, approver_id)
    await _decide(uow, request, PurchaseState.REJECTED, approver_id, reason)
    uow.emit(PurchaseDecided(request.id, PurchaseState.REJECTED))
    return request_view(request)


async def cancel(uow: UnitOfWork, request_id: int, requester_id: int) -> RequestView:
    """The buyer withdraws her request before anyone decided."""
    request = await request_row(uow, request_id, requester_id)
    if request.requester_id != requester_id:
        raise NotAllowed(_("Only who asked can withdraw the request."))
    await _decide(uow, request, PurchaseState.WITHDRAWN, requester_id, None)
    uow.emit(PurchaseDecided(request.id, PurchaseState.WITHDRAWN))
    return request_view(request)


async def waiting(uow: UnitOfWork, actor_id: int) -> list[RequestView]:
    """Held purchases the actor asked for or may decide, oldest first."""
    seat = await seat_of(uow, actor_id)
    if seat is None:
        return []
    mine = PurchaseRequest.requester_id == actor_id
    query = select(PurchaseRequest).where(PurchaseRequest.company_id == seat.company.id,
                                          PurchaseRequest.status == PurchaseState.PENDING)
    if not seat.may("approve"):
        query = query.where(mine)
    found = (await uow.session.execute(query.order_by(PurchaseRequest.id))).scalars()
    return [request_view(request) for request in found]


# --- helpers --------------------------------------------------------------------------------


async def _place(uow: UnitOfWork, kind: str, buyer_id: int, listing_id: int, terms: Terms,
                 offer_id: int | None) -> Placed:
    total = spending.commitment(terms.price, terms.quantity, terms.call_offs)
    seat = await spending.holding_seat(uow, buyer_id, total)
    if seat is None:
        return _made(await _carry_out_terms(uow, kind, buyer_id, listing_id, terms, offer_id,
                                            False))
    approvers = await with_role(uow, seat.company.id, "approve", excluding=buyer_id)
    rules.check_has_approvers(approvers, seat.limit, seat.company.name)
    request = PurchaseRequest(
        company_id=seat.company.id, requester_id=buyer_id, listing_id=listing_id, kind=kind,
        offer_id=offer_id, terms=_frozen(terms), total_minor=total.amount,
        currency=total.currency, status=PurchaseState.PENDING, created_at=uow.clock.now())
    await uow.insert(request)
    await audit(uow, seat.company.id, buyer_id, "purchase_held", f"purchase:{request.id}",
                kind=kind, total=str(total), limit=str(seat.limit))
    uow.emit(PurchaseHeld(request.id))
    names = (await uow.session.execute(select(Account.display_name).where(
        Account.id.in_(approvers)).order_by(Account.display_name))).scalars()
    return Placed(held=request.id, total=total, limit=seat.limit, approvers=tuple(names))


async def _carry_out(uow: UnitOfWork, request: PurchaseRequest) -> Offer | Deal:
    return await _carry_out_terms(uow, request.kind, request.requester_id, request.listing_id,
                                  terms_of(request), request.offer_id, True)


async def _carry_out_terms(uow: UnitOfWork, kind: str, buyer_id: int, listing_id: int,
                           terms: Terms, offer_id: int | None, approved: bool) -> Offer | Deal:
    if kind == "buy":
        return await offers.buy_now(uow, listing_id, buyer_id, terms, approved=approved)
    if kind == "counter" and offer_id is not None:
        return await offers.counter(uow, offer_id, buyer_id, terms, approved=approved)
    if kind == "accept" and offer_id is not None:
        return await offers.accept(uow, offer_id, buyer_id, approved=approved)
    return await offers.make_offer(uow, listing_id, buyer_id, terms, approved=approved)


async def request_row(uow: UnitOfWork, request_id: int, actor_id: int | None
                      ) -> PurchaseRequest:
    """The held purchase's row, for core (its card, its decisions); flows read `get`."""
    request = await uow.get(PurchaseRequest, request_id)
    if request is None or not await _may_see(uow, request, actor_id):
        raise NotFound(_("That purchase request doesn't exist."))
    return request


async def _may_see(uow: UnitOfWork, request: PurchaseRequest, actor_id: int | None) -> bool:
    if actor_id is None or actor_id == request.requester_id:
        return actor_id is not None  # no need to read the seat
    seat = await seat_of(uow, actor_id)
    return seat is not None and rules.may_see_purchase(
        actor_id, request.requester_id, seat.company.id, request.company_id, seat.roles)


async def _decidable(uow: UnitOfWork, request_id: int, approver_id: int) -> PurchaseRequest:
    request = await request_row(uow, request_id, approver_id)
    seat = None if approver_id == request.requester_id else await seat_of(uow, approver_id)
    rules.check_may_decide(approver_id, request.requester_id, seat.roles if seat else None)
    return request


async def _decide(uow: UnitOfWork, request: PurchaseRequest, status: str, actor_id: int,
                  reason: str | None) -> None:
    """pending → `status`, once: a second approver's press (or a race) is refused."""
    now = uow.clock.now()
    done = await uow.session.execute(update(PurchaseRequest).where(
        PurchaseRequest.id == request.id, PurchaseRequest.status == PurchaseState.PENDING)
        .values(status=status, decided_by=actor_id, decided_at=now, reason=reason))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("Someone decided on that purchase a moment ago; look at it again."))
    for name, value in (("status", status), ("decided_by", actor_id), ("decided_at", now),
                        ("reason", reason)):
        set_committed_value(request, name, value)
    await audit(uow, request.company_id, actor_id, f"purchase_{status}", f"purchase:{request.id}",
                total=str(total_of(request)), reason=reason)


async def _settle(uow: UnitOfWork, request: PurchaseRequest, status: str, reason: str) -> None:
    await uow.session.execute(update(PurchaseRequest).where(PurchaseRequest.id == request.id)
                              .values(status=status, reason=reason))
    set_committed_value(request, "status", status)
    set_committed_value(request, "reason", reason)

