"""A local SMTP server (aiosmtpd) that keeps what it receives, for tests that read emails."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.servers import free_port


class Inbox:
    """aiosmtpd's handler: every message as (sender, recipients, raw content)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.sessions = 0  # sessions a client opened (its EHLOs)

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def bodies(self, address: str) -> list[str]:
        """The text bodies of the emails to `address`, decoded."""
        found = []
        for _, recipients, content in list(self.messages):
            if address in recipients:
                message = message_from_bytes(content, policy=policy.default)
                found.append(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        return found

    async def code_for(self, address: str, timeout: float = 30.0) -> str:  # noqa: ASYNC109 - a deadline
        """The 6-digit code of the first email to `address`, waiting for it to arrive."""
        for _ in range(int(timeout / 0.05)):
            for body in self.bodies(address):
                if match := re.search(r"\b(\d{6})\b", body):
                    return match.group(1)
            await asyncio.sleep(0.05)
        raise AssertionError(f"no code emailed to {address} within {timeout} s")


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 (its own thread; on `port`, else a free one); yields the
    inbox and the port."""
    inbox, port = Inbox(), port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
