"""Where each chat's conversation is kept, and which channel updates were already handled."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, tuple_, update

from core.storage import workers
from core.storage.tables import Conversation, ProcessedUpdate, table_of
from core.storage.uow import UnitOfWork, UowFactory, dialect_name
from core.storage.upsert import INSERTS, Insert, per_dialect

# The first key of PostgreSQL's two-key advisory locks taken per user ("AG"); the two-key and
# one-key spaces never overlap, so this cannot meet the scheduler leader's lock.
USER_LOCK_SPACE = 0x4147


# Statements on every update's path are built once, with parameters: building a statement
# costs more CPU than PostgreSQL spends running it.
_LOCK = select(func.pg_advisory_xact_lock(USER_LOCK_SPACE, func.hashtext(bindparam("who"))))


def _record(insert: Insert, locked: bool = False) -> Any:
    """INSERT the update's id unless it is there; `locked` (PostgreSQL): the same statement
    takes the user's advisory lock first, saving a round trip on every update."""
    table = table_of(ProcessedUpdate)
    row = {"source": bindparam("source"), "external_id": bindparam("external_id"),
           "created_at": bindparam("created_at", type_=table.c.created_at.type),
           "owed_by": bindparam("owed_by")}
    stmt = insert(table)
    if locked:
        lock = _LOCK.cte("user_lock")
        stmt = stmt.from_select(list(row), select(*(v.label(k) for k, v in row.items()))
                                .select_from(lock))
    else:
        stmt = stmt.values(row)
    return (stmt.on_conflict_do_nothing(index_elements=[table.c.source, table.c.external_id])
            .returning(table.c.source))


_RECORD = per_dialect(_record)
_LOCK_AND_RECORD = _record(INSERTS["postgresql"], locked=True)
_ROW = table_of(Conversation)
_LOAD = select(_ROW).where(_ROW.c.channel == bindparam("channel"),
                           _ROW.c.user_key == bindparam("user_key"),
                           _ROW.c.chat_id == bindparam("chat_id"))
_LOAD_LOCKED = _LOAD.with_for_update()
_CREATE = per_dialect(lambda insert: insert(_ROW).on_conflict_do_nothing(
    index_elements=[_ROW.c.channel, _ROW.c.user_key, _ROW.c.chat_id]))
_SAVE = (update(_ROW).where(_ROW.c.id == bindparam("row_id"))
         .values({name: bindparam(name) for name in (
             "flow", "state", "data", "history", "token", "version", "updated_at")}))


@dataclass
class ChatState:
    """Where one user is in one chat (a row of `conversations`): the flow, its state and data,
    and a history for back. Held in memory while a step runs and written once, by `save`: the
    step's own statements never flush it in between (an ORM object would be written at every
    savepoint and query)."""

    id: int
    channel: str
    user_key: str
    chat_id: str
    flow: str | None
    state: str | None
    data: dict[str, Any]
    history: list[Any]
    token: str
    version: int
    updated_at: datetime


def _postgres(uow: UnitOfWork) -> bool:
    return dialect_name(uow.session) == "postgresql"


async def lock_user(uow: UnitOfWork, channel: str, user_key: str) -> None:
    """Hold this user's lock until the transaction ends, so two updates of one user that reach
    two workers are applied one at a time (PostgreSQL advisory lock; on SQLite the write lock
    taken at BEGIN already serialises every transaction of the one process)."""
    if _postgres(uow):
        await (await uow.core()).execute(_LOCK, {"who": f"{channel}:{user_key}"})


async def first_time(uow: UnitOfWork, source: str, external_id: str) -> bool:
    """Record a channel's event id; False when it was handled before (in this or another
    worker: the unique key decides). One statement: INSERT … ON CONFLICT DO NOTHING."""
    conn = await uow.core()
    return (await conn.execute(_RECORD[conn.dialect.name], _update_row(uow, source, external_id))
            ).first() is not None


async def begin_update(uow: UnitOfWork, channel: str, user_key: str,
                       event_id: str | None) -> bool:
    """The start of every update's transaction: take the user's lock (`lock_user`) and record
    the update's id (`first_time`), in one statement on PostgreSQL. False: handled before.
    The conversation is read by a later statement, so it sees what the lock's previous holder
    committed."""
    if not event_id:
        await lock_user(uow, channel, user_key)
        return True
    if not _postgres(uow):
        return await first_time(uow, channel, event_id)
    params = {**_update_row(uow, channel, event_id), "who": f"{channel}:{user_key}"}
    return (await (await uow.core()).execute(_LOCK_AND_RECORD, params)).first() is not None


def _update_row(uow: UnitOfWork, source: str, external_id: str) -> dict[str, Any]:
    return {"source": source, "external_id": external_id, "created_at": uow.clock.now(),
            "owed_by": workers.worker_id()}


async def load(uow: UnitOfWork, channel: str, user_key: str, chat_id: str,
               lock: bool = True) -> ChatState:
    """This chat's conversation, locked for the transaction unless `lock` is off; created on
    the first message (two first messages racing: the loser reads the winner's row)."""
    conn = await uow.core()
    params = {"channel": channel, "user_key": user_key, "chat_id": chat_id}
    for _ in range(2):
        row = (await conn.execute(_LOAD_LOCKED if lock else _LOAD, params)).first()
        if row is not None:
            return ChatState(**row._mapping)
        await conn.execute(_CREATE[conn.dialect.name], {
            **params, "data": {}, "history": [], "token": "", "version": 0,
            "updated_at": uow.clock.now()})
    raise RuntimeError(f"could not create the conversation of {channel}:{user_key}")


async def save(uow: UnitOfWork, conv: ChatState) -> None:
    """Write the conversation back: one UPDATE, at the end of the step."""
    await (await uow.core()).execute(_SAVE, {
        "row_id": conv.id, "flow": conv.flow, "state": conv.state, "data": conv.data,
        "history": conv.history, "token": conv.token, "version": conv.version,
        "updated_at": conv.updated_at})


class AnsweredMarks:
    """Marks updates answered ("nobody owes their answer any more"), several in one UPDATE.

    Group commit: a caller waits until a write that includes its update has committed, and
    updates marked while one write runs go together in the next. Idle, a mark is written at
    once; under load one statement serves many updates (a channel acknowledges an update only
    after its mark, so the mark must be durable first)."""

    def __init__(self, uow_factory: UowFactory) -> None:
        self._uow_factory = uow_factory
        self._waiting: list[tuple[tuple[str, str], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def mark(self, source: str, external_id: str) -> None:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append(((source, external_id), done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        await done

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                async with self._uow_factory() as uow:
                    await uow.session.execute(
                        update(ProcessedUpdate)
                        .where(tuple_(ProcessedUpdate.source, ProcessedUpdate.external_id)
                               .in_([key for key, _ in batch]))
                        .values(owed_by=None).execution_options(synchronize_session=False))
                    await uow.commit()
            except Exception as exc:  # each waiting caller hears of it
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)


async def orphaned(uow: UnitOfWork, source: str, external_id: str) -> bool:
    """Whether an update handled before still owes its answer and the worker that owes it has
    died (the channel delivers an update again when it had no 2xx). True once: the debt passes
    to this worker, which answers again."""
    row = await uow.get(ProcessedUpdate, (source, external_id))
    if row is None or row.owed_by is None or await workers.alive(uow, row.owed_by):
        return False
    claimed = await uow.session.execute(
        update(ProcessedUpdate)
        .where(ProcessedUpdate.source == source, ProcessedUpdate.external_id == external_id,
               ProcessedUpdate.owed_by == row.owed_by)
        .values(owed_by=workers.worker_id())
        .execution_options(synchronize_session=False))
    return claimed.rowcount == 1  # type: ignore[attr-defined]
