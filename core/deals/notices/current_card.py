"""A deal's card as it is now, for one of its parties: what rewrites their latest card of the
deal when it changed without a new card in their chat (core.notifications.cards). It is the
card a party reads on opening the deal (core.deals.deal_card: the same lines, steps and other
doors, other contexts' parts among them), ended, as every deal notice is, with the deal
itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from core.actions import payload_rows
from core.deals.card_parts import DealCardPart
from core.deals.deal_card import deal_card
from core.deals.notices.parties import deal_button
from core.deals.views import deal_view
from core.errors import NotFound
from core.notifications.cards import CardBuilder
from core.notifications.outbox import addressed_to
from core.payments_port import PaymentsPort
from core.process.deals import BUYER, SELLER
from core.storage.uow import UnitOfWork


def builders(uow_factory: Callable[[], UnitOfWork], payments: PaymentsPort,
             contributors: Sequence[DealCardPart] = ()) -> dict[str, CardBuilder]:
    """The card kinds deals rewrite, for the dispatchers (wired by the composition root, with
    every context's part of a deal card)."""

    async def deal(object_id: str, account_id: int) -> dict[str, Any] | None:
        async with uow_factory() as uow, addressed_to(uow, account_id) as reader:
            try:
                view = await deal_view(uow, int(object_id), account_id)
            except (NotFound, ValueError):
                return None
            if view.role not in (BUYER, SELLER):
                return None
            card = await deal_card(uow, payments, view, account_id, reader, contributors)
            return {"text": "\n".join(card.lines),
                    "buttons": payload_rows([*card.rows(), [deal_button(view.deal.id)]])}

    return {"deal": deal}
