"""What a request for supply tells: each invited seller gets the request's card with Quote, in
their own language, once (written in the publishing transaction, from the invitations)."""

from __future__ import annotations

from sqlalchemy import select

from core.actions import Action, Intent
from core.catalog.taxonomy import UNITS, product
from core.clock import local_time
from core.deals import cards, request_rules
from core.deals.events import (
    RequestCancelled,
    RequestPosted,
    RequestQuestionAnswered,
    RequestQuestionAsked,
)
from core.deals.offers import payment_words
from core.deals.tables import RequestInvite, RequestQuestion, SupplyRequest
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify, recipients
from core.storage.uow import UnitOfWork


def request_text(request: SupplyRequest, deadline: str, published: bool = True) -> str:
    """The request as sellers and its buyer read it: what, how much, delivered how, the
    ceiling, the payment and the deadline (a preview, not published yet, has no number and
    says how long quotes will be taken)."""
    what = {"quantity": request_rules.quantity_words(request.quantity_milli, request.unit),
            "product": _(product(request.product_type).label)}
    lines = [_("📣 Request for supply #{id}: {quantity} of {product}.", id=request.id, **what)
             if request.id else _("📣 Request for supply: {quantity} of {product}.", **what),
             _("Delivery: {delivery}", delivery=cards.delivery_text(
                 request.incoterm, request.place, request.delivery_from, request.delivery_to))]
    if request.max_price_minor is not None:
        lines.append(_("At most {price} per {unit}, excluding VAT.",
                       price=Money(request.max_price_minor, request.currency),
                       unit=_(UNITS.get(request.unit, request.unit))))
    lines.append(_("Payment: {payment}", payment=payment_words(request.payment_method, ())))
    lines.append(_("Quotes until {deadline}.", deadline=deadline) if published else
                 _("Quotes are taken for {days} once it is published.", days=deadline))
    return "\n".join(lines)


async def on_posted(uow: UnitOfWork, event: RequestPosted) -> None:
    request = await uow.session.get(SupplyRequest, event.request_id)
    if request is None:
        return
    await recipients(uow, set(event.invited))
    for seller_id in event.invited:
        async with addressed_to(uow, seller_id) as reader:
            text = request_text(request, local_time(request.deadline,
                                                    reader.timezone if reader else None))
            await notify(uow, seller_id, text, buttons=[[
                Action(Intent.QUOTE_REQUEST, N_("💶 Quote"), str(request.id)),
                Action(Intent.ASK_REQUEST, N_("❓ Ask the buyer"), str(request.id))]],
                about=(f"request:{request.id}",))


async def on_cancelled(uow: UnitOfWork, event: RequestCancelled) -> None:
    """The buyer and every seller asked hear that Agora cancelled the request, and why."""
    request = await uow.session.get(SupplyRequest, event.request_id)
    if request is None:
        return
    invited = (await uow.session.execute(select(RequestInvite.seller_id).where(
        RequestInvite.request_id == request.id))).scalars()
    told = {request.buyer_id, *invited}
    await recipients(uow, told)
    for party in sorted(told):
        async with addressed_to(uow, party):
            await notify(uow, party, _("📣 Request for supply #{id} was cancelled by Agora: "
                                       "{reason}", id=request.id, reason=event.reason),
                         about=(f"request:{request.id}",))


async def _question(uow: UnitOfWork, question_id: int
                    ) -> tuple[RequestQuestion, SupplyRequest] | None:
    question = await uow.session.get(RequestQuestion, question_id)
    request = await uow.session.get(SupplyRequest, question.request_id) if question else None
    return (question, request) if question is not None and request is not None else None


async def on_question_asked(uow: UnitOfWork, event: RequestQuestionAsked) -> None:
    """The buyer gets the question, to answer for every seller asked or for the asker."""
    found = await _question(uow, event.question_id)
    if found is None:
        return
    question, request = found
    async with addressed_to(uow, request.buyer_id):
        await notify(uow, request.buyer_id, _(
            "❓ A seller asks about your request for supply #{id}:\n{question}", id=request.id,
            question=question.text), buttons=[
            [Action(Intent.ANSWER_REQUEST, N_("↩ Answer for every seller"), f"p:{question.id}")],
            [Action(Intent.ANSWER_REQUEST, N_("↩ Answer this seller only"), f"s:{question.id}")]],
            about=(f"question:{question.id}",))


async def on_question_answered(uow: UnitOfWork, event: RequestQuestionAnswered) -> None:
    """A public answer reaches every seller asked (the asker unnamed); a private one the asker."""
    found = await _question(uow, event.question_id)
    if found is None:
        return
    question, request = found
    told = {question.asker_id}
    if question.public:
        told |= set((await uow.session.execute(select(RequestInvite.seller_id).where(
            RequestInvite.request_id == request.id))).scalars())
    await recipients(uow, told)
    for seller_id in sorted(told):
        async with addressed_to(uow, seller_id):
            await notify(uow, seller_id, _(
                "💬 Questions and answers on request for supply #{id}:\nQ: {question}\nA: "
                "{answer}", id=request.id, question=question.text, answer=question.answer),
                about=(f"request:{request.id}",))
