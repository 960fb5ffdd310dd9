"""Requests for supply: a buyer asks, the matching sellers quote, the buyer awards. A request
names the product, quantity, place, delivery window, the most it pays per unit and how long
quotes are taken; every seller with a published listing of the product, or who sold it before,
is asked once (`request_invites`). A quote is an offer from one of the seller's listings, tied
to the request, so an award is the offer's acceptance: the same frozen terms, escrow and timers
as every deal (core.deals.request_award keeps the awards within the request). Here: posting
a request, reading and closing it; quoting and comparing quotes are `quotes`', which sellers
a request reaches `reach`'s."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from core.catalog import gazetteer
from core.catalog.gazetteer import Place
from core.deals import request_rules, rules
from core.deals.events import RequestPosted
from core.deals.requests import auction_rules, sql_register
from core.deals.requests.drafts import Draft, unsaved
from core.deals.requests.register import RequestRegister, register_of, seen
from core.deals.requests.view import RequestView, request_view
from core.deals.tables import SupplyRequest
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _, present
from core.storage.uow import UnitOfWork

CLOSED_BY_BUYER = "The buyer closed the request."  # kept as the reason, in English
INVITED_AT_MOST = 1000  # sellers told of an open request at most (the best matched)
CHOSEN_AT_MOST = 20  # sellers a buyer picks from for a private request


class Asking(Protocol):
    """What `asked` reads: a request's row or its public read model alike."""

    @property
    def quantity_milli(self) -> int: ...
    @property
    def unit(self) -> str: ...


def asked(request: Asking) -> str:
    """What a request asks, in the reader's words and figures: “2 000 t”."""
    return present.quantity_milli(request.quantity_milli, request.unit)


def preview(draft: Draft) -> RequestView:
    """The request as it would be published (not saved: no number, no deadline yet)."""
    return request_view(unsaved(draft))


async def post(uow: UnitOfWork | RequestRegister, buyer_id: int, draft: Draft) -> RequestView:
    """Publish a request and ask the matching sellers to quote (each once)."""
    register = register_of(uow)
    place = " ".join(draft.place.split())[:120]
    if not place:
        raise DomainError(_("Say where the goods are delivered."))
    milli, open_for = request_rules.checked_request(
        draft.product_type, draft.quantity, draft.unit, draft.max_price, draft.delivery_from,
        draft.delivery_to, draft.deadline_days)
    if draft.payment_method not in rules.PAYMENT_METHODS:
        raise DomainError(_("Choose escrow or arranging payment directly."))
    if draft.payment_method not in ("escrow", "direct") \
            and draft.payment_method not in await register.payment_terms(buyer_id):
        raise DomainError(_("Payment on terms is only for companies Agora approved for it; "
                            "choose escrow."))
    auction_rules.checked_setup(draft.mode, draft.max_price, draft.min_step,
                                draft.extend_minutes, draft.reserve, draft.deposit_pct)
    if draft.mode in auction_rules.BIDDING and draft.max_price is not None:
        await _within_spending_limit(register, buyer_id, draft)
    spot = await _spot(register, buyer_id, place)
    invited = await _invitees(register, buyer_id, replace(draft, place=place), spot)
    request = await register.put(buyer_id, draft, milli, place, open_for, spot)
    assert request.id is not None
    await register.invite(request.id, invited)
    register.emit(RequestPosted(request.id, tuple(invited)))
    return request


async def _within_spending_limit(register: RequestRegister, buyer_id: int, draft: Draft) -> None:
    """A tender or auction is awarded at its close, with nobody to approve it then: so a
    company buyer's whole ceiling must be within her spending limit when she posts it."""
    assert draft.max_price is not None
    most = rules.line_total(draft.max_price, int(draft.quantity * 1000))
    limit = await register.spending_limit(buyer_id, most)
    if limit is not None:
        raise DomainError(_("At your highest price the whole quantity comes to {total}, above "
                            "your spending limit of {limit}: lower the price or the quantity, "
                            "or ask for quotes.", total=most, limit=limit))


async def _spot(register: RequestRegister, buyer_id: int, place: str) -> Place | None:
    """Where the goods go, when the gazetteer knows the place (in the buyer's country first)."""
    return gazetteer.lookup(place, await register.country(buyer_id)).place


async def _invitees(register: RequestRegister, buyer_id: int, draft: Draft,
                    spot: Place | None) -> list[int]:
    """An open request's best matched sellers; a private one's chosen sellers, who must be
    among those matched (a buyer can't pull anyone in)."""
    if not draft.private:
        return await register.matching(buyer_id, draft, spot, INVITED_AT_MOST)
    matched = set(await register.matching(buyer_id, draft, spot, None))
    chosen = [seller for seller in dict.fromkeys(draft.invite) if seller in matched]
    if not chosen:
        raise DomainError(_("Choose at least one seller to invite."))
    return chosen[:CHOSEN_AT_MOST]


async def candidates(uow: UnitOfWork | RequestRegister, buyer_id: int,
                     draft: Draft) -> list[tuple[int, str]]:
    """The sellers a buyer may pick for a private request: the best matched, by name."""
    register = register_of(uow)
    spot = await _spot(register, buyer_id, draft.place)
    found = await register.matching(buyer_id, draft, spot, CHOSEN_AT_MOST)
    names = await register.names(found)
    return [(seller_id, names[seller_id]) for seller_id in found if seller_id in names]


async def invited(uow: UnitOfWork | RequestRegister, request_id: int) -> list[int]:
    """The sellers asked to quote on the request."""
    return await register_of(uow).invited(request_id)


async def view(uow: UnitOfWork | RequestRegister, request_id: int,
               actor_id: int | None) -> RequestView:
    """The request as its buyer and the sellers who may answer it read it (`get`); the hidden
    reserve is the buyer's alone."""
    request = await seen(register_of(uow), request_id, actor_id)
    return request if actor_id == request.buyer_id else replace(request, reserve=None)


async def get(uow: UnitOfWork, request_id: int, actor_id: int | None) -> SupplyRequest:
    """The request's row, for its buyer and the sellers who may answer it; NotFound for anyone
    else (a private request's existence included). Core's: a face reads `view`."""
    request = await uow.get(SupplyRequest, request_id)
    if request is None or (actor_id != request.buyer_id
                           and not await may_answer(uow, request, actor_id)):
        raise NotFound(_("That request doesn't exist."))
    return request


async def may_answer(uow: UnitOfWork, request: SupplyRequest, seller_id: int | None) -> bool:
    """A seller asked to answer; or, for an open request, any seller with a published
    listing of the product."""
    return await sql_register.answers(uow, request, seller_id)


async def mine(uow: UnitOfWork | RequestRegister, buyer_id: int,
               limit: int = 20) -> list[RequestView]:
    """The buyer's requests, newest first."""
    return await register_of(uow).mine(buyer_id, limit)


async def close(uow: UnitOfWork | RequestRegister, request_id: int,
                buyer_id: int) -> RequestView:
    """The buyer stops the request: no more quotes; those still open close, their sellers
    told (what was awarded stays awarded)."""
    register = register_of(uow)
    request = await seen(register, request_id, buyer_id)
    if request.buyer_id != buyer_id:
        raise NotAllowed(_("Only the buyer closes the request."))
    if request.mode in auction_rules.BIDDING:
        raise Conflict(_("A tender or auction closes at its deadline, as its bidders were "
                         "told; to stop it, ask support."))
    return await register.end_quotes(request_id, CLOSED_BY_BUYER)


async def is_invited(uow: UnitOfWork, request_id: int, seller_id: int | None) -> bool:
    return await sql_register.is_invited(uow, request_id, seller_id)
