"""Every route refuses a NUL in its path or query string, once, here: PostgreSQL refuses NUL in
text, so `/boards/%00` would otherwise reach the database and fail there (a 500). No address or
parameter of ours ever holds one, so a 400 loses nothing."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from bots.http_limits import ASGIApp, Receive, Scope, Send


def holds_nul(scope: Scope) -> bool:
    """True when the decoded path or query string carries a NUL (raw or percent-encoded)."""
    path = scope.get("path", "")
    query = scope.get("query_string", b"")
    return "\x00" in path or b"\x00" in unquote_to_bytes(query)


class RefuseNul:
    """ASGI middleware answering 400 to a request whose path or query string holds a NUL."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not holds_nul(scope):
            return await self.app(scope, receive, send)
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"Bad request: NUL in the address."})
