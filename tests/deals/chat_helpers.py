"""Shared set-up for deal conversations: a seller with a listing, a buyer, and what each was
told (their outbox rows), with the buttons of those notices pressable like any other."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from config.container import Container
from conversations.messages import Choice, Outbound, notification_reply
from core.storage.tables import OutboxMessage
from tests.catalog.helpers import make_account, publish
from tests.support.chat import ChatUser


async def trading_pair(app: Container, **listing: Any) -> tuple[ChatUser, ChatUser, int]:
    """Sam sells (a published listing), Bob buys; both chat on the terminal channel."""
    sam = await make_account(app, "sam")
    await make_account(app, "bob", roles=("buyer",), city="Tallinn", country="EE")
    listing_id = await publish(app, sam, **{"negotiable": "yes", "min_order": "20",
                                            "ncv": "17.2", "moisture": "8", **listing})
    return ChatUser(app, "sam"), ChatUser(app, "bob"), listing_id


async def told(app: Container, name: str) -> list[dict[str, Any]]:
    """The payloads of every notice written for the account behind chat name `name`."""
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.address == name).order_by(OutboxMessage.id))).scalars().all()
        return [row.payload for row in rows]


async def last_notice(app: Container, user: ChatUser, containing: str = "") -> str:
    """The text of the newest notice for `user` (containing `containing`), whose buttons become
    the user's latest replies so `user.tap` presses them."""
    for payload in reversed(await told(app, user.name)):
        if containing in str(payload.get("text")):
            reply = notification_reply(payload)
            user.last = [reply]
            return reply.text
    raise AssertionError(f"no notice with {containing!r} for {user.name}: "
                         f"{[p.get('text') for p in await told(app, user.name)]}")


async def press(user: ChatUser, label: str) -> list[Outbound]:
    return await user.send(Choice(user.button(label).data))
