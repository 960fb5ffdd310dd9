"""What other contexts add to a deal's card: a line and the steps of their own object that
belongs to the deal (an independent inspection, from the consultants' market, which
`core/deals` may not import). Each context gives a `DealCardPart`, listed beside its other
parts in `config.contexts`; every path that draws a deal card (the card opened in chat, the
latest card rewritten after a change, the Mini App's deal room) asks them all, so a card reads
the same whichever way it is drawn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.actions import Action
from core.storage.uow import UnitOfWork

if TYPE_CHECKING:
    from core.deals.views import DealView


@dataclass(frozen=True)
class CardPart:
    """Lines in the reader's language (written under their `addressed_to`), and the steps as
    actions, their labels still msgids as every action's are."""

    lines: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()


# (unit of work, the reader's deal view, the reader's account) → their part, or None.
DealCardPart = Callable[[UnitOfWork, "DealView", int], Awaitable[CardPart | None]]


async def parts_of(uow: UnitOfWork, view: DealView, account_id: int,
                   contributors: Sequence[DealCardPart]) -> CardPart:
    """Every context's part of this reader's deal card, in the contexts' order."""
    lines: list[str] = []
    actions: list[Action] = []
    for contribute in contributors:
        part = await contribute(uow, view, account_id)
        if part is not None:
            lines += part.lines
            actions += part.actions
    return CardPart(tuple(lines), tuple(actions))
