"""Email leaves by SMTP when a host is configured (a local SMTP server stands in)."""

from __future__ import annotations

from aiosmtpd.controller import Controller

from bots.email import SmtpEmailSender
from config.settings import Settings
from tests.support.servers import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls this hook by name
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


async def test_a_verification_email_is_sent_by_smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = Settings(environment="test", smtp_host="127.0.0.1", smtp_port=port,
                            smtp_starttls=False)  # type: ignore[call-arg]
        await SmtpEmailSender(settings).send(
            "ann@example.com", {"subject": "Your code", "text": "Your code is 123456."})
    finally:
        controller.stop()
    (sender, recipients, content) = inbox.messages[0]
    assert sender == "no-reply@agora.local"
    assert recipients == ["ann@example.com"]
    assert "Subject: Your code" in content
    assert "Your code is 123456." in content
