"""Shared by the community and learning tests: people, and what the outbox holds for them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from config.container import Container
from core.accounts.tables import Account
from core.notifications.tables import OutboxMessage
from tests.support.accounts import registered


async def members(app: Container, *names: str) -> list[Account]:
    """Registered members (root is an admin by the test settings)."""
    return [await registered(app, name, roles=("buyer", "seller")) for name in names]


async def told(app: Container, account_id: int, containing: str = "") -> list[dict[str, Any]]:
    """The outbox payloads for this account, oldest first (those containing a phrase)."""
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.account_id == account_id).order_by(OutboxMessage.id))).scalars()
        return [{**r.payload, "channel": r.channel} for r in rows
                if containing in r.payload.get("text", "")]


def actions(payload: dict[str, Any]) -> dict[str, str]:
    """A notice's buttons: label -> the data a channel sends when pressed."""
    return {b["label"]: f"@do:{b['intent']}:{b['arg']}" for row in payload["buttons"] for b in row}
