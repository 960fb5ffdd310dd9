"""Accounts in a chat in memory: every flow on the engine in memory, its members kept by the
accounts' book in memory (tests/accounts/fakes.py), registration's email codes read from what the
turns emitted (tests/support/registration.last_code)."""

from __future__ import annotations

from conversations.flows.all_flows import ALL_FLOWS
from core.accounts.member import Member
from core.clock import Clock
from core.loyalty.book import PointsBook
from tests.loyalty.fakes import MemoryPointsBook
from tests.support.memory_engine import MemoryChat


def account_chat(clock: Clock | None = None) -> MemoryChat:
    """Every flow in memory, with the points book the profile's card reads its loyalty line from."""
    return MemoryChat(ALL_FLOWS, clock=clock, stores={PointsBook: MemoryPointsBook()})


def member_in(chat: MemoryChat, user_key: str, channel: str = "terminal") -> Member:
    """The member behind a chat identity, as the chat's book keeps them now."""
    return chat.turns.members[channel, user_key]
