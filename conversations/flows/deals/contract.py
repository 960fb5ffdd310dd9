"""A framework contract in chat: its card (the schedule with each call-off's status, delivered
against the total), each call-off's deal a tap away, Renew for its parties."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, Next
from conversations.flows.opening import on_id
from conversations.messages import Inbound, Outbound, Reply, go, rows
from core.deals import contract_card
from core.deals.intents import DealIntent
from core.errors import NotFound
from core.i18n import N_, _
from core.process.deals import ContractState


class ContractCard(FlowState):
    """What a contract's card keeps: the contract."""

    contract_id: int


async def contract_reply(ctx: Ctx, contract_id: int) -> Reply:
    """The card, with a button to each call-off's deal, the terms, and Renew."""
    view = await contract_card.contract_view(ctx.uow, contract_id, ctx.account_id)
    buttons = [(_("🤝 Call-off {number}: deal #{deal_id}", number=r.number, deal_id=r.deal_id),
                go("deal", r.deal_id))
               for r in view.rows if r.deal_id is not None]
    if view.first_deal_id is not None:
        buttons.append((_("📄 Terms (PDF)"), go("deal_step", view.first_deal_id, "terms")))
    renewable = (ContractState.ACTIVE, ContractState.ENDED)
    if view.role in ("buyer", "seller") and view.contract.status in renewable:
        buttons.append((_("🔁 Renew"), go("offer", f"r{view.contract.id}")))
    return Reply(contract_card.contract_text(view), rows(*buttons, (_("✔ Done"), "done"),
                                                         per_row=1))


async def _card(ctx: Ctx) -> list[Outbound]:
    try:
        return [await contract_reply(ctx, ContractCard.of(ctx).contract_id)]
    except NotFound as exc:
        return [Reply(str(exc), rows((_("✔ Done"), "done")))]


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    return Next.end(menu=False)


contract_flow = Flow(
    name="contract", title=N_("a contract"), first="card",
    state_model=ContractCard,
    on_start=on_id("contract_id", N_("Which contract? Open one from /deals.")),
    intents={DealIntent.VIEW_CONTRACT: "{arg}"},
    help=N_("A framework contract's card: each call-off with its date and status, what was "
            "delivered of the total, and Renew."),
    states={"card": Ask(prompt=_card, on=_on_card)},
)
