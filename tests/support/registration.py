"""Registering through the chat engine, as a person would, for tests that start after sign-up."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bots.email import LoggingEmailSender
from config.container import Container
from core.accounts.events import VerificationCodeIssued
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat


async def last_code(app: Container | MemoryChat, mailbox: LoggingEmailSender | None) -> str:
    """Deliver the outbox, then read the 6-digit code of the newest email; in a chat in memory
    (no outbox, no mailbox), the code of the newest code issued."""
    if isinstance(app, MemoryChat):
        return next(e.code for e in reversed(app.turns.published)
                    if isinstance(e, VerificationCodeIssued))
    assert mailbox is not None
    await app.dispatcher.run_once()
    match = re.search(r"\b(\d{6})\b", mailbox.sent[-1][1]["text"])
    assert match, mailbox.sent
    return match.group(1)


async def register_until_code(user: ChatUser, name: str = "Ann", company: str = "Baltic Pellets",
                              roles: Sequence[str] = ("Seller",),
                              interests: Sequence[str] = (), country: str = "Latvia",
                              town: str = "Riga") -> None:
    """Answer every registration question; stops where the email code is asked for."""
    await user.say("/start")
    for answer in (name, company, f"{name.split()[0].lower()}@example.com"):
        await user.say(answer)
    for role in roles:
        await user.tap(role)
    await user.tap("Done")
    await user.say(country)
    await user.say(town)
    for interest in interests:
        await user.tap(interest)
    await user.tap("Done" if interests else "Skip")
    assert "6-digit code" in user.texts()


async def finish_registration(user: ChatUser, mailbox: LoggingEmailSender | None = None) -> None:
    """Type the emailed code: the tour and the main menu follow (settings keep their defaults)."""
    await user.say(await last_code(user.app, mailbox))
    assert "You're all set" in user.texts()
