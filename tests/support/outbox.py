"""What the outbox holds for a person: the one way the tests read the notices written for them.

`told(app, 42)` reads an account's notices, `told(app, "sam")` a chat address's (the terminal
user `sam`); each payload carries its row's channel under "channel". A phrase keeps only the
notices whose text contains it. `told(chat, …)` reads those a `MemoryChat`'s transactions
committed to its postbox (tests/support/postbox.py), the same way."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import select

from config.container import Container
from core.notifications.tables import OutboxMessage
from tests.support.postbox import MemoryPostbox


class _HasPostbox(Protocol):
    @property
    def postbox(self) -> MemoryPostbox: ...


Where = Container | _HasPostbox  # the app's database, or a MemoryChat


async def told(app: Where, who: int | str, containing: str = "") -> list[dict[str, Any]]:
    """The payloads written for an account id (or a chat address), oldest first. (Told apart
    by what they hold, not by naming the container: a test naming it would be read as one
    that opens a database, tests/support/layers.py.)"""
    postbox: MemoryPostbox | None = getattr(app, "postbox", None)
    if postbox is not None:
        return [{**n.payload, "channel": n.channel} for n in postbox.notices
                if (n.address if isinstance(who, str) else n.account_id) == who
                and containing in str(n.payload.get("text") or "")]
    return await _in_outbox(app, who, containing)


async def _in_outbox(app: Container, who: int | str, containing: str) -> list[dict[str, Any]]:
    column = OutboxMessage.address if isinstance(who, str) else OutboxMessage.account_id
    async with app.uow() as uow:
        rows = (await uow.session.execute(
            select(OutboxMessage).where(column == who).order_by(OutboxMessage.id))).scalars()
        return [{**r.payload, "channel": r.channel} for r in rows
                if containing in str(r.payload.get("text") or "")]


async def told_texts(app: Where, who: int | str, containing: str = "") -> list[str]:
    """The texts of those notices, oldest first."""
    return [str(p.get("text") or "") for p in await told(app, who, containing)]


async def told_buttons(app: Where, who: int | str, containing: str) -> list[tuple[str, str]]:
    """(intent, arg) of the buttons under the notices containing a phrase."""
    return [(b["intent"], b["arg"]) for p in await told(app, who, containing)
            for row in p.get("buttons") or [] for b in row]
