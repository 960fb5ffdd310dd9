"""A deal's card as it is now, for one of its parties: what rewrites their latest card of the
deal when it changed without a new card in their chat (core.notifications.cards). The words
are the deal card's (`cards.deal_text`, the same a party reads on opening the deal), the
buttons the steps this party may take now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.actions import payload_rows
from core.deals import cards, deals
from core.deals.notices.parties import next_steps
from core.deals.views import deal_view
from core.errors import NotFound
from core.notifications.cards import CardBuilder
from core.notifications.outbox import addressed_to
from core.payments_port import PaymentsPort
from core.process.deals import BUYER, SELLER
from core.storage.uow import UnitOfWork


def builders(uow_factory: Callable[[], UnitOfWork], payments: PaymentsPort
             ) -> dict[str, CardBuilder]:
    """The card kinds deals rewrite, for the dispatchers (wired by the composition root)."""

    async def deal(object_id: str, account_id: int) -> dict[str, Any] | None:
        async with uow_factory() as uow, addressed_to(uow, account_id) as reader:
            try:
                view = await deal_view(uow, int(object_id), account_id)
            except (NotFound, ValueError):
                return None
            if view.role not in (BUYER, SELLER):
                return None
            escrow = await payments.by_reference(deals.reference(view.deal.id), uow)
            text = cards.deal_text(view, cards.payment_words(escrow, view.deal), reader)
            return {"text": text,
                    "buttons": payload_rows(next_steps(view.deal, view.role, view.rated))}

    return {"deal": deal}
