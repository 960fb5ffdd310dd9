"""The embedded default for email: printed to the log, nothing leaves the machine (SMTP, for
production, is a channel adapter in bots/email.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from core.notifications.delivery import Attachment

log = logging.getLogger("agora.email")
# An outbox payload's email text; the composition root gives one that lists its actions as
# commands to type in chat.
BodyText = Callable[[dict[str, Any]], str]


def plain_text(payload: dict[str, Any]) -> str:
    return str(payload.get("text") or "")


class LoggingEmailSender:
    """Development: the email goes to the log (codes included), nothing leaves the machine."""

    def __init__(self, body: BodyText = plain_text) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.body = body

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None:
        self.sent.append((address, payload))
        attached = "".join(f" [📎 {file.file_name}]" for file in files)
        log.warning("email to %s — %s: %s%s", address, payload.get("subject"), self.body(payload),
                    attached)
