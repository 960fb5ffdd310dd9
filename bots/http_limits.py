"""Request bodies have a size limit per route, checked before anything reads them: the declared
Content-Length first, then the bytes as they stream in (413 either way)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KB = 1024
# Longest prefix wins. Slack interactions carry whole modal states; Telegram updates are small.
LIMITS = {"/pay/": 16 * KB, "/slack/events": 512 * KB, "/telegram/webhook": 256 * KB,
          "/stripe/webhook": 256 * KB}
DEFAULT_LIMIT = 64 * KB


class TooLarge(Exception):
    pass


def limit_for(path: str) -> int:
    found = [prefix for prefix in LIMITS if path.startswith(prefix)]
    return LIMITS[max(found, key=len)] if found else DEFAULT_LIMIT


class BodyLimit:
    """ASGI middleware answering 413 to a body over its route's limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > limit:
            return await _too_large(send)
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except TooLarge:
            await _too_large(send)


async def _too_large(send: Send) -> None:
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"Request body too large."})
