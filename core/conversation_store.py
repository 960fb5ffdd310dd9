"""Where each chat's conversation is kept, and which channel updates were already handled."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from core.storage import workers
from core.storage.tables import Conversation, ProcessedUpdate
from core.storage.uow import UnitOfWork

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
    dialect = postgresql if uow.session.bind.dialect.name == "postgresql" else sqlite
    stmt = (dialect.insert(table)
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


async def answered(uow: UnitOfWork, source: str, external_id: str) -> None:
    """The update's answer was sent: nobody owes it any more."""
    await uow.session.execute(
        update(ProcessedUpdate)
        .where(ProcessedUpdate.source == source, ProcessedUpdate.external_id == external_id)
        .values(owed_by=None).execution_options(synchronize_session=False))


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
