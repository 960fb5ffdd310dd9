"""Email delivery: printed to the log in development, SMTP in production."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from typing import Any

from config.settings import Settings
from core.notifications.dispatcher import Attachment

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


class SmtpEmailSender:
    def __init__(self, settings: Settings, body: BodyText = plain_text) -> None:
        self._settings = settings
        self.body = body

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None:
        await asyncio.to_thread(self._send_blocking, self.compose(address, payload, files))

    def compose(self, address: str, payload: dict[str, Any],
                files: Sequence[Attachment] = ()) -> EmailMessage:
        """The text body (links included), each file a MIME attachment."""
        message = EmailMessage()
        message["From"] = self._settings.smtp_sender
        message["To"] = address
        message["Subject"] = payload.get("subject", "Agora")
        message.set_content(self.body(payload))
        for file in files:
            maintype, _, subtype = file.mime_type.partition("/")
            if not (maintype and subtype):
                maintype, subtype = "application", "octet-stream"
            message.add_attachment(file.content, maintype=maintype, subtype=subtype,
                                   filename=file.file_name)
        return message

    def _send_blocking(self, message: EmailMessage) -> None:
        s = self._settings
        with smtplib.SMTP(s.smtp_host or "localhost", s.smtp_port, timeout=20) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password or "")
            smtp.send_message(message)
