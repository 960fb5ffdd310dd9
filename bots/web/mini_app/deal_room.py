"""The Mini App's deal room: one deal as its party reads it (core.deals.room — the deal card's
read model, its frozen terms in the reader's words, its documents) with the steps that party may
take now, each taken here through the core service the chat's step takes: accept the terms
(billing details first, where the chat asks them), pay (the pay page, opened outside the app),
mark shipped with the chat's shipment form, mark delivered, confirm delivery and quality or
report measured quality, answer a price adjustment, rate. Core decides who may and whether the
step is still possible; a refusal shows the deal as it is now with the reason. The deal's own
notices tell both parties as from the chat, and the actor's latest card there is rewritten to
the deal's new state (core.process.notices). The card's rarer steps (a change of terms, a
shipment update, a dispute, cancelling, asking for transport and following it) open in the
chat."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from bots.web.deps import ContainerDep
from bots.web.mini_app import documents
from bots.web.mini_app.actions import raw_values
from bots.web.mini_app.auth import MemberDep, Registered, mini_app_person
from bots.web.mini_app.views import local_now, part
from config.container import Container
from conversations import confirmations
from conversations.confirmations import Confirmation
from conversations.flows import deal_billing
from conversations.flows.deals.deal_rating import rate_form
from conversations.flows.deals.deal_step_forms import day_of, quality_form, ship_form
from conversations.flows.deals.deal_steps import CONFIRM
from conversations.flows.opening import quote_allowed
from conversations.forms import Form
from core.companies import billing
from core.companies.seats import seat_of
from core.consulting.inspections import service as inspections
from core.deals import cards, deals, sale_vat
from core.deals.after_sale import quality_report
from core.deals.after_sale import service as after_sale
from core.deals.after_sale.service import ASPECTS
from core.deals.dashboard import WAITING_ON_OTHERS
from core.deals.deal_card import transport_action
from core.deals.notices.parties import BUTTONS
from core.deals.room import TERMS, DealDocument, DealRoom, deal_room
from core.deals.rules import ShipmentStatus
from core.deals.steps import MORE
from core.deals.terms import service as terms
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import N_, _, dates
from core.ids import parse_id
from core.process.deals import BUYER, DEAL_PROCESS, SELLER
from core.storage.uow import UnitOfWork

router = APIRouter(prefix="/app/part", include_in_schema=False,
                   dependencies=[Depends(mini_app_person)])
PAY = ("pay", "pay-invoice")  # the pay page, opened outside the app
FORMS = ("sign-terms", "mark-shipped", "report-quality", "rate")  # a form of their own
STATUS = {NotFound: 404, NotAllowed: 403, Conflict: 409}


async def _room(container: Container, person: Registered, deal_id: int) -> DealRoom:
    payments = container.engine.services.payments
    assert payments is not None  # wired by the composition root
    async with container.uow() as uow:
        room = await deal_room(uow, payments, deal_id, person.account.id,
                               container.engine.services.deal_card_parts)
        inspection = await inspections.of_deal(uow, deal_id, person.account.id)
    if inspection is not None and inspection.has_record:  # an independent inspector's record
        return replace(room, documents=(*room.documents, DealDocument(
            documents.RECORD, N_("📄 Sampling record"))))
    return room


def _pay_url(room: DealRoom, person: Registered) -> str | None:
    """The pay page of the deal's escrow while this buyer may pay it."""
    escrow = room.escrow
    if escrow is None or escrow.payer_id != person.account.id or not escrow.pay_url \
            or not escrow.state.startswith("awaiting"):
        return None
    return escrow.pay_url


def _screen(request: Request, container: Container, person: Registered, room: DealRoom,
            status_code: int = 200, said: str = "", error: str = "") -> HTMLResponse:
    view, deal = room.view, room.view.deal
    pay_url = _pay_url(room, person)
    here = [s for s in room.steps if s.name not in MORE and (s.name not in PAY or pay_url)]
    now = container.clock.now()
    docs = [{"title": _(d.title), "number": d.number, "total": d.total,
             "day": dates.day(d.issued_at) if d.issued_at else "",
             "url": d.url or documents.link(container.settings, d.kind, deal.id,
                                            person.account.id, now)} for d in room.documents]
    return part(request, "app/deal.html", status_code=status_code,
                location=f"/app/deals/{deal.id}", room=room,
                card=room.lines,
                terms=cards.terms_rows(view), docs=docs, said=said, error=error,
                steps=[(s.name, _(BUTTONS.get(s.name, s.label))) for s in here],
                more=[*(_(BUTTONS.get(s.name, s.label)) for s in room.steps if s not in here),
                      *(_(a.label) for a in filter(None, (transport_action(view),))),
                      *(_(a.label) for a in room.extra.actions)],
                pay_url=pay_url, pay=PAY, waiting=_(WAITING_ON_OTHERS),
                bot=container.settings.telegram_bot_username)


def _refused(request: Request, exc: DomainError) -> HTMLResponse:
    return part(request, "app/message.html", status_code=STATUS.get(type(exc), 400),
                message=str(exc))


@router.get("/deals/{deal_id}", response_class=HTMLResponse)
async def room(request: Request, container: ContainerDep, person: MemberDep,
               deal_id: str) -> Response:
    """The deal, its terms, its documents and this party's next steps."""
    try:
        found = await _room(container, person, _number(deal_id))
    except DomainError as exc:
        return _refused(request, exc)
    return _screen(request, container, person, found)


def _number(text: str) -> int:
    number = parse_id(text)
    if number is None:
        raise NotFound(_("That deal doesn't exist."))
    return number


async def _form(container: Container, person: Registered, room: DealRoom, step: str
                ) -> Form | None:
    """The chat's own form for the step (billing details before a first acceptance)."""
    view = room.view
    if step == "mark-shipped":
        return ship_form(local_now(person, container.clock.now()).date())
    if step == "report-quality":
        body = view.terms.body if view.terms is not None else {}
        return quality_form([str(s["name"]) for s in body.get("quality") or []])
    if step == "rate":
        return rate_form(SELLER if view.role == BUYER else BUYER)
    if step == "sign-terms":
        async with container.uow() as uow:
            if await billing.missing(uow, person.account.id):
                return deal_billing.billing_form(charges=view.role == SELLER)
    return None


async def _billing_start(container: Container, person: Registered) -> dict[str, Any]:
    """What the profile knows, as the chat offers it: the company (or name), town, country."""
    account = person.account
    async with container.uow() as uow:
        seat = await seat_of(uow, account.id)
    known = {"legal_name": seat.company.name if seat is not None else
             account.company or account.display_name, "town": account.city,
             "country": account.country}
    return {k: v for k, v in known.items() if v}


@router.get("/deals/{deal_id}/{step}", response_class=HTMLResponse)
async def step_screen(request: Request, container: ContainerDep, person: MemberDep,
                      deal_id: str, step: str) -> Response:
    """A step's question: its form, or the chat's yes; a step no longer possible shows the
    deal as it is now."""
    try:
        found = await _room(container, person, _number(deal_id))
    except DomainError as exc:
        return _refused(request, exc)
    if step not in FORMS + tuple(CONFIRM) or step not in {s.name for s in found.steps}:
        return _screen(request, container, person, found, status_code=409, error=_(
            "That step is no longer possible: the {name} has moved on.",
            name=DEAL_PROCESS.name))
    form = await _form(container, person, found, step)
    start = await _billing_start(container, person) if step == "sign-terms" and form else {}
    return await _step_page(request, container, person, found, step, form, start, {})


async def _step_page(request: Request, container: Container, person: Registered,
                     room: DealRoom, step: str, form: Form | None, values: dict[str, Any],
                     errors: dict[str, str], status_code: int = 200) -> HTMLResponse:
    view = room.view
    label = next((_(BUTTONS.get(s.name, s.label)) for s in room.steps if s.name == step), step)
    note = ""
    if step == "sign-terms" and view.terms is not None:
        async with container.uow() as uow:
            note = await sale_vat.terms_note(uow, view.deal)
    terms_now = view.terms
    accepted = step == "sign-terms" and terms_now is not None and bool(
        terms_now.buyer_accepted_at if view.role == BUYER else terms_now.seller_accepted_at)
    adjustment = cards.adjustment_text(view.quality, view.deal) \
        if step.endswith("-adjustment") and view.quality is not None else ""
    return part(request, "app/deal_step.html", status_code=status_code, room=room, step=step,
                label=label, specs=[f.spec(values.get(f.name)) for f in form.fields]
                if form else [], errors=errors, intro=_(deal_billing.INTRO)
                if step == "sign-terms" and form else "",
                submit=_(form.submit_label) if form and step != "sign-terms" else "",
                confirm=_(CONFIRM[step]) if step in CONFIRM else "",
                terms=cards.terms_rows(view) if step == "sign-terms" else [], note=note,
                adjustment=adjustment, accepted=accepted, terms_link=documents.link(
                    container.settings, TERMS, view.deal.id, person.account.id,
                    container.clock.now()) if view.terms is not None else "")


@router.post("/deals/{deal_id}/{step}", response_class=HTMLResponse)
async def take_step(request: Request, container: ContainerDep, person: MemberDep,
                    deal_id: str, step: str) -> Response:
    """The step through the chat's core service; the deal as it is afterwards, with what the
    chat answers, or with why core refused."""
    posted = await request.form()
    try:
        number = _number(deal_id)
        found = await _room(container, person, number)
    except DomainError as exc:
        return _refused(request, exc)
    if step not in FORMS + tuple(CONFIRM):
        return part(request, "app/message.html", status_code=404, message=_("No such page."))
    form = await _form(container, person, found, step)
    values: dict[str, Any] = {}
    if form is not None:
        raw = raw_values(form, posted)
        values, errors = form.validate_all(raw)
        if errors:
            return await _step_page(request, container, person, found, step, form,
                                    {**values, **{k: raw.get(k) for k in errors}}, errors,
                                    status_code=400)
    try:
        async with container.uow() as uow:
            said = await _take(uow, person, found, step, values, posted)
            await uow.commit()
    except DomainError as exc:
        now = await _room(container, person, number)
        return _screen(request, container, person, now, status_code=STATUS.get(type(exc), 400),
                       error=str(exc))
    return _screen(request, container, person, await _room(container, person, number),
                   said=said.text)


async def _take(uow: UnitOfWork, person: Registered, room: DealRoom, step: str,
                values: dict[str, Any], posted: FormData) -> Confirmation:
    """What the chat's step does with the answers, as the acting party; core guards it."""
    me, deal_id = person.account.id, room.view.deal.id
    if step == "sign-terms":
        if values:  # billing details asked first, kept as the chat keeps them
            await billing.give(uow, me, legal_name=values["legal_name"], street=values["street"],
                               postcode=values["postcode"], town=values["town"],
                               country=values["country"], vat_id=values.get("vat_id"),
                               vat_rate=values.get("vat_rate"))
        accepted = await terms.accept_as_party(uow, deal_id, me, str(posted.get("sha256") or ""))
        return confirmations.terms_accepted(accepted.status, accepted.buyer_id == me)
    if step == "mark-shipped":
        await after_sale.mark_shipped(uow, deal_id, me, values["carrier"], values.get("tracking"),
                                      day_of(values.get("expected")))
        return confirmations.shipped()
    if step == "report-quality":
        measured = {k: v for k, v in values.items() if k != "delivered" and v is not None}
        report = await quality_report.report(uow, deal_id, me, measured, values.get("delivered"))
        return confirmations.quality_reported(
            None if quality_report.within_tolerances(report)
            else cards.adjustment_text(report, room.view.deal))
    if step == "rate":
        ratee = SELLER if room.view.role == BUYER else BUYER
        await after_sale.rate(uow, deal_id, me, int(values["stars"]),
                              {n: int(values[n]) for n in ASPECTS[ratee] if values.get(n)},
                              values.get("comment") or "", quote_allowed(values))
        return confirmations.rated()
    if step in ("accept-adjustment", "reject-adjustment"):
        await quality_report.answer(uow, deal_id, me, accept=step == "accept-adjustment")
    elif step == "mark-delivered" and room.view.role == SELLER:
        await after_sale.update_shipment(uow, deal_id, me, ShipmentStatus.DELIVERED)
    else:
        await deals.take(uow, deal_id, step, me)
    return confirmations.step_taken()
