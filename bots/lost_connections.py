"""A request whose pooled database connection turned out dead runs once more, on a fresh one.

Pooled connections are not pinged before use (core.storage.database): after the database
restarts, or an operator terminates its sessions, the first statement on each pooled
connection fails. The pool then drops every connection older than the failure, but the
requests already holding one fail too — a pay page, a webhook, the Mini App, the console.
As `retry_if_disconnected` does for a chat update and the outbox, the whole request runs again
when the failure came before any answer was sent: a connection lost before COMMIT rolled its
transaction back, and one lost during COMMIT left a state the second run finds (a payment
held, an event's idempotency key claimed) and answers from. What the request read of its
body (up to `REPLAYED_AT_MOST`) is given to the second run again."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sqlalchemy.exc import DBAPIError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)
# A body kept to run its request again: a form, a webhook's update. An upload (photos, a PDF)
# is not kept, and not run again: its files would be stored twice.
REPLAYED_AT_MOST = 256 * 1024


class RetryOnLostConnection:
    """ASGI middleware: one more run of a request that failed on a dead database connection
    before it answered anything."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        read: list[Message] = []
        kept = 0  # bytes of body kept for a second run; past REPLAYED_AT_MOST, none is made
        answered = False

        async def recording() -> Message:
            nonlocal kept
            message = await receive()
            kept += len(message.get("body", b""))
            if kept <= REPLAYED_AT_MOST:
                read.append(message)
            else:
                read.clear()
            return message

        async def sending(message: Message) -> None:
            nonlocal answered
            answered = True
            await send(message)

        try:
            return await self.app(scope, recording, sending)
        except DBAPIError as exc:
            if answered or not exc.connection_invalidated or kept > REPLAYED_AT_MOST:
                raise
            log.warning("database connection lost during %s %s (%s); running it again",
                        scope.get("method"), scope.get("path"), exc.orig)
        replay = list(read)

        async def replaying() -> Message:
            return replay.pop(0) if replay else await receive()

        await self.app(scope, replaying, send)
