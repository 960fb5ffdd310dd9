"""Answering an offer: accept (a deal), decline with an optional reason, withdraw one's own,
or look at it again — from the buttons on an offer card."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, Next
from conversations.flows.company.purchase import held_reply
from conversations.messages import Button, Choice, Inbound, Outbound, Reply, Text, go, rows
from core.deals import cards
from core.deals import views as deal_views
from core.deals.approvals import service as approvals
from core.deals.intents import DealIntent
from core.deals.offers import service as offers
from core.errors import DomainError
from core.i18n import N_, _, n_
from core.ids import parse_id
from core.process.deals import OfferState


class Answering(FlowState):
    """What answering an offer keeps: the offer."""

    offer_id: int


async def _accepted(ctx: Ctx, deal_id: int) -> str:
    """What follows the deal an acceptance made: payment once both accept the terms, or, paid
    on terms, the goods with the invoice (nothing is paid before them)."""
    days = (await deal_views.deal_view(ctx.uow, deal_id, ctx.account_id)).deal.payment_days
    if not days:
        return _("🤝 Accepted: deal #{id} is agreed. The terms follow; once both of you accept "
                 "them, payment opens.", id=deal_id)
    return n_("🤝 Accepted: deal #{id} is agreed, paid on terms. The terms follow; once both of "
              "you accept them, the goods ship and the invoice comes with them, due {n} day "
              "later.",
              "🤝 Accepted: deal #{id} is agreed, paid on terms. The terms follow; once both of "
              "you accept them, the goods ship and the invoice comes with them, due {n} days "
              "later.", days, id=deal_id)


async def _start(ctx: Ctx) -> Next | None:
    """`accept:ID`, `decline:ID`, `withdraw:ID` or `view:ID`."""
    assert ctx.account is not None
    verb, __, number = Answering.of(ctx).args.partition(":")
    offer_id = parse_id(number)
    if verb not in ("accept", "decline", "withdraw", "view") or offer_id is None:
        return Next.end(Reply(_("Open an offer from its card."), kind="error"))
    Answering.of(ctx).offer_id = offer_id
    try:
        if verb == "accept":  # a company buyer's acceptance above her limit waits
            placed = await approvals.accept(ctx.uow, offer_id, ctx.account.id)
            if placed.deal_id is None:
                return Next.end(held_reply(placed), menu=False)
            return Next.end(Reply(await _accepted(ctx, placed.deal_id),
                                  ((Button(_("🤝 Open the deal"), go("deal", placed.deal_id)),),)),
                            menu=False)
        if verb == "withdraw":
            await offers.withdraw(ctx.uow, offer_id, ctx.account.id)
            return Next.end(Reply(_("↩ Offer #{id} withdrawn; the other party is told.", id=offer_id)),
                            menu=False)
        await offers.get(ctx.uow, offer_id, ctx.account.id)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"), menu=False)
    return Next(state="reason" if verb == "decline" else "view", remember=False)


async def _reason_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Decline the offer? Say why if you like (the other side sees it), or tap "
                    "Decline without a reason."), rows((_("✖ Decline without a reason"), "none")))]


async def _on_reason(ctx: Ctx, msg: Inbound) -> Next:
    """Decline with the typed reason, or none."""
    assert ctx.account is not None
    if isinstance(msg, Choice) and msg.data == "none":
        reason = ""
    elif isinstance(msg, Text) and 0 < len(msg.text.strip()) <= 500:
        reason = msg.text.strip()
    else:
        return Next.stay(Reply(_("Type a reason of up to 500 characters, or tap Decline without a "
                                 "reason."), kind="error"))
    await offers.decline(ctx.uow, Answering.of(ctx).offer_id, ctx.account.id, reason)
    return Next.end(Reply(_("✖ Declined; the other party is told.")), menu=False)


async def _view(ctx: Ctx) -> list[Outbound]:
    view = await deal_views.offer_view(ctx.uow, Answering.of(ctx).offer_id, ctx.account_id)
    offer, role = view.offer, view.role
    text = cards.offer_text(offer, view.listing, view.previous, ctx.uow.policy, ctx.account)
    if offer.status != OfferState.OPEN:
        return [Reply(text, rows((_("✔ Done"), "done")))]
    if offer.made_by == role:
        return [Reply(text, rows((_("↩ Withdraw"), go("offer_answer", "withdraw", offer.id)),
                                 (_("✔ Done"), "done")))]
    return [Reply(text, rows((_("✅ Accept"), go("offer_answer", "accept", offer.id)),
                             (_("↔ Counter"), go("offer", f"c{offer.id}")),
                             (_("✖ Decline"), go("offer_answer", "decline", offer.id)),
                             (_("✔ Done"), "done"), per_row=2))]


async def _on_view(ctx: Ctx, msg: Inbound) -> Next:
    return Next.end(menu=False)


offer_answer = Flow(
    name="offer_answer", state_model=Answering, title=N_("an offer"), first="view", on_start=_start,
    intents={DealIntent.ANSWER_OFFER: "{arg}", DealIntent.VIEW_OFFER: "view:{arg}"},
    help=N_("Accept an offer (it becomes a deal), counter it, or decline it with a reason."),
    states={"reason": Ask(prompt=_reason_prompt, on=_on_reason),
            "view": Ask(prompt=_view, on=_on_view)},
)
