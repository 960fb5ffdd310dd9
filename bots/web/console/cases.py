"""Console cases: the moderation queue and the disputes desk, through the same core services
as the chat's /moderation and /disputes (core.catalog.lifecycle, core.deals.after_sale.service)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.console.auth import Asker, DealViewer, Decider, Moderator, Operator, reading
from bots.web.console.pages import attempt, done, field, id_of, page
from conversations.flows.market.listing_card import card_text
from core.catalog import lifecycle
from core.catalog.listing_card import card_of
from core.console import disputes
from core.deals.after_sale import service as after_sale
from core.errors import DomainError, InvalidField, NotFound
from core.money.model import Money

OUTCOMES = {"release": "Release to the seller", "refund": "Refund the buyer",
            "split": "Split (part refunded to the buyer)"}


def _not_found(request: Request, operator: Operator, message: str) -> HTMLResponse:
    return page(request, operator, "admin/missing.html", status_code=404, message=message)


def _errors(exc: DomainError) -> dict[str, str]:
    """A rule broken by a typed value goes next to its field; any other above the form."""
    return {exc.field if isinstance(exc, InvalidField) else "_": str(exc)}


router = APIRouter()


@router.get("/moderation", response_class=HTMLResponse)
async def queue(request: Request, operator: Moderator) -> HTMLResponse:
    async with reading(request) as uow:
        waiting = await lifecycle.pending(uow, operator.account_id)
    return page(request, operator, "admin/moderation.html", waiting=waiting)


async def _review(request: Request, operator: Operator, listing_id: int | None,
                  errors: dict[str, str] | None = None, reason: str = "") -> HTMLResponse:
    if listing_id is None:
        return _not_found(request, operator, "There is no such listing.")
    async with reading(request) as uow:
        try:
            listing = await lifecycle.for_review(uow, listing_id, operator.account_id)
        except NotFound as exc:
            return _not_found(request, operator, str(exc))
        text = card_text(await card_of(uow, listing), show_status=True)
    return page(request, operator, "admin/listing.html", status_code=400 if errors else 200,
                listing=listing, card=text, errors=errors or {}, reason=reason)


@router.get("/moderation/{listing}", response_class=HTMLResponse)
async def listing_page(request: Request, listing: str, operator: Moderator) -> HTMLResponse:
    return await _review(request, operator, id_of(listing))


@router.post("/moderation/{listing}/approve")
async def approve(request: Request, listing: str, operator: Moderator) -> Response:
    return await _moderate(request, operator, id_of(listing), None)


@router.post("/moderation/{listing}/reject")
async def reject(request: Request, listing: str, operator: Moderator) -> Response:
    return await _moderate(request, operator, id_of(listing), await field(request, "reason", 600))


async def _moderate(request: Request, operator: Operator, listing_id: int | None,
                    reason: str | None) -> Response:
    """Approve (no reason) or reject (with one); a broken rule re-renders the listing."""
    if listing_id is None:
        return _not_found(request, operator, "There is no such listing.")
    failed = await attempt(request, lambda uow: (
        lifecycle.approve(uow, listing_id, operator.account_id) if reason is None
        else lifecycle.reject(uow, listing_id, reason, operator.account_id)))
    if failed is None:
        return done("/admin/moderation", "approved" if reason is None else "rejected")
    return await _review(request, operator, listing_id, _errors(failed), reason or "")


@router.get("/disputes", response_class=HTMLResponse)
async def desk(request: Request, operator: DealViewer) -> HTMLResponse:
    async with reading(request) as uow:
        waiting = await disputes.open_disputes(uow, operator.account_id)
        decided = await disputes.decided_disputes(uow, operator.account_id)
    return page(request, operator, "admin/disputes.html", waiting=waiting, decided=decided)


@router.get("/disputes/{dispute}", response_class=HTMLResponse)
async def dispute_page(request: Request, dispute: str, operator: DealViewer) -> HTMLResponse:
    return await _dispute(request, operator, id_of(dispute))


@router.post("/disputes/{dispute}/ask")
async def ask(request: Request, dispute: str, operator: Asker) -> Response:
    number, form = id_of(dispute), await _form(request, "party", "question")
    if number is None:
        return _not_found(request, operator, "There is no such dispute.")
    return await _act(request, operator, number, form, lambda uow: after_sale.ask_party(
        uow, number, operator.account_id, form["party"], form["question"]), "asked")


@router.post("/disputes/{dispute}/decide")
async def decide(request: Request, dispute: str, operator: Decider) -> Response:
    number, form = id_of(dispute), await _form(request, "outcome", "reasons", "refund")
    if number is None:
        return _not_found(request, operator, "There is no such dispute.")
    return await _act(request, operator, number, form,
                      lambda uow: _decide(uow, operator, number, form), "decided")


async def _form(request: Request, *names: str) -> dict[str, str]:
    return {name: await field(request, name) for name in names}


async def _decide(uow: Any, operator: Operator, number: int, form: dict[str, str]) -> None:
    """Read the refund (a split's) in the deal's currency, then decide through core."""
    if form["outcome"] not in OUTCOMES:
        raise InvalidField("outcome", "Choose release, refund or split.")
    file = await disputes.dispute_file(uow, operator.account_id, number)
    refund = None
    if form["outcome"] == "split":
        try:
            refund = Money.parse(form["refund"] or "x", file.total.currency)
        except DomainError:
            raise InvalidField("refund", f"Type the buyer's refund in {file.total.currency}, "
                               "e.g. 1200.50.") from None
    await after_sale.decide(uow, number, operator.account_id, form["outcome"], form["reasons"],
                            refund)


async def _act(request: Request, operator: Operator, number: int | None, form: dict[str, str],
               action: Any, what: str) -> Response:
    """Run one dispute action in its own transaction; a broken rule re-renders the page."""
    if number is None:
        return _not_found(request, operator, "There is no such dispute.")
    failed = await attempt(request, action)
    if failed is None:
        return done(f"/admin/disputes/{number}", what)
    if isinstance(failed, NotFound):
        return _not_found(request, operator, str(failed))
    return await _dispute(request, operator, number, _errors(failed), form)


async def _dispute(request: Request, operator: Operator, number: int | None,
                   errors: dict[str, str] | None = None, form: dict[str, str] | None = None
                   ) -> HTMLResponse:
    if number is None:
        return _not_found(request, operator, "There is no such dispute.")
    async with reading(request) as uow:
        try:
            file = await disputes.dispute_file(uow, operator.account_id, number)
        except NotFound as exc:
            return _not_found(request, operator, str(exc))
    currency, quality = file.total.currency, file.view.quality
    # what the buyer gets back: with the VAT on it
    adjustment = str(file.view.quality_refund or Money(0, currency)) if quality else ""
    refund = file.dispute.refund
    return page(request, operator, "admin/dispute.html", status_code=400 if errors else 200,
                file=file, outcomes=OUTCOMES, errors=errors or {}, form=form or {},
                adjustment=adjustment, refund=str(refund) if refund and refund.amount else "")
