"""Following an index in chat: who follows which, and the weekly notice each follower gets when
a week is published (once per follower and week: the notice's dedupe key)."""

from __future__ import annotations

from sqlalchemy import delete, select

from core.actions import Action
from core.i18n import _
from core.indices.definitions import IndexDef
from core.indices.tables import IndexFollower
from core.market.index_rules import week_label
from core.market.index_view import IndexView
from core.market.index_words import weekly_notice
from core.market.intents import IndexIntent
from core.notifications import outbox
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert


async def follows(uow: UnitOfWork, account_id: int, index: IndexDef) -> bool:
    return (await uow.session.execute(select(IndexFollower.account_id).where(
        IndexFollower.account_id == account_id, IndexFollower.index_code == index.code))
        ).first() is not None


async def follow(uow: UnitOfWork, account_id: int, index: IndexDef) -> None:
    """Follow the index (following it twice is following it)."""
    await uow.session.execute(dialect_insert(uow, IndexFollower).values(
        account_id=account_id, index_code=index.code, created_at=uow.clock.now())
        .on_conflict_do_nothing())


async def unfollow(uow: UnitOfWork, account_id: int, index: IndexDef) -> None:
    await uow.session.execute(delete(IndexFollower).where(
        IndexFollower.account_id == account_id, IndexFollower.index_code == index.code))


async def tell_followers(uow: UnitOfWork, view: IndexView) -> int:
    """The latest published week to each follower, in their own language; returns how many."""
    latest = view.latest
    assert latest is not None
    code = view.index.code
    followers = set((await uow.session.execute(select(IndexFollower.account_id).where(
        IndexFollower.index_code == code))).scalars())
    await outbox.recipients(uow, followers)
    told = 0
    for account_id in sorted(followers):
        async with outbox.addressed_to(uow, account_id):
            text = weekly_notice(view)
            buttons = [[Action(IndexIntent.VIEW_INDEX, _("📈 Open the index"),
                               str(view.index.number)),
                        Action(IndexIntent.UNFOLLOW_INDEX, _("🔕 Unfollow"),
                               str(view.index.number))]]
        if await outbox.notify(uow, account_id, text, buttons=buttons,
                               dedupe_key=f"index:{code}:{week_label(latest.week)}:{account_id}"):
            told += 1
    return told
