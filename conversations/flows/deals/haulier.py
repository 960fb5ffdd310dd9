"""A member's haulier profile in chat (/haulier, or from the profile): the countries and
routes served, the loading types and one load's capacity, in one form (a modal on Slack);
a haulier then sees their profile and the transports booked with them or open to their
quote. Every rule is core's (core.deals.freight)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conversations import form_runner
from conversations.flow import Ask, Ctx, Flow, FormState, Next
from conversations.flows.deals import freight_forms as forms
from conversations.flows.deals.freight import FreightStep, done_row
from conversations.messages import Choice, Inbound, Outbound, Reply, go, rows
from core.deals.freight import view as freight_view
from core.deals.freight.cards import haulier_text
from core.deals.intents import DealIntent
from core.i18n import N_, _


async def _haulier_start(ctx: Ctx) -> Next | None:
    """A haulier sees their profile and transports; anyone else is asked the profile."""
    assert ctx.account is not None
    found = await freight_view.profile(ctx.uow, ctx.account.id)
    if found is None:
        return Next(state="form", remember=False)
    form_runner.seed(ctx, "form", {  # the state that asks it
        "routes": ", ".join(found.routes), "loading": list(found.loading_types),
        "capacity": f"{found.capacity.normalize():f}", "unit": found.unit})
    return None


async def _haulier_card(ctx: Ctx) -> list[Outbound]:
    """The profile, and a button to each transport booked with them or open to their quote."""
    assert ctx.account is not None
    found = await freight_view.profile(ctx.uow, ctx.account.id)
    assert found is not None
    transports = await freight_view.hauled_by(ctx.uow, ctx.account.id)
    return [Reply(haulier_text(found), rows(*(
        (_("🚚 Transport #{id} for deal #{deal}", id=t.id, deal=t.deal_id), go("freight", t.id))
        for t in transports), (_("✏ Edit the profile"), "edit"), (_("✔ Done"), "done")))]


async def _on_haulier_card(ctx: Ctx, msg: Inbound) -> Next:
    if isinstance(msg, Choice) and msg.data == "edit":
        return Next(state="form")
    return Next.end(menu=False)


async def _haulier_saved(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    declared = await freight_view.declare(ctx.uow, ctx.account.id, values["routes"],
                                          values["loading"], Decimal(str(values["capacity"])),
                                          values["unit"])
    return Next.end(Reply(haulier_text(declared) + "\n" + _(
        "You hear of requests for transport on these routes, and quote from their card."),
        done_row()), menu=False)


haulier_flow = Flow(
    name="haulier", title=N_("your haulier profile"), first="card", on_start=_haulier_start,
    state_model=FreightStep, commands=("haulier",),
    summary=N_("Haul for members: your routes, loading types and capacity"),
    intents={DealIntent.HAULIER: "{arg}"},
    help=N_("Hauliers name the countries and routes they serve, their loading types (tipper, "
            "walking floor, bags) and one load's capacity; they hear of the deals' requests for "
            "transport on those routes, quote a price, pickup day and days in transit, and once "
            "booked and paid post loaded, on the way and delivered with the CMR photo. The "
            "freight is held in escrow and paid out to them, as a seller is paid, once the "
            "delivery is confirmed."),
    states={"card": Ask(prompt=_haulier_card, on=_on_haulier_card),
            "form": FormState(form=forms.haulier_form, done=_haulier_saved)},
)
