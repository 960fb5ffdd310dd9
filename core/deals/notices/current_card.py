"""A deal's card as it is now, for one of its parties: what rewrites their latest card of the
deal when it changed without a new card in their chat (core.notifications.cards). The words
are the deal card's (`cards.deal_text`, the same a party reads on opening the deal) with the
other contexts' parts (core.deals.card_parts: an inspection's line), the buttons the steps
this party may take now, then those parts' own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from core.actions import payload_rows
from core.deals import cards, deals
from core.deals.card_parts import DealCardPart, parts_of
from core.deals.notices.parties import next_steps
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
            escrow = await payments.by_reference(deals.reference(view.deal.id), uow)
            text = cards.deal_text(view, cards.payment_words(escrow, view.deal), reader)
            more = await parts_of(uow, view, account_id, contributors)
            steps = next_steps(view.deal, view.role, view.rated)  # the deal itself last
            rows = [*steps[:-1], *([a] for a in more.actions), *steps[-1:]]
            return {"text": "\n".join((text, *more.lines)), "buttons": payload_rows(rows)}

    return {"deal": deal}
