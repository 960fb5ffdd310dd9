"""Through the real python-telegram-bot sender against the fake Bot API: a newer card of a deal
takes the keyboard off the older one (editMessageReplyMarkup); its words stay."""

from __future__ import annotations

from tests.test_outbox import make_account, queue
from tests.test_outbox_cards import deal_card


async def test_telegram_takes_the_keyboard_off_the_older_card(bot, fake):
    app, _ = bot
    account = await make_account(app)
    await queue(app, account, "deal 1: agreed", buttons=deal_card(1, "accept-terms"))
    await app.dispatcher.run_once()
    [first] = [m for m in fake.messages.values() if m.get("text") == "deal 1: agreed"]
    assert first.get("reply_markup")
    await queue(app, account, "deal 1: pay now", buttons=deal_card(1))
    await app.dispatcher.run_once()
    assert "reply_markup" not in first and first["text"] == "deal 1: agreed"
    [second] = [m for m in fake.messages.values() if m.get("text") == "deal 1: pay now"]
    assert second.get("reply_markup")
