"""How a card flow opens on the object its button or deep link names: the id from the
flow's arguments, or a polite word on where to find one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from conversations.flow import Ctx, Next
from conversations.messages import Reply
from core.ids import parse_id

# 1 to 5 stars, best first, as one-tap choices (ratings of deals and reviews of sessions).
STARS = [(str(n), "★" * n) for n in range(5, 0, -1)]


def on_id(key: str, missing: str) -> Callable[[Ctx], Awaitable[Next | None]]:
    """An `on_start` that keeps the id argument as `ctx.data[key]`, or ends with `missing`."""

    async def start(ctx: Ctx) -> Next | None:
        number = parse_id(str(ctx.data.get("args") or ""))
        if number is None:
            return Next.end(Reply(missing, kind="error"))
        ctx.data[key] = number
        return None

    return start
