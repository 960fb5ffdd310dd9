"""Purchase approval: a company buyer's offer, counter-offer, acceptance or Buy now above her
spending limit is held as "awaiting approval" — nothing reaches the seller — until an approver
of her company approves it (then it is made in her name, exactly as she drafted it) or rejects
it with a reason. Every decision is in the company's audit; a decision is taken once, guarded
in storage, whichever approver presses first. Its drafted terms are kept and read back by
core.deals.approvals.drafted. Each use case asks only the approval book
(`core.deals.approvals.book`), and makes a purchase through the offers' negotiation it hands,
so the rules run as well on the tests' in-memory book as on the database."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from core.companies import rules
from core.deals.approvals.book import ApprovalBook
from core.deals.approvals.drafted import _frozen, terms_of, total_of
from core.deals.approvals.sql_book import approval_book_of
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

Books: TypeAlias = UnitOfWork | ApprovalBook  # the database's unit of work, or a book (a test's fake)

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


async def offer(uow: Books, listing_id: int, buyer_id: int, terms: Terms) -> Placed:
    """A first offer: made now, or held when above the buyer's limit."""
    return await _place(approval_book_of(uow), "offer", buyer_id, listing_id, terms, None)


async def buy(uow: Books, listing_id: int, buyer_id: int, terms: Terms) -> Placed:
    """Buy now: the deal now, or held when above the buyer's limit."""
    return await _place(approval_book_of(uow), "buy", buyer_id, listing_id, terms, None)


async def counter(uow: Books, offer_id: int, actor_id: int, terms: Terms) -> Placed:
    """A counter-offer; the buyer's is held when above her limit (a seller's never is)."""
    book = approval_book_of(uow)
    answered, role = await offers.get(book.negotiation(), offer_id, actor_id)
    if role != BUYER:
        return _made(await offers.counter(book.negotiation(), offer_id, actor_id, terms))
    return await _place(book, "counter", actor_id, answered.listing_id, terms, offer_id)


async def accept(uow: Books, offer_id: int, actor_id: int) -> Placed:
    """Accepting an offer; the buyer's acceptance is held when above her limit."""
    book = approval_book_of(uow)
    answered, role = await offers.get(book.negotiation(), offer_id, actor_id)
    if role != BUYER:
        return _made(await offers.accept(book.negotiation(), offer_id, actor_id))
    return await _place(book, "accept", actor_id, answered.listing_id,
                        terms_of_offer(answered), offer_id)


async def get(uow: Books, request_id: int, actor_id: int | None) -> RequestView:
    """A held purchase, for its requester and the colleagues who may approve or see it."""
    return request_view(await request_row(uow, request_id, actor_id))


async def approve(uow: Books, request_id: int, approver_id: int) -> RequestView:
    """An approver says yes: the purchase is made in the requester's name. When it can no
    longer be made (the offer expired, the stock went), the request lapses, saying why."""
    book = approval_book_of(uow)
    request = await _decidable(book, request_id, approver_id)
    await _decide(book, request, PurchaseState.APPROVED, approver_id, None)
    try:
        async with book.attempt():  # a failed attempt leaves nothing behind
            made = await _carry_out(book, request)
    except DomainError as exc:
        request = await request_row(book, request_id, approver_id)
        await book.settle(request, PurchaseState.LAPSED, str(exc)[:REASON_LIMIT])
        await book.audit(request.company_id, approver_id, "purchase_lapsed",
                         f"purchase:{request.id}", reason=str(exc))
    else:
        await book.made(request, made.id if isinstance(made, Offer) else None,
                        made.id if isinstance(made, Deal) else None)
    book.emit(PurchaseDecided(request.id, request.status))
    return request_view(request)


async def reject(uow: Books, request_id: int, approver_id: int, reason: str) -> RequestView:
    """An approver says no, with a reason the requester reads."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Please give a reason: the buyer reads it."))
    if len(reason) > REASON_LIMIT:
        raise DomainError(_("The reason is too long ({limit} characters at most).",
                            limit=REASON_LIMIT))
    book = approval_book_of(uow)
    request = await _decidable(book, request_id, approver_id)
    await _decide(book, request, PurchaseState.REJECTED, approver_id, reason)
    book.emit(PurchaseDecided(request.id, PurchaseState.REJECTED))
    return request_view(request)


async def cancel(uow: Books, request_id: int, requester_id: int) -> RequestView:
    """The buyer withdraws her request before anyone decided."""
    book = approval_book_of(uow)
    request = await request_row(book, request_id, requester_id)
    if request.requester_id != requester_id:
        raise NotAllowed(_("Only who asked can withdraw the request."))
    await _decide(book, request, PurchaseState.WITHDRAWN, requester_id, None)
    book.emit(PurchaseDecided(request.id, PurchaseState.WITHDRAWN))
    return request_view(request)


async def waiting(uow: Books, actor_id: int) -> list[RequestView]:
    """Held purchases the actor asked for or may decide, oldest first."""
    book = approval_book_of(uow)
    seat = await book.seat(actor_id)
    if seat is None:
        return []
    found = await book.pending(seat.company.id, None if seat.may("approve") else actor_id)
    return [request_view(request) for request in found]


# --- helpers --------------------------------------------------------------------------------


async def _place(book: ApprovalBook, kind: str, buyer_id: int, listing_id: int, terms: Terms,
                 offer_id: int | None) -> Placed:
    total = spending.commitment(terms.price, terms.quantity, terms.call_offs)
    seat = spending.held_by(await book.seat(buyer_id), total)
    if seat is None:
        return _made(await _carry_out_terms(book, kind, buyer_id, listing_id, terms, offer_id,
                                            False))
    approvers = await book.approvers(seat.company.id, buyer_id)
    rules.check_has_approvers(approvers, seat.limit, seat.company.name)
    request = PurchaseRequest(
        company_id=seat.company.id, requester_id=buyer_id, listing_id=listing_id, kind=kind,
        offer_id=offer_id, terms=_frozen(terms), total_minor=total.amount,
        currency=total.currency, status=PurchaseState.PENDING, created_at=book.now())
    await book.put(request)
    await book.audit(seat.company.id, buyer_id, "purchase_held", f"purchase:{request.id}",
                     kind=kind, total=str(total), limit=str(seat.limit))
    book.emit(PurchaseHeld(request.id))
    names = sorted((await book.names(approvers)).values())
    return Placed(held=request.id, total=total, limit=seat.limit, approvers=tuple(names))


async def _carry_out(book: ApprovalBook, request: PurchaseRequest) -> Offer | Deal:
    return await _carry_out_terms(book, request.kind, request.requester_id, request.listing_id,
                                  terms_of(request), request.offer_id, True)


async def _carry_out_terms(book: ApprovalBook, kind: str, buyer_id: int, listing_id: int,
                           terms: Terms, offer_id: int | None, approved: bool) -> Offer | Deal:
    made = book.negotiation()
    if kind == "buy":
        return await offers.buy_now(made, listing_id, buyer_id, terms, approved=approved)
    if kind == "counter" and offer_id is not None:
        return await offers.counter(made, offer_id, buyer_id, terms, approved=approved)
    if kind == "accept" and offer_id is not None:
        return await offers.accept(made, offer_id, buyer_id, approved=approved)
    return await offers.make_offer(made, listing_id, buyer_id, terms, approved=approved)


async def request_row(uow: Books, request_id: int, actor_id: int | None) -> PurchaseRequest:
    """The held purchase's row, for core (its card, its decisions); flows read `get`."""
    book = approval_book_of(uow)
    request = await book.request(request_id)
    if request is None or not await _may_see(book, request, actor_id):
        raise NotFound(_("That purchase request doesn't exist."))
    return request


async def _may_see(book: ApprovalBook, request: PurchaseRequest, actor_id: int | None) -> bool:
    if actor_id is None or actor_id == request.requester_id:
        return actor_id is not None  # no need to read the seat
    seat = await book.seat(actor_id)
    return seat is not None and rules.may_see_purchase(
        actor_id, request.requester_id, seat.company.id, request.company_id, seat.roles)


async def _decidable(book: ApprovalBook, request_id: int, approver_id: int) -> PurchaseRequest:
    request = await request_row(book, request_id, approver_id)
    seat = None if approver_id == request.requester_id else await book.seat(approver_id)
    rules.check_may_decide(approver_id, request.requester_id, seat.roles if seat else None)
    return request


async def _decide(book: ApprovalBook, request: PurchaseRequest, status: str, actor_id: int,
                  reason: str | None) -> None:
    """pending → `status`, once: a second approver's press (or a race) is refused."""
    if not await book.decide(request, status, actor_id, reason):
        raise Conflict(_("Someone decided on that purchase a moment ago; look at it again."))
    await book.audit(request.company_id, actor_id, f"purchase_{status}", f"purchase:{request.id}",
                     total=str(total_of(request)), reason=reason)
