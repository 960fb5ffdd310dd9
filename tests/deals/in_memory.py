"""A deal's chats with no database anywhere: the real flows (a deal's card and steps, the
disputes desk, an offer's answer, a thread) through the engine in memory, their use cases on
the in-memory deal book (`tests/deals/deal_fakes.MemoryDeals`: the deal's record, what its card
reads, its after-sale and ratings), the offers' negotiation and the threads' correspondence.
What a move sets going beyond the deal (notices through the outbox, the money, the timers)
is the database's: those journeys stay on `app` (test_deal_chat_paths.py)."""

from __future__ import annotations

from core.deals.after_sale.logbook import Logbook
from core.deals.deal_book import DealBook
from core.deals.folder import DealFolder
from core.deals.offers.negotiation import Negotiation
from core.deals.ratings.scoreboard import Scoreboard
from core.deals.threads.correspondence import Correspondence
from tests.deals.deal_fakes import BOB, EVE, ROOT, SAM, MemoryDeals
from tests.deals.offer_fakes import MemoryNegotiation
from tests.deals.thread_fakes import MemoryCorrespondence
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

PEOPLE = {"sam": (SAM, ("seller", "buyer")), "bob": (BOB, ("buyer",)),
          "eve": (EVE, ("buyer",)), "root": (ROOT, ("seller", "buyer"))}


def deal_chat(deals: MemoryDeals | None = None) -> tuple[MemoryChat, MemoryDeals]:
    """A chat over every flow on one in-memory deal book (Sam sells to Bob, Eve is a stranger,
    Root an administrator), each registered on the terminal under their name with the book's
    account id."""
    from conversations.flows.all_flows import ALL_FLOWS

    deals = deals or MemoryDeals()
    chat = MemoryChat(ALL_FLOWS, stores={
        DealBook: deals, DealFolder: deals, Logbook: deals, Scoreboard: deals,
        Negotiation: MemoryNegotiation(), Correspondence: MemoryCorrespondence()})
    for key, (account_id, roles) in PEOPLE.items():
        chat.turns.register("terminal", key, key.title(), roles=roles, admin=key == "root",
                            account_id=account_id)
    return chat, deals


def person(chat: MemoryChat, key: str) -> ChatUser:
    """One of the chat's people, chatting on the terminal."""
    return ChatUser(chat, key)
