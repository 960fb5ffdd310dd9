"""Domain errors: each carries a message fit to show the user, and what they may do next."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.actions import Action


class DomainError(Exception):
    """A rule was broken; `str(error)` is a polite sentence for the user."""

    def __init__(self, message: str = "", *, actions: tuple[Action, ...] = ()) -> None:
        super().__init__(message)
        self.actions = actions  # follow-ups offered with the message (e.g. "Open your profile")


class NotFound(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class Conflict(DomainError):
    """The thing changed under us (a stale button, a lost race)."""


class InvalidField(DomainError):
    """A value a person typed breaks a rule; `field` names it, so a form shows the error there."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class OutsideFirst(Exception):
    """Raised by a use case before it changed anything, when it needs work done outside any
    transaction first (reading a consultant's calendar over the network, which must not hold
    the database's locks meanwhile). The entry point rolls the transaction back, awaits `work`
    and runs the use case once more (core.storage.database.run_transaction)."""

    def __init__(self, work: Callable[[], Awaitable[object]]) -> None:
        super().__init__("work to do outside the transaction first")
        self.work = work
