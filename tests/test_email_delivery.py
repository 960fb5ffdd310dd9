"""Email leaves by SMTP when a host is configured (a local SMTP server stands in)."""

from __future__ import annotations

from bots.email import SmtpEmailSender
from config.settings import Settings
from tests.support.smtp import smtp_server


async def test_a_verification_email_is_sent_by_smtp():
    with smtp_server() as (inbox, port):
        settings = Settings(environment="test", smtp_host="127.0.0.1", smtp_port=port,
                            smtp_starttls=False)  # type: ignore[call-arg]
        await SmtpEmailSender(settings).send(
            "ann@example.com", {"subject": "Your code", "text": "Your code is 123456."})
    (sender, recipients, content) = inbox.messages[0]
    assert sender == "no-reply@agora.local"
    assert recipients == ["ann@example.com"]
    assert b"Subject: Your code" in content
    assert [b.strip() for b in inbox.bodies("ann@example.com")] == ["Your code is 123456."]
