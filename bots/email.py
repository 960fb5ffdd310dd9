"""Email by SMTP, for production (without SMTP settings the log sender in core is used)."""

from __future__ import annotations

import asyncio
import smtplib
import threading
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

from config.settings import Settings
from core.notifications.delivery import Attachment
from core.notifications.email_log import BodyText, LoggingEmailSender, plain_text

__all__ = ["LoggingEmailSender", "SmtpEmailSender", "email_senders"]

class SmtpEmailSender:
    def __init__(self, settings: Settings, body: BodyText = plain_text) -> None:
        self._settings = settings
        self.body = body
        self._kept = threading.local()  # each sending thread's open session with the relay

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
        # Each sending thread keeps its session with the relay: a message is then three
        # exchanges (MAIL, RCPT, DATA) instead of six, each of which waits for the interpreter
        # on a busy worker (verification codes were the slowest step to arrive). A session the
        # relay closed meanwhile is opened again, once.
        smtp = getattr(self._kept, "smtp", None)
        if smtp is not None:
            try:
                smtp.send_message(message)
                return
            except smtplib.SMTPServerDisconnected:  # closed while idle: nothing was sent
                self._kept.smtp = None
            except BaseException:  # the dispatcher tries again later, on a new session
                self._kept.smtp = None
                smtp.close()
                raise
        smtp = self._open()
        smtp.send_message(message)
        self._kept.smtp = smtp

    def _open(self) -> smtplib.SMTP:
        s = self._settings
        smtp = smtplib.SMTP(s.smtp_host or "localhost", s.smtp_port, timeout=20)
        try:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


def email_senders(settings: Settings) -> dict[str, Any]:
    """The email sender the settings ask for: SMTP when a host is set (else the default)."""
    return {"email": SmtpEmailSender(settings)} if settings.smtp_host else {}
