"""Shared by the community and learning tests: people, and what the outbox holds for them."""

from __future__ import annotations

from typing import Any

from config.container import Container
from core.accounts.tables import Account
from tests.support.accounts import registered
from tests.support.outbox import told

__all__ = ["actions", "members", "told"]


async def members(app: Container, *names: str) -> list[Account]:
    """Registered members (root is an admin by the test settings)."""
    return [await registered(app, name, roles=("buyer", "seller")) for name in names]


def actions(payload: dict[str, Any]) -> dict[str, str]:
    """A notice's buttons: label -> the data a channel sends when pressed."""
    return {b["label"]: f"@do:{b['intent']}:{b['arg']}" for row in payload["buttons"] for b in row}
