"""Where each chat's conversation is kept, and which channel updates were already handled."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.storage.tables import Conversation, ProcessedUpdate
from core.storage.uow import UnitOfWork

ChatState = Conversation  # one row per (channel, user, chat): flow, state, history, data


async def first_time(uow: UnitOfWork, source: str, external_id: str) -> bool:
    """Record a channel's event id; False when it was handled before (in this or another
    worker: the unique key decides)."""
    if await uow.session.get(ProcessedUpdate, (source, external_id)):
        return False
    uow.add(ProcessedUpdate(source=source, external_id=external_id, created_at=uow.clock.now()))
    try:
        async with uow.session.begin_nested():
            await uow.session.flush()
    except IntegrityError:
        return False
    return True


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
