"""Approval cards in a team chat: an admin sends them to a Slack channel (a colleague without
the admin role may not); the held purchase's card is posted there in the chosen language, with
Approve and Reject, and by DM only to approvers who are not on Slack; the decision is posted
there too as the card's newer card (its buttons go); choosing no chat brings DMs back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.accounts.tables import Account, Identity
from core.companies import approvals_chat
from core.companies import seats as company_seats
from core.companies.tables import CompanyAudit
from core.deals.approvals import service as approvals
from core.errors import DomainError, NotAllowed
from core.notifications.tables import OutboxMessage
from tests.companies.test_purchase_approval import company_of_three, second_approver, terms
from tests.support.outbox import told

CHAT = "slack:C0BUYING"


async def _on_slack(app, account: Account, user: str) -> None:
    """The account also has a Slack identity (it reads the workspace's channels)."""
    async with app.uow() as uow:
        uow.add(Identity(account_id=account.id, channel="slack", user_key=f"T0AGORA:{user}",
                         address=user, created_at=uow.clock.now()))
        await uow.commit()


async def _in_chat(app) -> list[dict]:
    """The payloads written for the team chat (no account: whoever reads the channel)."""
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage.account_id, OutboxMessage.payload)
                .where(OutboxMessage.channel == "slack", OutboxMessage.address == "C0BUYING")
                .order_by(OutboxMessage.id))).all()
    assert all(account_id is None for account_id, _ in rows)
    return [payload for _, payload in rows]


async def test_only_an_admin_chooses_where_approval_cards_go(app):
    _sam, alice, anna, _fred, _bob, _listing = await company_of_three(app)
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):
            await approvals_chat.choose(uow, anna.id, CHAT, "en")
        with pytest.raises(DomainError):
            await approvals_chat.choose(uow, alice.id, "slack:#buying; drop", "en")
    async with app.uow() as uow:
        company = await approvals_chat.choose(uow, alice.id, CHAT, "de")
        await uow.commit()
    assert (company.approvals_chat, company.approvals_language) == (CHAT, "de")
    [hello] = await _in_chat(app)
    assert hello["text"].startswith("🧾 Einkäufe von Baltic Heat AS")
    async with app.uow() as uow:
        trail = (await uow.session.execute(select(CompanyAudit.action, CompanyAudit.subject)
                                           .order_by(CompanyAudit.id.desc()))).first()
    assert tuple(trail) == ("approvals_chat", CHAT)


async def test_the_card_goes_to_the_chat_and_by_dm_only_to_approvers_off_slack(app):
    _sam, alice, anna, _fred, _bob, listing_id = await company_of_three(app)
    carl = await second_approver(app, alice.id)  # Carl is on Telegram only
    await _on_slack(app, alice, "U7ALICE")
    async with app.uow() as uow:
        await approvals_chat.choose(uow, alice.id, CHAT, "en")
        await uow.commit()
    async with app.uow() as uow:
        held = await approvals.offer(uow, listing_id, anna.id, terms("100", "220"))
        await uow.commit()

    card = (await _in_chat(app))[-1]
    assert "Approval needed: Anna wants to send an offer" in card["text"]
    assert "22,000.00" in card["text"]
    assert [b["label"] for b in card["buttons"][0]] == ["✅ Approve", "✖ Reject"]
    assert card["about"] == [f"purchase:{held.held}"]
    assert not [p for p in await told(app, "alice") if "Approval needed" in p["text"]]
    assert [p for p in await told(app, carl.id) if "Approval needed" in p["text"]]

    async with app.uow() as uow:
        await approvals.approve(uow, held.held, alice.id)
        await uow.commit()
    decided = (await _in_chat(app))[-1]
    assert "Alice approved Anna's purchase" in decided["text"]
    assert decided["about"] == [f"purchase:{held.held}"]  # the card loses its buttons
    assert [p for p in await told(app, carl.id) if "Alice approved" in p["text"]]


async def test_choosing_no_chat_sends_cards_by_dm_again(app):
    _sam, alice, anna, _fred, _bob, listing_id = await company_of_three(app)
    await _on_slack(app, alice, "U7ALICE")
    async with app.uow() as uow:
        await approvals_chat.choose(uow, alice.id, CHAT, "en")
        await uow.commit()
    async with app.uow() as uow:
        await approvals_chat.choose(uow, alice.id, None, "en")
        await uow.commit()
    async with app.uow() as uow:
        await approvals.offer(uow, listing_id, anna.id, terms("100", "220"))
        await uow.commit()
    assert not [m for m in await _in_chat(app) if "Approval needed" in m["text"]]
    assert [p for p in await told(app, "alice") if "Approval needed" in p["text"]]
    async with app.uow() as uow:
        seat = await company_seats.seat_of(uow, alice.id)
        assert seat is not None and seat.company.approvals_chat is None