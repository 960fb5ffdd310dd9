"""A purchase held for approval: the requester's answer when her offer, acceptance or Buy now
waits for an approver, and the approver's Approve / Reject (with a reason) from the approval
card; `/approvals` lists what waits."""

from __future__ import annotations

from conversations import confirmations
from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next
from conversations.messages import (
    Button,
    Choice,
    Inbound,
    ListItem,
    ListPage,
    Outbound,
    Reply,
    Text,
    go,
    rows,
)
from core.companies.intents import CompanyIntent
from core.deals.approvals import service as approvals
from core.deals.approvals.card import card_text_of
from core.deals.approvals.service import Placed, PurchaseState
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id


class Approving(FlowState):
    """What purchase approval keeps: the purchase request being decided."""

    request_id: int


def held_reply(placed: Placed) -> Reply:
    """What the buyer reads when her purchase waits: why, who decides, how to take it back."""
    return confirmations.held(placed).reply()


async def _start(ctx: Ctx) -> Next | None:
    """`approve:ID`, `reject:ID`, `cancel:ID` or `ID` (the card); none: what waits."""
    assert ctx.account is not None
    verb, __, number = Approving.of(ctx).args.rpartition(":")
    request_id = parse_id(number)
    if not number:
        return Next(state="list", remember=False)
    if verb not in ("approve", "reject", "cancel", "") or request_id is None:
        return Next.end(Reply(_("Open a purchase request from its card."), kind="error"))
    Approving.of(ctx).request_id = request_id
    try:
        if verb == "approve":
            request = await approvals.approve(ctx.uow, request_id, ctx.account.id)
            if request.status == PurchaseState.LAPSED:
                return Next.end(Reply(_("⌛ Approved, but it could not be made any more: "
                                        "{reason}", reason=request.reason or "")), menu=False)
            return Next.end(Reply(_("✅ Approved: it went out in the buyer's name; they are "
                                    "told.")), menu=False)
        if verb == "cancel":
            await approvals.cancel(ctx.uow, request_id, ctx.account.id)
            return Next.end(Reply(_("↩ Request withdrawn; the approvers are told.")), menu=False)
        await approvals.get(ctx.uow, request_id, ctx.account.id)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"), menu=False)
    return Next(state="reason" if verb == "reject" else "card", remember=False)


async def _reason_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Why not? The buyer reads your reason (up to 500 characters)."))]


async def _on_reason(ctx: Ctx, msg: Inbound) -> Next:
    """Reject with the typed reason (one is required)."""
    assert ctx.account is not None
    if not isinstance(msg, Text) or not msg.text.strip():
        return Next.stay(Reply(_("Please type a reason: the buyer reads it."), kind="error"))
    try:
        await approvals.reject(ctx.uow, Approving.of(ctx).request_id, ctx.account.id, msg.text)
    except DomainError as exc:
        if "too long" in str(exc) or "reason" in str(exc).lower():
            return Next.stay(Reply(str(exc), kind="error"))
        return Next.end(Reply(str(exc), kind="error"), menu=False)
    return Next.end(Reply(_("✖ Rejected; the buyer is told why.")), menu=False)


async def _card(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    request = await approvals.get(ctx.uow, Approving.of(ctx).request_id, ctx.account.id)
    text = await card_text_of(ctx.uow, request.id, ctx.account.id)
    if request.status != PurchaseState.PENDING:
        return [Reply(text + "\n" + _(STATUS_WORDS.get(request.status, request.status)),
                      rows((_("✔ Done"), "done")))]
    if request.requester_id == ctx.account.id:
        buttons = rows((_("↩ Withdraw the request"), go("purchase", "cancel", request.id)),
                       (_("✔ Done"), "done"))
    else:
        buttons = rows((_("✅ Approve"), go("purchase", "approve", request.id)),
                       (_("✖ Reject"), go("purchase", "reject", request.id)),
                       (_("✔ Done"), "done"), per_row=2)
    return [Reply(text, buttons)]


STATUS_WORDS: dict[str, str] = {
    PurchaseState.APPROVED: N_("Approved."), PurchaseState.REJECTED: N_("Rejected."),
    PurchaseState.WITHDRAWN: N_("Withdrawn."), PurchaseState.LAPSED: N_("Approved too late: not made.")}


async def _list(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    waiting = await approvals.waiting(ctx.uow, ctx.account.id)
    if not waiting:
        return [Reply(_("Nothing waits for approval."), rows((_("✔ Done"), "done")))]
    items = tuple(ListItem(_("#{id} · {total}", id=r.id, total=r.total),
                           _("yours, waiting") if r.requester_id == ctx.account.id
                           else _("waiting for an approver"), Button(_("Open"), f"r:{r.id}"))
                  for r in waiting)
    return [ListPage(_("⏳ Purchases waiting for approval"), items, 1, 1),
            Reply(_("Open one, or Done."), rows((_("✔ Done"), "done")))]


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    number = parse_id(data[2:]) if data.startswith("r:") else None
    if number is None:
        return Next.end(menu=False)
    Approving.of(ctx).request_id = number
    return Next(state="card")


async def _done(ctx: Ctx, msg: Inbound) -> Next:
    return Next.end(menu=False)


purchase = Flow(
    name="purchase", title=N_("a purchase waiting for approval"), first="list",
    state_model=Approving,
    on_start=_start, commands=("approvals",),
    summary=N_("Purchases of your company waiting for approval"),
    menu=(MenuEntry(N_("⏳ Approvals"), ("company_approver", "company_admin"), 27),),
    intents={CompanyIntent.PURCHASE_REQUEST: "{arg}"},
    help=N_("A purchase above a buyer's spending limit waits here until an approver of the "
            "company approves it (it then goes out in the buyer's name) or rejects it with a "
            "reason."),
    states={"list": Ask(prompt=_list, on=_on_list), "card": Ask(prompt=_card, on=_done),
            "reason": Ask(prompt=_reason_prompt, on=_on_reason)},
)
