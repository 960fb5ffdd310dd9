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


async def test_emails_share_a_session_with_the_relay_and_a_closed_one_is_opened_again():
    with smtp_server() as (inbox, port):
        settings = Settings(environment="test", smtp_host="127.0.0.1", smtp_port=port,
                            smtp_starttls=False)  # type: ignore[call-arg]
        sender = SmtpEmailSender(settings)
        await sender.send("ann@example.com", {"subject": "One", "text": "First."})
        for n in range(3):
            await sender.send("bob@example.com", {"subject": f"Two {n}", "text": "Second."})
        # Later ones went on the sessions the first ones opened: one per sending thread, and a
        # send may find the thread that sent the one before still busy finishing (a second).
        assert inbox.sessions <= 2
    with smtp_server(port) as (restarted, _):  # the relay restarted: the kept session is gone
        await sender.send("cy@example.com", {"subject": "Three", "text": "Third."})
    assert [r for _, r, _ in inbox.messages] == [["ann@example.com"], *[["bob@example.com"]] * 3]
    assert [r for _, r, _ in restarted.messages] == [["cy@example.com"]]
    assert restarted.sessions == 1
