"""Shared by the support tests: an asker and an operator, tickets opened through the service,
and what the outbox holds for an account."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from config.container import Container
from core.accounts.tables import Account
from core.operators import named
from core.support import service as support
from core.support.tables import SupportTicket
from tests.support.accounts import registered
from tests.support.outbox import told

__all__ = ["LISTING_STEP", "actions", "opened", "people", "run", "snapshot", "ticket", "told",
           "with_admins"]

LISTING_STEP = {"flow": "listing", "where": "a new listing", "step": "details",
                "question": "Quantity", "object_kind": "listing", "object_id": 42}


async def people(app: Container) -> tuple[Account, Account, Account]:
    """Ann asks, Root operates (named in settings), Eve is someone else."""
    root = await registered(app, "root", roles=("buyer",))
    ann = await registered(app, "ann", roles=("seller",))
    eve = await registered(app, "eve")
    return ann, root, eve


async def opened(app: Container, asker: Account, question: str = "My payout has not arrived",
                 context: dict[str, Any] | None = None, channel: str = "terminal") -> int:
    async with app.uow() as uow:
        ticket = await support.open_ticket(uow, asker.id, question, context, channel)
        await uow.commit()
        return ticket.id


async def run(app: Container, use_case: Any, *args: Any) -> Any:
    """One use case in its own committed transaction (rows come back as plain snapshots)."""
    async with app.uow() as uow:
        result = await use_case(uow, *args)
        kept = [snapshot(r) for r in result] if isinstance(result, list) else snapshot(result)
        await uow.commit()
        return kept


def snapshot(row: Any) -> Any:
    """A row's columns as attributes, readable after its transaction."""
    if not isinstance(row, SupportTicket):
        return row
    return SimpleNamespace(**{c.key: getattr(row, c.key) for c in SupportTicket.__table__.c})


async def ticket(app: Container, ticket_id: int) -> Any:
    async with app.uow() as uow:
        found = await uow.session.get(SupportTicket, ticket_id)
        assert found is not None
        return snapshot(found)


def actions(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(intent, arg, label) of a notice's buttons."""
    return [(b["intent"], b["arg"], b["label"]) for row in payload["buttons"] for b in row]


async def with_admins(app: Container, *labels: str) -> None:
    """Name administrators in the database, as AGORA_ADMINS does at start."""
    async with app.uow() as uow:
        await named.add(uow, labels)
        await uow.commit()
