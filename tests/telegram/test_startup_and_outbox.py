"""Start-up that survives a failing command menu, and notifications delivered to Telegram chats."""

from __future__ import annotations

import logging

from sqlalchemy import select

from core.accounts.intents import AccountIntent
from core.accounts.service import ChannelIdentity, Registration, register
from core.actions import Action
from core.notifications.outbox import notify
from core.notifications.tables import OutboxMessage
from tests.telegram.conftest import keyboard


async def test_a_failing_command_menu_is_logged_and_the_bot_still_answers(start_bot, ann, fake,
                                                                          caplog):
    fake.fail("setMyCommands")
    with caplog.at_level(logging.WARNING, logger="bots.telegram.channel"):
        await start_bot()
    assert fake.sent("setMyCommands")
    assert "setMyCommands failed" in caplog.text
    await ann.say("/start", expect="Registration · 1/7")


async def a_telegram_account(container, user_id: str) -> int:
    async with container.uow() as uow:
        account = await register(uow, ChannelIdentity("telegram", user_id, user_id),
                                 Registration(display_name="Sam", email="sam@example.com",
                                              roles=["seller"]))
        await uow.commit()
        return account.id


async def queue_notification(container, account_id: int) -> None:
    async with container.uow() as uow:
        await notify(uow, account_id, "Your offer for 24 t of pellets was accepted <b>!</b>",
                     buttons=[[Action(AccountIntent.PROFILE, "Open my profile")]])
        await uow.commit()


async def test_a_notification_for_a_telegram_identity_is_delivered_to_its_chat(bot, fake):
    container, _ = bot
    account_id = await a_telegram_account(container, "5151")
    await queue_notification(container, account_id)
    fake.mark()
    assert await container.dispatcher.run_once() >= 1
    sent = await fake.wait_for("sendMessage", lambda p: "was accepted" in p["text"])
    assert sent.params["chat_id"] == "5151"
    assert "<b>!</b>" in sent.params["text"] and "parse_mode" not in sent.params
    assert keyboard(sent) == [[{"text": "Open my profile", "callback_data": "@do:profile:"}]]


async def test_a_notification_telegram_refuses_stays_queued_for_a_retry(bot, fake):
    container, _ = bot
    account_id = await a_telegram_account(container, "5252")
    await container.dispatcher.run_once()  # the email code goes out first
    await queue_notification(container, account_id)
    fake.fail("sendMessage", code=429, description="Too Many Requests: retry after 1")
    assert await container.dispatcher.run_once() == 0
    async with container.uow() as uow:
        row = (await uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.channel == "telegram"))).scalar_one()
        await uow.session.commit()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "Too Many Requests" in (row.last_error or "")


async def test_a_pressed_notification_button_reaches_the_engine(bot, fake):
    container, _ = bot
    account_id = await a_telegram_account(container, "5353")
    await queue_notification(container, account_id)
    await container.dispatcher.run_once()
    notice, _ = fake.find_button(5353, "Open my profile")
    fake.push(fake.press(5353, "Open my profile"))
    # The profile is shown on the notice pressed.
    card = await fake.wait_for("editMessageText", lambda p: "Edit " in str(p.get("reply_markup")))
    assert card.params["chat_id"] == "5353" and "Sam" in card.params["text"]
    assert card.params["message_id"] == str(notice["message_id"])
