"""Request bodies have a size limit per route, checked before anything reads them: the declared
Content-Length first, then the bytes as they stream in (413 either way); and a time limit for
the body to arrive (408): `read_seconds`, plus a second for every 16 KB that did arrive, so a
large upload over a slow link goes through while a client trickling a byte a second cannot
hold a connection, and the request waiting on it, for as long as it likes."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from core.catalog import media

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KB = 1024
# Longest prefix wins. Slack interactions carry whole modal states; Telegram updates are small.
# The Mini App's listing form sends up to this many photos from the phone with its fields.
PHOTOS_AT_ONCE = 4
# An upload takes the file size every chat upload is allowed, plus room for the form around it.
LIMITS = {"/pay/": 16 * KB, "/slack/events": 512 * KB, "/telegram/webhook": 256 * KB,
          "/stripe/webhook": 256 * KB, "/admin/learning/pdf": media.MAX_BYTES + 64 * KB,
          "/app/part/sell": PHOTOS_AT_ONCE * media.MAX_BYTES + 64 * KB}
DEFAULT_LIMIT = 64 * KB
SLOWEST = 16 * KB  # bytes a second: a poor mobile link; each byte earns 1/SLOWEST s more


class TooLarge(Exception):
    pass


class TooSlow(Exception):
    pass


def limit_for(path: str) -> int:
    found = [prefix for prefix in LIMITS if path.startswith(prefix)]
    return LIMITS[max(found, key=len)] if found else DEFAULT_LIMIT


class BodyLimit:
    """ASGI middleware answering 413 to a body over its route's limit, and 408 to one still
    arriving `read_seconds` (plus its earned time) after the request began. An answer given
    before the whole body came (a route that refuses at once, a page not found, 413 on the
    declared length) closes the connection: a body over its limit at once, nothing more of it
    read; one within its limit once the rest came in the same time (read and dropped, so the
    client reads the answer), else at that time — the server would otherwise read on, however
    slowly or however much, to keep the connection."""

    def __init__(self, app: ASGIApp, read_seconds: float = 10.0) -> None:
        self.app = app
        self.read_seconds = read_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        body = _Body(receive, limit_for(scope.get("path", "")), self.read_seconds,
                     dict(scope.get("headers") or []))
        if body.declared_too_large:
            return await body.answer_early(send, _refusal(413, b"Request body too large."),
                                           read_rest=False)
        held: list[Message] = []

        async def answered(message: Message) -> None:
            if not held and (body.complete or message["type"] != "http.response.start"):
                return await send(message)
            held.append(message)  # answered before the body came: sent once it has
            if message["type"] == "http.response.body" and not message.get("more_body"):
                await body.answer_early(send, held)

        try:
            await self.app(scope, body.receive, answered)
        except TooLarge:
            await body.answer_early(send, _refusal(413, b"Request body too large."),
                                    read_rest=False)
        except TooSlow:
            await body.answer_early(send, _refusal(408, b"The request body took too long to "
                                                       b"arrive."))


class _Body:
    """A request's body as it arrives: counted against its limit and its time."""

    def __init__(self, receive: Receive, limit: int, read_seconds: float,
                 headers: dict[bytes, bytes]) -> None:
        self._receive, self.limit, self.read_seconds = receive, limit, read_seconds
        declared = headers.get(b"content-length", b"0")
        self.declared_too_large = not declared.isdigit() or int(declared) > limit
        # A request without a body (a GET) has nothing to wait for.
        self.complete = declared == b"0" and b"transfer-encoding" not in headers
        self.seen = 0
        self.started = time.monotonic()

    async def receive(self) -> Message:
        """The next part, for the application: TooSlow past its time, TooLarge past its limit."""
        if self.complete:  # the body is in: what follows (a disconnect) may take any time
            return await self._receive()
        message = await self._next()
        if self.seen > self.limit:
            raise TooLarge
        return message

    async def _next(self) -> Message:
        try:
            left = self.started + self.read_seconds + self.seen / SLOWEST - time.monotonic()
            message = await asyncio.wait_for(self._receive(), left)
        except TimeoutError:
            raise TooSlow from None
        self.seen += len(message.get("body", b""))
        self.complete = message["type"] != "http.request" or not message.get("more_body")
        return message

    async def answer_early(self, send: Send, messages: list[Message],
                           read_rest: bool = True) -> None:
        """Send an answer given before the body was read: once the rest of it came within its
        time and limit (dropped), else with the connection closed."""
        with contextlib.suppress(TooSlow):
            while read_rest and not self.complete and self.seen <= self.limit:
                await self._next()
        for message in messages:
            if message["type"] == "http.response.start" and not self.complete:
                message = {**message, "headers": [*_without_connection(message), CLOSE]}
            await send(message)


CLOSE = (b"connection", b"close")


def _without_connection(message: Message) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in message.get("headers") or [] if k.lower() != b"connection"]


def _refusal(status: int, text: bytes) -> list[Message]:
    return [{"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"text/plain")]},
            {"type": "http.response.body", "body": text}]
