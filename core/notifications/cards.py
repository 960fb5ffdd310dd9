"""A notice about an object is its card: when a newer card of the same object (an offer, a
deal, a booking…; `core.actions.abouts`) has been delivered into a chat, the older cards there
lose their buttons, which are no longer the object's next steps. The channel edits the message
it sent (Slack `chat.update`, Telegram `editMessageReplyMarkup`); its words stay, as a record.

Each card is retired once, whatever the number of workers: the row's `sent_ref` is cleared by a
conditional update before the channel is asked to edit, and a chat's rows are delivered in
order (core.notifications.claiming), so the newest card is the one left with buttons. A
channel that retires a card itself `release`s it first, so nothing is retired twice; one that
shows an answer in a card's place says so (`reshown`), so the card is retired as it is shown
now, not reverted to the notice's words.

An object that changes without a new card in a chat (the other party acted, a timer moved it,
the person acted from another message) has its latest card there rewritten to what it is now:
a row that `rewrites` the object is delivered as an edit of that card, its words and buttons
built at delivery by the object kind's `CardBuilder`, so a late or repeated rewrite still shows
the current state. A card showing an answer in its place (`reshown`) is left to that answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeGuard

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.notifications.tables import OutboxMessage

log = logging.getLogger(__name__)
LOOKBACK = 50  # a chat's latest cards still showing buttons that are looked at


class RetryLater(Exception):
    """The channel asked to wait `seconds` before the next send to this chat (HTTP 429 with
    retry_after): nothing was delivered; the chat pauses and the row is retried, not counted
    as a failed attempt."""

    def __init__(self, seconds: float, message: str = "") -> None:
        super().__init__(message or f"retry after {seconds:g} s")
        self.seconds = max(float(seconds), 0.0)


class Editor(Protocol):
    """A channel that can take the buttons off a message it sent."""

    async def retire(self, address: str, ref: str, payload: dict[str, Any]) -> None: ...


class Rewriter(Protocol):
    """A channel that can rewrite a card it sent: new words and buttons in its place."""

    async def rewrite(self, address: str, ref: str, was: dict[str, Any],
                      now: dict[str, Any]) -> None: ...


def can_retire(sender: object) -> TypeGuard[Editor]:
    """Whether a channel's sender can take buttons off the cards it sent."""
    return hasattr(sender, "retire")


def can_rewrite(sender: object) -> TypeGuard[Rewriter]:
    """Whether a channel's sender can rewrite the cards it sent."""
    return hasattr(sender, "rewrite")


# The card of an object as it is now, for one reader: (object's id, account) → a payload
# ({"text", "buttons"}), or None when the object is gone or the reader is not a party.
CardBuilder = Callable[[str, int], Awaitable["dict[str, Any] | None"]]


def about(payload: dict[str, Any]) -> set[str]:
    """The objects a notice's payload says it is a card of ("deal:12", "talk:3:5")."""
    found = payload.get("about")
    return {str(key) for key in found} if isinstance(found, list) else set()


async def retire_older(sessions: async_sessionmaker[AsyncSession], editor: Editor,
                       row_id: int, channel: str, address: str, keys: set[str]) -> int:
    """Take the buttons off the chat's earlier cards of the objects `keys` name; returns how
    many were retired."""
    o = OutboxMessage
    async with sessions() as session:
        older = (await session.execute(
            select(o.id, o.sent_ref, o.payload)
            .where(o.channel == channel, o.address == address, o.sent_ref.is_not(None),
                   o.id < row_id)
            .order_by(o.id.desc()).limit(LOOKBACK))).all()
    retired = 0
    for card_id, ref, payload in older:
        if not keys & about(payload):
            continue
        async with sessions() as session, session.begin():
            taken = await session.execute(update(o).where(o.id == card_id, o.sent_ref == ref)
                                          .values(sent_ref=None))
        if taken.rowcount != 1:  # type: ignore[attr-defined]  # another worker retired it meanwhile
            continue
        try:
            await editor.retire(address, ref, payload)
            retired += 1
        except Exception as exc:  # deleted by the person, too old to edit: it stays as it is
            log.info("outbox: could not retire card %s in %s (%s)", card_id, channel, exc)
    return retired



async def release(sessions: async_sessionmaker[AsyncSession], channel: str, address: str,
                  ref: str) -> bool:
    """Take the card delivered at `ref` out of the outbox's care, because its channel takes its
    buttons away itself (or shows an answer without any there): the outbox will not retire it.
    True when it was still the outbox's to retire, False when it was retired already or is not
    a card."""
    o = OutboxMessage
    async with sessions() as session, session.begin():
        taken = await session.execute(update(o).where(
            o.channel == channel, o.address == address, o.sent_ref == ref).values(sent_ref=None))
    return bool(taken.rowcount)  # type: ignore[attr-defined]


async def reshown(sessions: async_sessionmaker[AsyncSession], channel: str, address: str,
                  ref: str, shown: dict[str, Any], keys: set[str]) -> bool:
    """The card delivered at `ref` now shows an answer in its place (`shown`, in its channel's
    terms, opaque here) whose steps are about `keys` too: when a newer card of one of them
    comes, the outbox retires what is shown, not the notice's old words. False when the card
    was retired already or is not one."""
    o = OutboxMessage
    async with sessions() as session, session.begin():
        found = (await session.execute(select(o.id, o.payload).where(
            o.channel == channel, o.address == address, o.sent_ref == ref))).first()
        if found is None:
            return False
        card_id, payload = found
        changed = {**payload, "shown": shown, "about": sorted(about(payload) | keys)}
        done = await session.execute(update(o).where(o.id == card_id, o.sent_ref == ref)
                                     .values(payload=changed))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def rewrites(payload: dict[str, Any]) -> str | None:
    """The object ("deal:12") a row asks to rewrite the latest card of, if it is such a row."""
    found = payload.get("rewrites")
    return found if isinstance(found, str) and ":" in found else None


async def rewrite_latest(sessions: async_sessionmaker[AsyncSession], editor: Rewriter,
                         row_id: int, channel: str, address: str, key: str,
                         build: CardBuilder, account_id: int) -> bool:
    """Rewrite the chat's latest card of `key` to the object's current state; False when there
    is none to rewrite: no card there still showing its buttons, a newer card than this row
    (it was written after the change), or one showing an answer in its place."""
    o = OutboxMessage
    async with sessions() as session:
        latest = (await session.execute(
            select(o.id, o.sent_ref, o.payload)
            .where(o.channel == channel, o.address == address, o.sent_ref.is_not(None))
            .order_by(o.id.desc()).limit(LOOKBACK))).all()
    card = next(((i, ref, payload) for i, ref, payload in latest if key in about(payload)), None)
    if card is None or card[0] > row_id or "shown" in card[2]:
        return False
    card_id, ref, was = card
    object_id = key.partition(":")[2]
    now = await build(object_id, account_id)
    if now is None:
        return False
    # Still a card of the same objects: a newer card of any of them retires it as shown now.
    now = {**now, "about": sorted(about(was) | about(now) | {key})}
    async with sessions() as session, session.begin():
        # Read again under a lock: retired, released, or answered in place since (`reshown`,
        # which writes under the same row) leave the card alone.
        current = (await session.execute(
            select(o.payload).where(o.id == card_id, o.sent_ref == ref)
            .with_for_update())).scalar_one_or_none()
        if current is None or "shown" in current:
            return False
        await session.execute(update(o).where(o.id == card_id).values(payload=now))
    try:
        await editor.rewrite(address, ref, was, now)
    except RetryLater:  # the chat's pace: the row waits and is tried again, drawn anew
        raise
    except Exception as exc:  # deleted by the person, too old to edit: it stays as it was
        log.info("outbox: could not rewrite card %s in %s (%s)", card_id, channel, exc)
        return False
    return True
