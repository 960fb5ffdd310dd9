"""The support desk's chats with no database anywhere: the real flows through the engine in
memory, the tickets' use cases on the in-memory desk, the listing form's on the in-memory
stock, and the tickets' notices (core.support.wiring, as on the database) in the chat's
postbox, read by tests.support.outbox's `told(chat, …)`."""

from __future__ import annotations

from typing import Any

from conversations.flows.all_flows import ALL_FLOWS
from core.catalog.stock import Stock
from core.support import service as support
from core.support import wiring as support_wiring
from core.support.desk import Desk
from tests.catalog.fakes import MemoryStock
from tests.support.memory_engine import MemoryChat
from tests.tickets.fakes import ANN, EVE, ROOT, MemoryDesk, staffed


def helpdesk() -> tuple[MemoryChat, MemoryDesk, MemoryStock]:
    """Ann (a seller) asks, Root operates, Eve is someone else, in a chat whose tickets are
    the desk returned and whose listings the stock."""
    desk, stock = staffed(), MemoryStock()
    chat = MemoryChat(ALL_FLOWS, stores={Desk: desk, Stock: stock},
                      wiring=[support_wiring.wire])
    for key, name, roles, account_id in (("ann", "Ann", ("seller",), ANN),
                                         ("root", "Root", ("buyer",), ROOT),
                                         ("eve", "Eve", ("buyer",), EVE)):
        chat.turns.register("terminal", key, name, roles=roles, account_id=account_id)
    return chat, desk, stock


async def opened(chat: MemoryChat, asker: int, question: str = "My payout has not arrived",
                 context: dict[str, Any] | None = None, channel: str = "terminal") -> int:
    """A ticket opened in a transaction of the chat's (its notices written as it commits)."""
    async with chat.uow() as uow:
        ticket = await support.open_ticket(uow, asker, question, context, channel)
        await uow.commit()
        return ticket.id
