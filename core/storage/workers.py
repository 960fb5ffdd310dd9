"""Which worker process this is, and whether another worker is still alive.

Each process names its PostgreSQL connections `agora/<worker id>` (application_name), so any
worker can ask the server whether another one still has a connection: a process killed with
`kill -9` loses its sockets at once, and PostgreSQL ends its sessions as soon as it notices.
On SQLite there is one process, so the question never arises."""

from __future__ import annotations

import os
import secrets
import socket

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, column, func, select, table, text

from core.storage.uow import UnitOfWork, dialect_name

_ids: dict[int, str] = {}


def worker_id() -> str:
    """This process's id: host, pid and a random tail (pids are reused after a restart)."""
    pid = os.getpid()  # per pid, so a forked child never inherits its parent's id
    if pid not in _ids:
        _ids[pid] = f"{socket.gethostname()[:24]}-{pid}-{secrets.token_hex(3)}"
    return _ids[pid]


def claim_name(tail: str) -> str:
    """A claim held by this process (`<worker id>#<tail>`), so another worker can tell when it
    died (`held_by_a_dead_worker`)."""
    return f"{worker_id()}#{tail}"


def application_name(worker: str | None = None) -> str:
    """The application_name every PostgreSQL connection of a worker carries (≤ 63 bytes)."""
    return f"agora/{worker_id() if worker is None else worker}"[:63]


async def alive(uow: UnitOfWork, worker: str) -> bool:
    """Whether `worker` still has a connection to the database (always true on SQLite)."""
    if worker == worker_id() or dialect_name(uow.session) != "postgresql":
        return True
    found = await uow.session.execute(
        text("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = :name)"),
        {"name": application_name(worker)})
    return bool(found.scalar())


_activity = table("pg_stat_activity", column("application_name"))
_PREFIX = len(application_name("")) + 1  # SUBSTR is 1-based


def held_by_a_dead_worker(claimed_by: SQLColumnExpression[str | None]) -> ColumnElement[bool]:
    """PostgreSQL: a claim made by `claim_name` whose worker has no connection any more."""
    connected = select(func.substr(_activity.c.application_name, _PREFIX)).where(
        _activity.c.application_name.like(application_name("%")))
    return and_(claimed_by.like("%#%"), func.split_part(claimed_by, "#", 1).not_in(connected))
