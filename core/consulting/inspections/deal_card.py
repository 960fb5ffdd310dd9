"""An inspection's part of its deal's card (core.deals.card_parts), for the deal's parties:
the line saying who inspects and where it stands, the inspection and its sampling record; or
booking one, while the goods are not yet quality-confirmed and none is open."""

from __future__ import annotations

from core.actions import Action
from core.consulting.inspections import rules, service
from core.consulting.inspections.cards import STATE_WORDS
from core.consulting.intents import ConsultingIntent
from core.deals.card_parts import CardPart
from core.deals.views import DealView
from core.i18n import N_, _
from core.process.deals import BUYER, SELLER
from core.storage.uow import UnitOfWork


async def deal_card_part(uow: UnitOfWork, view: DealView, account_id: int) -> CardPart | None:
    """The deal's latest inspection on its card, as this party reads it."""
    if view.role not in (BUYER, SELLER):
        return None
    found = await service.of_deal(uow, view.deal.id, account_id)
    lines = (_("🔬 Inspection by {inspector}: {status}", inspector=found.inspector,
               status=_(STATE_WORDS[found.state])),) if found is not None else ()
    actions: list[Action] = []
    if found is not None and found.state not in rules.VOIDED:
        actions.append(Action(ConsultingIntent.VIEW_INSPECTION, N_("🔬 Inspection"),
                              str(found.id)))
        if found.has_record:
            actions.append(Action(ConsultingIntent.INSPECTION_STEP, N_("📄 Sampling record"),
                                  f"file:{found.id}"))
    elif rules.bookable(view.deal.status):
        actions.append(Action(ConsultingIntent.BOOK_INSPECTION, N_("🔬 Book an inspection"),
                              str(view.deal.id)))
    return CardPart(lines, tuple(actions))
