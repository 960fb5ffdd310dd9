"""Rating the other party after a deal (double-blind: shown once both rated or the window
closed), and the admins' dispute desk: the queue, a dispute with its thread and terms, a
question to either party, and the decision that moves the money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conversations import confirmations
from conversations.fields import ChoiceField, Field, TextField
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, MenuEntry, Next
from conversations.flows.opening import STARS, quote_allowed, quote_field
from conversations.forms import Form
from conversations.messages import Choice, Inbound, ListItem, ListPage, Outbound, Reply, Text, go, rows
from conversations.number_and_date_fields import DecimalField
from core.deals import views as deal_views
from core.deals.after_sale import service as after_sale
from core.deals.after_sale.service import ASPECTS
from core.deals.cards import quality_summary
from core.deals.intents import DealIntent
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id
from core.money.model import Money
from core.money.reading import shown_number
from core.process.deals import BUYER, SELLER


class Rating(FlowState):
    """What rating a deal keeps: the deal, and whom the person rates."""

    deal_id: int
    ratee: str = SELLER  # SELLER or BUYER: the other party


class Deciding(FlowState):
    """What the dispute desk keeps: the dispute open, whom a question is for, the decision."""

    dispute_id: int
    party: str  # BUYER or SELLER: the one asked
    outcome: str  # a key of DECIDE_OUTCOMES
    total: str = "0"  # the deal's payable with VAT, as a decimal: what a split divides


async def _rate_start(ctx: Ctx) -> Next | None:
    state = Rating.of(ctx)
    deal_id = parse_id(state.args)
    if deal_id is None:
        return Next.end(Reply(_("Which deal? Rate it from its card in /deals."), kind="error"))
    view = await deal_views.deal_view(ctx.uow, deal_id, ctx.account_id)
    if view.role not in (BUYER, SELLER) or view.rated:
        return Next.end(Reply(_("You have rated this deal already.") if view.rated else
                              _("Only the parties rate a deal.")), menu=False)
    state.deal_id, state.ratee = deal_id, SELLER if view.role == BUYER else BUYER
    return None


# Whom a party rates, and on what: a form's title is a Slack modal's (24 characters at most).
RATE_TITLES = {SELLER: N_("Rate the seller"), BUYER: N_("Rate the buyer")}
ASPECT_LABELS = {"quality": N_("Quality"), "delivery": N_("Delivery"),
                 "communication": N_("Communication"), "payment": N_("Payment")}
DECIDE_TITLES = {"release": N_("Decide: release"), "refund": N_("Decide: refund"),
                 "split": N_("Decide: split")}
DECIDE_OUTCOMES = {"release": N_("release to the seller"), "refund": N_("refund to the buyer"),
                   "split": N_("split between the parties")}


def _rate_form(ctx: Ctx) -> Form:
    return rate_form(Rating.of(ctx).ratee)


def rate_form(ratee: str) -> Form:
    """Stars for the other party (`ratee`: SELLER or BUYER), overall and on each aspect, with a
    comment and whether it may be quoted."""
    aspects = [ChoiceField(name, ASPECT_LABELS[name], choices=STARS, required=False)
               for name in ASPECTS[ratee]]
    return Form("rating", RATE_TITLES[ratee], [
        ChoiceField("stars", N_("Overall"), choices=STARS), *aspects,
        TextField("comment", N_("A comment (shown with your rating)"), max_length=1000,
                  required=False, multiline=True), quote_field()], submit_label=N_("Send rating"))


async def _rated(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    state = Rating.of(ctx)
    aspects = {n: int(values[n]) for n in ASPECTS[state.ratee] if values.get(n)}
    await after_sale.rate(ctx.uow, state.deal_id, ctx.account.id, int(values["stars"]),
                          aspects, values.get("comment") or "", quote_allowed(values))
    return Next.end(Reply(confirmations.rated().text))


rate_flow = Flow(
    name="rate", title=N_("a rating"), first="form", on_start=_rate_start, state_model=Rating,
    intents={DealIntent.RATE_DEAL: "{arg}"},
    help=N_("Rate the other party 1–5 overall and on each aspect; optional comment."),
    states={"form": FormState(form=_rate_form, done=_rated)},
)


async def _queue(ctx: Ctx) -> list[Outbound]:
    found = await deal_views.open_disputes(ctx.uow, ctx.account_id)
    if not found:
        return [Reply(_("⚖ No open disputes."), rows((_("✔ Done"), "done")))]
    items = tuple(ListItem(_("Dispute #{id} · deal #{deal_id} · {title}", id=d.id, deal_id=d.deal_id,
                             title=title), d.reason[:120], None) for d, title in found)
    return [ListPage(_("⚖ Open disputes, oldest first"), items, 1, 1),
            Reply(_("Open one:"), rows(*((f"#{d.id}", f"x:{d.id}") for d, __ in found[:12]),
                                       (_("✔ Done"), "done"), per_row=3))]


async def _on_queue(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data.startswith("x:") and (number := parse_id(data[2:])) is not None:
        Deciding.of(ctx).dispute_id = number
        return Next(state="dispute")
    return Next.end()


async def _dispute_prompt(ctx: Ctx) -> list[Outbound]:
    dispute, view, said = await deal_views.dispute_view(ctx.uow, Deciding.of(ctx).dispute_id,
                                                        ctx.account_id)
    deal = view.deal
    lines = [_("⚖ Dispute #{id} on deal #{deal_id}: {title}", id=dispute.id, deal_id=deal.id,
               title=view.title), view.counterpart,
             _("Reason: {reason}", reason=dispute.reason)]
    if view.terms is not None:
        lines.append(_("Terms v{version}, SHA-256 {sha256}…", version=view.terms.version,
                       sha256=view.terms.sha256[:16]))
    if view.quality is not None:
        lines.append(_("Quality report: {summary}, adjustment {amount}", summary=quality_summary(view),
                       amount=view.quality_refund or Money(0, deal.currency)))
    lines += [_("Messages:"), *(said or [_("(none)")])]
    if dispute.decided_at is not None:
        assert dispute.outcome is not None  # a decision sets both at once
        return [Reply("\n".join([*lines, _("Decided: {outcome}.",
                                                   outcome=_(DECIDE_OUTCOMES[dispute.outcome]))]),
                      rows((_("✔ Done"), "done")))]
    return [Reply("\n".join(lines), rows(
        (_("❓ Ask the buyer"), "ask:buyer"), (_("❓ Ask the seller"), "ask:seller"),
        (_("✅ Release to seller"), "d:release"), (_("↩ Refund buyer"), "d:refund"),
        (_("➗ Split"), "d:split"), (_("📄 Terms"), go("deal_step", deal.id, "terms")), per_row=2))]


async def _on_dispute(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    verb, __, what = data.partition(":")
    state = Deciding.of(ctx)
    if verb == "ask" and what in (BUYER, SELLER):
        state.party = what
        return Next(state="ask")
    if verb == "d" and what in ("release", "refund", "split"):
        _dispute, view, _said = await deal_views.dispute_view(ctx.uow, state.dispute_id,
                                                              ctx.account_id)
        state.outcome, state.total = what, str(view.deal.payable.decimal)  # with VAT
        return Next(state="decide")
    return Next.end()


async def _ask_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Type your question for the {party}; they answer here.", party=Deciding.of(ctx).party))]


async def _on_ask(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Type the question."), kind="error"))
    state = Deciding.of(ctx)
    await after_sale.ask_party(ctx.uow, state.dispute_id, ctx.account.id, state.party, msg.text)
    return Next(state="dispute", remember=False, replies=[Reply(_("❓ Sent."))])


def _decide_form(ctx: Ctx) -> Form:
    fields: list[Field] = [TextField("reasons", N_("Reasons (both parties see them)"),
                                     min_length=5, max_length=2000, multiline=True)]
    state = Deciding.of(ctx)
    if state.outcome == "split":
        whole = Decimal(state.total or "0")
        fields.insert(0, DecimalField("refund", _("The buyer's refund (less than {whole})",
                                                        whole=shown_number(whole)),
                                      places=2, minimum=Decimal("0.01"),
                                      maximum=whole - Decimal("0.01")))
    return Form("decide", DECIDE_TITLES[state.outcome], fields,
                submit_label=N_("Decide"))


async def _decided(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    state = Deciding.of(ctx)
    dispute, view, __ = await deal_views.dispute_view(ctx.uow, state.dispute_id, ctx.account.id)
    refund = Money.parse(values["refund"], view.deal.currency) if values.get("refund") else None
    try:
        await after_sale.decide(ctx.uow, dispute.id, ctx.account.id, state.outcome,
                                values["reasons"], refund)
    except DomainError as exc:
        return Next(state="decide", remember=False, replies=[Reply(str(exc), kind="error")])
    decided = DECIDE_OUTCOMES[state.outcome]
    return Next.end(Reply(_("⚖ Decided: {outcome}. The money moves and both parties "
                            "are told with your reasons.", outcome=_(decided))))


async def _disputes_start(ctx: Ctx) -> Next | None:
    state = Deciding.of(ctx)
    number = parse_id(state.args)
    if number is not None:
        state.dispute_id = number
        return Next(state="dispute", remember=False)
    return None


disputes_flow = Flow(
    name="disputes", title=N_("disputes"), first="queue", on_start=_disputes_start,
    state_model=Deciding,
    commands=("disputes",), summary=N_("Admins: open disputes to decide"),
    menu=(MenuEntry(N_("⚖ Disputes"), ("admin",), 82),),
    intents={DealIntent.DECIDE_DISPUTE: "{arg}"},
    help=N_("Admins: the disputes queue. Open one to read the thread, terms and evidence, ask "
            "either party, and decide: release, refund or split."),
    states={"queue": Ask(prompt=_queue, on=_on_queue),
            "dispute": Ask(prompt=_dispute_prompt, on=_on_dispute),
            "ask": Ask(prompt=_ask_prompt, on=_on_ask, cancel_to="dispute"),
            "decide": FormState(form=_decide_form, done=_decided, cancel_to="dispute")},
)


async def _answer_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Type your answer for the admins."))]


async def _on_answer(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    number = parse_id(FlowState.of(ctx).args)
    if not isinstance(msg, Text) or number is None:
        return Next.stay(Reply(_("Type your answer."), kind="error"))
    await after_sale.answer_admins(ctx.uow, number, ctx.account.id, msg.text)
    return Next.end(Reply(_("✅ Sent to the admins.")), menu=False)


dispute_answer = Flow(
    name="dispute_answer", title=N_("an answer to the admins"), first="answer",
    intents={DealIntent.ANSWER_DISPUTE: "{arg}"}, help=N_("Answer the admins' question on a dispute."),
    states={"answer": Ask(prompt=_answer_prompt, on=_on_answer)},
)
