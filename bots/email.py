"""Email delivery: printed to the log in development, SMTP in production."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from email.message import EmailMessage
from typing import Any

from config.settings import Settings

log = logging.getLogger("agora.email")


class LoggingEmailSender:
    """Development: the email goes to the log (codes included), nothing leaves the machine."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def send(self, address: str, payload: dict[str, Any]) -> None:
        self.sent.append((address, payload))
        log.warning("email to %s — %s: %s", address, payload.get("subject"), payload.get("text"))


class SmtpEmailSender:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def send(self, address: str, payload: dict[str, Any]) -> None:
        message = EmailMessage()
        message["From"] = self._settings.smtp_sender
        message["To"] = address
        message["Subject"] = payload.get("subject", "Agora")
        message.set_content(payload.get("text", ""))
        await asyncio.to_thread(self._send_blocking, message)

    def _send_blocking(self, message: EmailMessage) -> None:
        s = self._settings
        with smtplib.SMTP(s.smtp_host or "localhost", s.smtp_port, timeout=20) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password or "")
            smtp.send_message(message)
