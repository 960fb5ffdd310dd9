"""How the money flows answer a payment the payments service refuses to show: one wording for
the ways to pay an escrow (a bank transfer, crypto) asked from a button or a command."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from conversations.flow import Next
from conversations.messages import Reply
from core.errors import Conflict, DomainError, NotFound
from core.i18n import _

T = TypeVar("T")


async def or_refusal(asked: Awaitable[T]) -> tuple[T | None, Next | None]:
    """What the payments service gave, or the end of the flow saying why it refused: no such
    payment, a payment that moved on (said plainly), or a rule (said as an error)."""
    try:
        return await asked, None
    except NotFound:
        return None, Next.end(Reply(_("There is no such payment."), kind="error"))
    except Conflict as exc:
        return None, Next.end(Reply(str(exc)))
    except DomainError as exc:
        return None, Next.end(Reply(str(exc), kind="error"))
