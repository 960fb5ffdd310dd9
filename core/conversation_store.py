"""Where each chat's conversation is kept, and which channel updates were already handled."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from core.storage import workers
from core.storage.tables import Conversation, ProcessedUpdate
from core.storage.uow import UnitOfWork, UowFactory
from core.storage.upsert import dialect_insert

# The first key of PostgreSQL's two-key advisory locks taken per user ("AG"); the two-key and
# one-key spaces never overlap, so this cannot meet the scheduler leader's lock.
USER_LOCK_SPACE = 0x4147

ChatState = Conversation  # one row per (channel, user, chat): flow, state, history, data


async def lock_user(uow: UnitOfWork, channel: str, user_key: str) -> None:
    """Hold this user's lock until the transaction ends, so two updates of one user that reach
    two workers are applied one at a time (PostgreSQL advisory lock; on SQLite the write lock
    taken at BEGIN already serialises every transaction of the one process)."""
    if uow.session.bind.dialect.name != "postgresql":
        return
    await (await uow.core()).execute(select(func.pg_advisory_xact_lock(
        USER_LOCK_SPACE, func.hashtext(f"{channel}:{user_key}"))))


async def first_time(uow: UnitOfWork, source: str, external_id: str) -> bool:
    """Record a channel's event id; False when it was handled before (in this or another
    worker: the unique key decides). One statement: INSERT … ON CONFLICT DO NOTHING."""
    table = ProcessedUpdate.__table__
    stmt = (dialect_insert(uow, table)
            .values(source=source, external_id=external_id, created_at=uow.clock.now(),
                    owed_by=workers.worker_id())
            .on_conflict_do_nothing(index_elements=[table.c.source, table.c.external_id])
            .returning(table.c.source))
    return (await (await uow.core()).execute(stmt)).first() is not None


async def load(uow: UnitOfWork, channel: str, user_key: str, chat_id: str,
               lock: bool = True) -> ChatState:
    """This chat's conversation, locked for the transaction unless `lock` is off; created on
    the first message (two first messages racing: the loser reads the winner's row)."""
    stmt = select(Conversation).where(
        Conversation.channel == channel, Conversation.user_key == user_key,
        Conversation.chat_id == chat_id)
    if lock:
        stmt = stmt.with_for_update()
    for _ in range(3):
        conv = (await uow.session.execute(stmt)).scalar_one_or_none()
        if conv is not None:
            return conv
        conv = Conversation(channel=channel, user_key=user_key, chat_id=chat_id, data={},
                            history=[], token="", version=0, updated_at=uow.clock.now())
        try:
            async with uow.session.begin_nested():
                uow.add(conv)
                await uow.session.flush()
        except IntegrityError:
            continue
        return conv
    raise RuntimeError(f"could not create the conversation of {channel}:{user_key}")


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
    row = await uow.session.get(ProcessedUpdate, (source, external_id))
    if row is None or row.owed_by is None or await workers.alive(uow, row.owed_by):
        return False
    claimed = await uow.session.execute(
        update(ProcessedUpdate)
        .where(ProcessedUpdate.source == source, ProcessedUpdate.external_id == external_id,
               ProcessedUpdate.owed_by == row.owed_by)
        .values(owed_by=workers.worker_id())
        .execution_options(synchronize_session=False))
    return claimed.rowcount == 1
