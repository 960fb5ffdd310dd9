"""Purchases waiting for approval in chat with no database anywhere: `/approvals` and the
approval card through the engine in memory, on the in-memory approval book. The buyer reads
what waits and withdraws; an approver opens the card, rejects with a reason asked at that step
or approves, and the purchase goes out in the buyer's name; the company's card counts what
waits. The cards in a team chat and by DM, with their handlers, in memory too:
`test_approvals_chat.py`; the journey from a listing's offer, with the notices the outbox
carries, on the database: `test_company_chat.py`."""

from __future__ import annotations

from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import ListPage
from core.deals.approvals import service as approvals
from tests.catalog.helpers import open_item
from tests.companies.approval_fakes import MemoryApprovalBook
from tests.companies.test_approval_rules import ALICE, ANNA, company_of_three, terms
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat


async def company() -> tuple[MemoryApprovalBook, int, ChatUser, ChatUser]:
    """Baltic Heat in memory (`company_of_three`), Alice and Anna in chat; Sam's listing."""
    book, listing_id = await company_of_three()
    chat = MemoryChat(ALL_FLOWS, stores=book.stores())
    for key, account_id in (("alice", ALICE), ("anna", ANNA)):
        chat.turns.register("terminal", key, key.title(), account_id=account_id,
                            country="LV")
    return book, listing_id, ChatUser(chat, "alice"), ChatUser(chat, "anna")


def listed(user: ChatUser) -> str:
    """The list's title and its items' lines, as one text."""
    return "\n".join(f"{page.title}\n" + "\n".join(f"{i.title} · {i.subtitle}" for i in page.items)
                     for page in user.last if isinstance(page, ListPage))


async def test_the_buyer_reads_what_waits_and_withdraws_it_from_its_card():
    book, listing_id, _alice, anna = await company()
    held = (await approvals.offer(book, listing_id, ANNA, terms("100", "220"))).held
    await anna.say("/approvals")
    assert "Purchases waiting for approval" in listed(anna)
    assert f"#{held} · 22\u00a0000,00\u00a0€ · yours, waiting"  # as in Latvia in listed(anna)
    await open_item(anna, f"#{held}")
    assert "Approval needed: Anna wants to send an offer on “ENplus A1 wood pellets” to Sam" \
        in anna.texts()
    assert "Above Anna's limit of" in anna.texts() and "Approve" not in " ".join(anna.labels())
    await anna.tap("Withdraw the request")
    assert "Request withdrawn" in anna.texts()
    assert book.requests[held].status == "withdrawn"
    await anna.say("/approvals")
    assert "Nothing waits for approval" in anna.texts()


async def test_an_approver_rejects_with_a_reason_or_approves_from_the_card():
    book, listing_id, alice, _anna = await company()
    first = (await approvals.offer(book, listing_id, ANNA, terms("100", "220"))).held
    second = (await approvals.offer(book, listing_id, ANNA, terms("60", "220"))).held
    await alice.say("/company")
    assert "Waiting for approval: 2" in alice.texts()
    await alice.say(f"/approvals reject:{first}")
    assert "Why not?" in alice.texts()
    await alice.say("   ")
    assert "Please type a reason" in alice.texts()
    await alice.say("Over budget this quarter")
    assert "Rejected; the buyer is told why" in alice.texts()
    assert book.requests[first].reason == "Over budget this quarter"
    await alice.say("/approvals")
    assert listed(alice).endswith(f"#{second} · 13\u00a0200,00\u00a0€ · waiting for an approver")
    await open_item(alice, f"#{second}")
    await alice.tap("Approve")
    assert "Approved: it went out in the buyer's name" in alice.texts()
    made = book.offers.offers[book.requests[second].result_offer_id]
    assert (made.buyer_id, made.quantity_milli) == (ANNA, 60_000)
    await alice.say(f"/approvals {first}")  # a decided card says what became of it
    assert "Rejected." in alice.texts() and "Approve" not in " ".join(alice.labels())
