"""The buyer's quality step with an independent inspector's figures: shown with the adjustment
they give under the frozen terms, the buyer reports them as they are (marked as the
inspector's) or enters her own. Either way it is the deal's one quality report
(core.deals.after_sale.quality_report), which the seller then accepts or rejects."""

from __future__ import annotations

from conversations import confirmations
from conversations.flow import Ctx, Next
from conversations.flows.deals.deal_step_forms import _adjustment_text
from conversations.flows.deals.deal_step_state import DealStep
from conversations.messages import Choice, Inbound, Outbound, Reply, rows
from core.consulting.inspections import service as inspections
from core.consulting.inspections.cards import figures_text
from core.consulting.inspections.rules import InspectionState
from core.consulting.inspections.view import InspectionFacts
from core.deals import views as deal_views
from core.deals.after_sale import quality_report
from core.i18n import _


async def delivered(ctx: Ctx, deal_id: int) -> InspectionFacts | None:
    """The deal's inspection whose results are in, if any."""
    found = await inspections.of_deal(ctx.uow, deal_id, ctx.account_id)
    return found if found is not None and found.state == InspectionState.DELIVERED else None


async def prompt(ctx: Ctx) -> list[Outbound]:
    deal_id = DealStep.of(ctx).deal_id
    found = await delivered(ctx, deal_id)
    assert found is not None
    cost = await quality_report.preview(ctx.uow, deal_id, dict(found.results))
    said = _("Under the frozen terms these figures take {amount} off the price.", amount=cost) \
        if cost.amount else _("These figures are within the agreed limits: no price adjustment.")
    return [Reply(_("🔬 The results of independent inspector {inspector} for deal #{deal}: {figures}.",
                    inspector=found.inspector, deal=deal_id, figures=figures_text(found))
                  + "\n" + said,
                  rows((_("✅ Report these figures"), "yes"), (_("✏ Enter my own"), "own"),
                       (_("Not now"), "no")))]


async def on_answer(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "own":
        return Next(state="quality", remember=False)
    deal_id = DealStep.of(ctx).deal_id
    found = await delivered(ctx, deal_id)
    if data != "yes" or found is None:
        return Next.end(Reply(_("Nothing changed.")), menu=False)
    measured = {name: str(value) for name, value in found.results.items()}
    report = await quality_report.report(ctx.uow, deal_id, ctx.account.id, measured,
                                         measured_by=found.inspector)
    if quality_report.within_tolerances(report):
        return Next.end(Reply(confirmations.quality_reported(None).text), menu=False)
    view = await deal_views.deal_view(ctx.uow, deal_id, ctx.account.id)
    return Next.end(Reply(confirmations.quality_reported(_adjustment_text(view)).text),
                    menu=False)
