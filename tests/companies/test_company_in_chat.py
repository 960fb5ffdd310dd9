"""The company in chat with no database anywhere: the real `/company` flow through the engine
in memory, its use cases on the in-memory roster and its card's approvals and deals on the
in-memory approval book (core.storage.stores hands each the chat's fake). Setting a company
up, inviting by link, a buyer's buttons, asking to join from the Slack workspace, the
decisions and a buyer's empty deals. What needs more — registering a newcomer, a held
purchase with its notices — stays on the database: `test_company_chat.py`."""

from __future__ import annotations

from conversations.flows.all_flows import ALL_FLOWS
from tests.companies.approval_fakes import MemoryApprovalBook
from tests.companies.chat_steps import found_company
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat


def company_chat() -> tuple[MemoryChat, MemoryApprovalBook]:
    """A chat over every flow whose companies, approvals and deals are the book returned."""
    book = MemoryApprovalBook()
    return MemoryChat(ALL_FLOWS, stores=book.stores()), book


def person(chat: MemoryChat, book: MemoryApprovalBook, key: str, name: str, *,
           slack: str | None = None) -> ChatUser:
    """A registered member chatting as `key` (on Slack as the user `slack` when given), known
    to the roster by their name and Slack identity."""
    channel = "slack" if slack else "terminal"
    member = chat.turns.register(channel, key, name, country="LV")
    book.roster.person(member.id, name, slack=(key,) if slack else ())
    return ChatUser(chat, key, channel=channel, chat_id=slack)


async def _company(chat: MemoryChat, book: MemoryApprovalBook) -> tuple[ChatUser, str]:
    """Alice founds Baltic Heat in chat and invites a buyer with a 1,000 € limit; the code."""
    alice = person(chat, book, "alice", "Alice")
    return alice, await found_company(alice)


async def test_an_invitation_link_joins_and_a_buyer_sees_only_her_buttons():
    chat, book = company_chat()
    _alice, code = await _company(chat, book)
    anna = person(chat, book, "anna", "Anna")
    await anna.say(f"/start company-join_{code}")
    assert "Welcome to Baltic Heat AS" in anna.texts()
    assert "Your spending limit per purchase: 1" in anna.texts()
    labels = set(anna.labels())
    assert "➕ Invite a colleague" not in labels and "📋 Decisions" not in labels
    await anna.say(f"/start company-join_{code}")  # the code is used now
    assert "unknown, used or expired" in anna.texts()


async def test_a_colleague_of_the_slack_workspace_may_ask_to_join_from_the_card():
    chat, book = company_chat()
    alice = person(chat, book, "T0AGORA:U1ALICE", "Alice", slack="U1ALICE")
    await alice.say("/company")
    await alice.tap("Set up a company")
    await alice.say("Baltic Heat AS")
    fred = person(chat, book, "T0AGORA:U1FRED", "Fred", slack="U1FRED")
    eve = person(chat, book, "T9OTHER:U1EVE", "Eve", slack="U1EVE")
    await fred.say("/company")
    assert "Baltic Heat AS, of your Slack workspace, is on Agora" in fred.texts()
    await fred.tap("Ask to join Baltic Heat AS")
    assert "an admin of Baltic Heat AS will let you in" in fred.texts()
    await eve.say("/company")
    assert "Ask to join" not in " ".join(eve.labels())  # another workspace
    await eve.say("/company ask:1")  # a crafted request from another workspace
    assert "Ask an admin of Baltic Heat AS for an invitation" in eve.texts()


async def test_the_decisions_read_as_words_and_are_for_admins_and_finance_only():
    chat, book = company_chat()
    alice, code = await _company(chat, book)
    await alice.say("/company")
    await alice.tap("Decisions")
    assert "Alice set up the company" in alice.texts()
    assert "Alice invited a colleague (invite:" in alice.texts()
    anna = person(chat, book, "anna", "Anna")
    await anna.say(f"/start company-join_{code}")
    await anna.say("/company deals")  # typed by hand: core refuses what the role may not see
    assert "No deals of colleagues to show yet" in anna.texts()
