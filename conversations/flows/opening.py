"""How a card flow opens on the object its button or deep link names: the id from the
flow's arguments, or a polite word on where to find one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from conversations.fields import ChoiceField
from conversations.flow import Ctx, Next
from conversations.messages import Reply
from core.i18n import N_, _
from core.ids import parse_id

# 1 to 5 stars, best first, as one-tap choices (ratings of deals and reviews of sessions).
STARS = [(str(n), "★" * n) for n in range(5, 0, -1)]


def quote_field() -> ChoiceField:
    """Offered once a comment is written, one tap either way (Skip is no): may Agora's website
    quote it, with the author's first name and company initial only."""
    return ChoiceField("quote", N_("May Agora quote your comment on its website"),
                       choices=[("yes", N_("Yes, quote me")), ("no", N_("No"))], required=False,
                       hint=N_("Only your first name and your company's initial are shown with it."),
                       when=lambda values: bool(values.get("comment")))


def quote_allowed(values: dict[str, object]) -> bool:
    return values.get("quote") == "yes"


def on_id(key: str, missing: str) -> Callable[[Ctx], Awaitable[Next | None]]:
    """An `on_start` that keeps the id argument as `ctx.data[key]`, or ends with `missing` (marked
    with N_() where the flow is defined, shown in the reader's language)."""

    async def start(ctx: Ctx) -> Next | None:
        number = parse_id(str(ctx.data.get("args") or ""))
        if number is None:
            return Next.end(Reply(_(missing), kind="error"))
        ctx.data[key] = number
        return None

    return start
