"""Approval cards: an offer within a buyer's limit goes out and one above it waits, its card
by DM to the approvers (not to finance) until one approves it, and it is made in the buyer's
name. In a team chat: an admin sends them to a Slack channel (a colleague without
the admin role may not); the held purchase's card is posted there in the chosen language, with
Approve and Reject, and by DM only to approvers who are not on Slack; the decision is posted
there too as the card's newer card (its buttons go); choosing no chat brings DMs back. In
memory (`tests/companies/approval_chat.py`): the approval book, the roster and the notices'
handlers as on the database; the journey from a listing's offer with its notices on the
database is `test_company_chat.py`'s."""

from __future__ import annotations

import pytest

from core.companies import approvals_chat
from core.deals.approvals import service as approvals
from core.errors import DomainError, NotAllowed
from core.money.model import Money
from tests.companies.approval_chat import company_chat, on_slack, second_approver
from tests.companies.test_approval_rules import ALICE, ANNA, terms
from tests.support.memory_engine import MemoryChat
from tests.support.outbox import told

CHAT = "slack:C0BUYING"


def _in_chat(chat: MemoryChat) -> list[dict]:
    """The payloads written for the team chat (no account: whoever reads the channel)."""
    rows = [(n.account_id, n.payload) for n in chat.postbox.notices
            if (n.channel, n.address) == ("slack", "C0BUYING")]
    assert all(account_id is None for account_id, _ in rows)
    return [payload for _, payload in rows]


async def _run(chat: MemoryChat, use_case, *args):
    """One use case in its own committed transaction of the chat's."""
    async with chat.uow() as uow:
        result = await use_case(uow, *args)
        await uow.commit()
        return result


async def test_an_offer_within_the_limit_goes_out_and_one_above_it_waits_for_an_approver():
    chat, book, listing_id = await company_chat()
    async with chat.uow() as uow:
        small = await approvals.offer(uow, listing_id, ANNA, terms("20", "200"))  # 4,000
        big = await approvals.offer(uow, listing_id, ANNA, terms("100", "220"))  # 22,000
        await uow.commit()
    assert small.offer_id is not None and big.held is not None and big.offer_id is None
    assert (big.total, big.limit, big.approvers) == (
        Money.parse("22000", "EUR"), Money.parse("10000", "EUR"), ("Alice",))
    assert list(book.offers.offers) == [small.offer_id]  # the held one never reached Sam
    card = next(p for p in await told(chat, "alice") if "Approval needed" in p["text"])
    assert "Anna wants to send an offer" in card["text"] and "limit" in card["text"]
    assert [b["label"] for b in card["buttons"][0]] == ["✅ Approve", "✖ Reject"]
    assert not any("Approval needed" in p["text"] for p in await told(chat, "fred"))  # finance

    async with chat.uow() as uow:
        request = await approvals.approve(uow, big.held, ALICE)
        await uow.commit()
    made = book.offers.offers[request.result_offer_id]
    assert (made.buyer_id, made.price_minor, made.quantity_milli) == (ANNA, 22000, 100_000)
    assert any("Offer #" in p["text"] for p in await told(chat, "sam"))
    assert any("Alice approved your purchase" in p["text"] for p in await told(chat, "anna"))



async def test_only_an_admin_chooses_where_approval_cards_go():
    chat, book, _listing_id = await company_chat()
    async with chat.uow() as uow:
        with pytest.raises(NotAllowed):
            await approvals_chat.choose(uow, ANNA, CHAT, "en")
        with pytest.raises(DomainError):
            await approvals_chat.choose(uow, ALICE, "slack:#buying; drop", "en")
    company = await _run(chat, approvals_chat.choose, ALICE, CHAT, "de")
    assert (company.approvals_chat, company.approvals_language) == (CHAT, "de")
    [hello] = _in_chat(chat)
    assert hello["text"].startswith("🧾 Einkäufe von Baltic Heat AS")
    trail = book.roster.audited[-1]
    assert (trail.action, trail.subject) == ("approvals_chat", CHAT)


async def test_the_card_goes_to_the_chat_and_by_dm_only_to_approvers_off_slack():
    chat, book, listing_id = await company_chat()
    carl = await second_approver(book)  # Carl is not on Slack
    on_slack(chat, "alice", "U7ALICE")
    await _run(chat, approvals_chat.choose, ALICE, CHAT, "en")
    held = await _run(chat, approvals.offer, listing_id, ANNA, terms("100", "220"))

    card = _in_chat(chat)[-1]
    assert "Approval needed: Anna wants to send an offer" in card["text"]
    assert "22,000.00" in card["text"]
    assert [b["label"] for b in card["buttons"][0]] == ["✅ Approve", "✖ Reject"]
    assert card["about"] == [f"purchase:{held.held}"]
    assert not [p for p in await told(chat, "alice") if "Approval needed" in p["text"]]
    assert [p for p in await told(chat, carl) if "Approval needed" in p["text"]]

    await _run(chat, approvals.approve, held.held, ALICE)
    decided = _in_chat(chat)[-1]
    assert "Alice approved Anna's purchase" in decided["text"]
    assert decided["about"] == [f"purchase:{held.held}"]  # the card loses its buttons
    assert [p for p in await told(chat, carl) if "Alice approved" in p["text"]]


async def test_choosing_no_chat_sends_cards_by_dm_again():
    chat, book, listing_id = await company_chat()
    on_slack(chat, "alice", "U7ALICE")
    await _run(chat, approvals_chat.choose, ALICE, CHAT, "en")
    await _run(chat, approvals_chat.choose, ALICE, None, "en")
    await _run(chat, approvals.offer, listing_id, ANNA, terms("100", "220"))
    assert not [m for m in _in_chat(chat) if "Approval needed" in m["text"]]
    assert [p for p in await told(chat, "alice") if "Approval needed" in p["text"]]
    seat = await book.roster.seat(ALICE)
    assert seat is not None and seat.company.approvals_chat is None
