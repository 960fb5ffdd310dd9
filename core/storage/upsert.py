"""INSERT … ON CONFLICT in the database's own dialect: PostgreSQL and SQLite each have their own
Insert construct (with the same `on_conflict_do_nothing` / `on_conflict_do_update`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite

from core.storage.uow import UnitOfWork, dialect_name

T = TypeVar("T")

Insert = Callable[[Any], Any]  # a table or mapped class -> that dialect's Insert construct
INSERTS: dict[str, Insert] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(uow: UnitOfWork, table: Any) -> Any:
    """An INSERT into `table` (a Table or a mapped class) in the dialect of the uow's database."""
    return INSERTS[dialect_name(uow.session)](table)


def per_dialect(build: Callable[[Insert], T]) -> dict[str, T]:
    """A statement built once for each dialect, from that dialect's `insert`; run it as
    `statements[conn.dialect.name]` (on hot paths, where building costs more than running)."""
    return {name: build(insert) for name, insert in INSERTS.items()}
