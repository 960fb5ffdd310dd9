"""Request bodies have a size limit per route, checked before anything reads them: the declared
Content-Length first, then the bytes as they stream in (413 either way); and a time limit for
the body to arrive (408): `read_seconds`, plus a second for every 16 KB that did arrive, so a
large upload over a slow link goes through while a client trickling a byte a second cannot
hold a connection, and the request waiting on it, for as long as it likes."""

from __future__ import annotations

import asyncio
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
    arriving `read_seconds` (plus its earned time) after the request began."""

    def __init__(self, app: ASGIApp, read_seconds: float = 10.0) -> None:
        self.app = app
        self.read_seconds = read_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > limit:
            return await _refuse(send, 413, b"Request body too large.")
        seen, complete = 0, False
        started = time.monotonic()

        async def counted() -> Message:
            nonlocal seen, complete
            if complete:  # the body is in: what follows (a disconnect) may take any time
                return await receive()
            try:
                left = started + self.read_seconds + seen / SLOWEST - time.monotonic()
                message = await asyncio.wait_for(receive(), left)
            except TimeoutError:
                raise TooSlow from None
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
            complete = message["type"] != "http.request" or not message.get("more_body")
            return message

        try:
            await self.app(scope, counted, send)
        except TooLarge:
            await _refuse(send, 413, b"Request body too large.")
        except TooSlow:
            await _refuse(send, 408, b"The request body took too long to arrive.")


async def _refuse(send: Send, status: int, text: bytes) -> None:
    headers = [(b"content-type", b"text/plain")]
    if status == 408:  # the rest of a trickled body is not waited for: the connection ends
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})
