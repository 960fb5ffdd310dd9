"""Hand-made updates that once raised: a number as text, NUL and surrogates, ids past the
database's range in buttons and deep links. Each gets a clean answer through the real bot."""

from __future__ import annotations

import logging

from tests.catalog.helpers import make_account, publish
from tests.telegram.conftest import TelegramUser


async def test_a_message_whose_text_is_a_number_is_read_as_text(bot, ann: TelegramUser, fake, caplog):
    update = fake.text(ann.id, "x")
    update["message"]["text"] = 42
    await ann.send(update, expect="Registration · 1/7")
    assert "Traceback" not in caplog.text


async def test_nul_is_cleaned_before_anything_stores_it(bot, ann, fake, caplog):
    caplog.set_level(logging.ERROR)
    await ann.say("/start", expect="Registration · 1/7")
    await ann.say("An\x00n", expect="Registration · 2/7")
    await ann.say("/search \x00pellets", expect="register first")
    assert "Traceback" not in caplog.text


def test_a_lone_surrogate_becomes_a_question_mark_in_translation():
    from telegram import Update

    from bots.telegram.inbound import translate
    from conversations.messages import Text

    data = fake_text_update("pel\ud800lets")
    assert translate(Update.de_json(data, None), "agora_market_bot") == Text("pel?lets")


def fake_text_update(text: str) -> dict:
    return {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": text,
                                        "chat": {"id": 5, "type": "private"},
                                        "from": {"id": 5, "is_bot": False, "first_name": "A"}}}


async def test_ids_past_the_database_range_open_nothing_and_say_so(bot, ann, fake, caplog):
    container, _ = bot
    await make_account(container, str(ann.id), channel="telegram", roles=("buyer",))
    listing_id = await publish(container, await make_account(container, "sam"))
    await ann.say(f"/start view-{'9' * 20}", expect="Main menu")
    await ann.say(f"/view {'9' * 40}", expect="Which listing?")
    press = fake.update(callback_query={
        "id": "q-overflow", "from": {"id": ann.id, "is_bot": False, "first_name": "Ann"},
        "chat_instance": "ci", "data": f"@go:listing_view:{'9' * 40}",
        "message": {"message_id": 1, "date": 0, "chat": {"id": ann.id, "type": "private"}}})
    await ann.send(press, expect="Which listing?")
    await ann.say(f"/view {listing_id}", expect="ENplus")
    assert "Traceback" not in caplog.text and "OverflowError" not in caplog.text
