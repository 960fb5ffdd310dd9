"""What an inspection tells, each notice in its reader's language and on their own channel:
the other party that one was booked; the inspector, once the fee is authorised, the
inspection's card with the deal's quality terms and Accept or Decline; both parties the
inspector's answer; both the lab's figures with the sampling record and the price adjustment
they give under the frozen terms (the buyer with the step that reports them); a lapse to all
three. Each booking and move also rewrites both parties' latest deal card, whose inspection
line and buttons this context adds (`deal_card`, through core.deals.card_parts)."""

from __future__ import annotations

from core.actions import Action
from core.consulting.inspections import cards, service
from core.consulting.inspections.events import InspectionBooked, InspectionMoved
from core.consulting.inspections.rules import InspectionState
from core.consulting.inspections.tables import Inspection
from core.consulting.inspections.view import InspectionFacts
from core.consulting.intents import ConsultingIntent
from core.deals.after_sale import quality_report
from core.deals.intents import DealIntent
from core.deals.tables import Deal
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify, recipients, rewrite_card
from core.storage.uow import UnitOfWork

ABOUT = "inspection:{id}"


def record_ref(inspection_id: int) -> dict[str, str]:
    """How a notice attaches an inspection's sampling record."""
    return {"kind": "inspection-record", "key": str(inspection_id)}


def _view(inspection_id: int) -> Action:
    return Action(ConsultingIntent.VIEW_INSPECTION, N_("🔬 Inspection"), str(inspection_id))


async def on_booked(uow: UnitOfWork, event: InspectionBooked) -> None:
    """The party who did not book hears who will inspect the goods."""
    row = await uow.get(Inspection, event.inspection_id)
    deal = await uow.get(Deal, row.deal_id) if row else None
    if row is None or deal is None:
        return
    other = deal.seller_id if event.payer_id == deal.buyer_id else deal.buyer_id
    await recipients(uow, {deal.buyer_id, deal.seller_id})
    await _rewrite_deal_cards(uow, deal)
    async with addressed_to(uow, other):
        facts = await service.get(uow, row.id, other)
        await notify(uow, other, _(
            "🔬 An independent inspection of deal #{deal} was booked: {inspector} samples the "
            "goods and has them analysed. Their figures come to both of you, with the sampling "
            "record.",
            deal=deal.id, inspector=facts.inspector), buttons=[[_view(row.id)]])


async def on_moved(uow: UnitOfWork, event: InspectionMoved) -> None:
    """The inspector hears of an authorised inspection; the parties of each later move."""
    row = await uow.get(Inspection, event.inspection_id)
    deal = await uow.get(Deal, row.deal_id) if row else None
    if row is None or deal is None:
        return
    parties = (deal.buyer_id, deal.seller_id)
    await recipients(uow, {row.inspector_id, *parties})
    await _rewrite_deal_cards(uow, deal)
    if event.state == InspectionState.BOOKED:
        await _to_inspector(uow, row)
        return
    for party in parties:
        async with addressed_to(uow, party):
            await _to_party(uow, row, deal, party, event.state)
    if event.state == InspectionState.LAPSED:
        async with addressed_to(uow, row.inspector_id):
            await notify(uow, row.inspector_id, _(
                "Inspection #{id} lapsed: its results were not in by the deadline, so the fee "
                "is given back.", id=row.id), about=(ABOUT.format(id=row.id),))


async def _rewrite_deal_cards(uow: UnitOfWork, deal: Deal) -> None:
    """Both parties' latest deal card shows the inspection as it stands now. Written before
    this move's notices: one of them may be a newer card of the deal (the results, with the
    step that reports them), which is then left as it is said."""
    for party in (deal.buyer_id, deal.seller_id):
        await rewrite_card(uow, party, f"deal:{deal.id}")


async def _to_inspector(uow: UnitOfWork, row: Inspection) -> None:
    async with addressed_to(uow, row.inspector_id):
        facts = await service.get(uow, row.id, row.inspector_id)
        step = ConsultingIntent.INSPECTION_STEP
        await notify(uow, row.inspector_id, _("You are booked for an inspection; the fee is "
                                              "authorised and paid to you once your results "
                                              "are in.") + "\n" + cards.inspection_text(facts),
                     buttons=[[Action(step, N_("✅ Accept"), f"accept:{row.id}"),
                               Action(step, N_("✖ Decline"), f"decline:{row.id}")]])


async def _to_party(uow: UnitOfWork, row: Inspection, deal: Deal, party: int, state: str
                    ) -> None:
    facts = await service.get(uow, row.id, party)
    if state == InspectionState.ACCEPTED:
        text = _("🔬 {inspector} accepted the inspection of deal #{deal}; their results come "
                 "to both of you.", inspector=facts.inspector, deal=deal.id)
    elif state == InspectionState.DECLINED:
        text = _("🔬 {inspector} declined the inspection of deal #{deal}; the fee is given back "
                 "and another inspector may be booked.", inspector=facts.inspector, deal=deal.id)
    elif state == InspectionState.LAPSED:
        text = _("🔬 The inspection of deal #{deal} lapsed without results; the fee is given "
                 "back.", deal=deal.id)
    else:
        await _results(uow, facts, deal, party)
        return
    await notify(uow, party, text, buttons=[[_view(row.id)]])


async def _results(uow: UnitOfWork, facts: InspectionFacts, deal: Deal, party: int
                   ) -> None:
    """The figures, what they take off the price, the step that reports them, the record."""
    cost = await quality_report.preview(uow, deal.id, dict(facts.results))
    said = _("Under the frozen terms these figures take {amount} off the price.", amount=cost) \
        if cost.amount else _("These figures are within the agreed limits: no price adjustment.")
    text = _("🔬 The results of independent inspector {inspector} for deal #{deal}: {figures}.",
             inspector=facts.inspector, deal=deal.id, figures=cards.figures_text(facts))
    report = [[Action(DealIntent.DEAL_STEP, N_("🔬 Report quality with these figures"),
                      f"{deal.id}:report-quality")]] if party == deal.buyer_id else []
    await notify(uow, party, text + "\n" + said, buttons=[*report, [_view(facts.id)]],
                 attachment=record_ref(facts.id))
