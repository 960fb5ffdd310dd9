"""Operators named by channel identity ("terminal:root", "slack:T1:U1"), kept in the database.

`AGORA_ADMINS` adds its entries at start in every process that opens the database, and the
server (`agora serve` and its workers) makes the named list exactly the setting's, so a name
taken out of the setting loses the role at the next start. Every check reads the table, so an
`agora chat` or a worker started without the setting knows the same operators as the server.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, tuple_

from core.operators.rules import ADMIN, split_label
from core.operators.tables import OperatorIdentity
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert


async def add(uow: UnitOfWork, labels: Iterable[str], role: str = ADMIN) -> None:
    """Name these identities operators with `role` (each once; another process adding the
    same at the same moment is a no-op)."""
    now = uow.clock.now()
    rows = [{"channel": parts[0], "user_key": parts[1], "role": role, "added_at": now}
            for parts in filter(None, map(split_label, labels))]
    if rows:
        await uow.session.execute(
            dialect_insert(uow, OperatorIdentity).values(rows).on_conflict_do_nothing())


async def labels(uow: UnitOfWork, role: str = ADMIN) -> list[str]:
    """The identities named with `role`, in the order they were added."""
    rows = await uow.session.execute(
        select(OperatorIdentity.channel, OperatorIdentity.user_key)
        .where(OperatorIdentity.role == role)
        .order_by(OperatorIdentity.added_at, OperatorIdentity.channel, OperatorIdentity.user_key))
    return [f"{channel}:{user_key}" for channel, user_key in rows.all()]


async def name_exactly(uow: UnitOfWork, labels: Iterable[str], role: str = ADMIN) -> None:
    """Make the identities named with `role` exactly these: the ones left out lose the role."""
    wanted = list(filter(None, map(split_label, labels)))
    stale = delete(OperatorIdentity).where(OperatorIdentity.role == role)
    if wanted:
        stale = stale.where(tuple_(OperatorIdentity.channel, OperatorIdentity.user_key).not_in(wanted))
    await uow.session.execute(stale)
    await add(uow, labels, role)
