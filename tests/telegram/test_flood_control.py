"""Telegram's flood control (429 with retry_after) pauses the chat; the notification is sent once,
after the wait, through the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.notifications.tables import OutboxMessage
from tests.telegram.test_startup_and_outbox import a_telegram_account, queue_notification


async def test_a_429_with_retry_after_holds_the_row_until_then_and_it_is_sent_once(bot, fake, clock):
    container, _ = bot
    account_id = await a_telegram_account(container, "5454")
    await container.dispatcher.run_once()  # the email code goes out first
    await queue_notification(container, account_id)
    fake.fail("sendMessage", code=429, description="Too Many Requests: retry after 7",
              retry_after=7)
    assert await container.dispatcher.run_once() == 0
    async with container.uow() as uow:
        row = (await uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.channel == "telegram"))).scalar_one()
        await uow.session.commit()
    # Not a failed attempt: waiting as asked, for as long as asked.
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.available_at == clock.now() + timedelta(seconds=7)
    clock.advance(seconds=6)
    assert await container.dispatcher.run_once() == 0
    clock.advance(seconds=1)
    fake.mark()
    assert await container.dispatcher.run_once() == 1
    sends = [c for c in fake.sent() if c.params.get("chat_id") == "5454"]
    assert len(sends) == 2 and isinstance(sends[0].result, Exception)  # refused, then sent once
    assert "was accepted" in sends[1].params["text"]
