"""Telegram updates become neutral messages (no network: PTB objects from JSON)."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bots.telegram.channel import file_url
from bots.telegram.inbound import IGNORE, envelope, translate
from conversations.messages import Choice, Command, FileUpload, Location, Text
from tests.support.fake_telegram import FakeTelegram

fake = FakeTelegram()
BOT = "agora_market_bot"


def update(data: dict[str, Any]) -> Update:
    return Update.de_json(data, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "expected"), [
    ("/start", Command("start")),
    ("/start ref_42", Command("start", "ref_42")),
    ("/Help@Agora_Market_Bot", Command("help")),
    ("/link   ABC123  ", Command("link", "ABC123")),
    ("/start\nhello", Command("start", "hello")),
    ("/", Text("/")),
    ("/ spaced", Text("/ spaced")),
    ("<b>hi</b>", Text("<b>hi</b>")),
])
def test_text_and_commands_are_told_apart(text, expected):
    assert translate(update(fake.text(1, text)), BOT) == expected


def test_a_command_addressed_to_another_bot_is_ignored():
    assert translate(update(fake.text(1, "/start@other_bot")), BOT) is IGNORE


def test_a_photo_becomes_its_largest_size_as_a_jpeg_upload():
    message = translate(update(fake.photo(9)), BOT)
    assert message == FileUpload(file_id="P9s1280", file_name="photo_up1280.jpg",
                                 mime_type="image/jpeg", size=128000, kind="photo")


def test_a_document_keeps_its_name_type_and_size():
    message = translate(update(fake.document(9, "cert.pdf", "application/pdf", 5000)), BOT)
    assert message == FileUpload("D9", "cert.pdf", "application/pdf", 5000, "document")


def test_a_location_and_a_button_press_translate():
    assert translate(update(fake.location(9, 56.95, 24.1)), BOT) == Location(56.95, 24.1)
    press = fake.update(callback_query={"id": "q1", "from": {"id": 9, "is_bot": False,
                                                             "first_name": "A"},
                                        "chat_instance": "c", "data": "tok|next"})
    assert translate(update(press), BOT) == Choice("tok|next")


def test_a_sticker_is_unreadable_and_an_edited_message_is_ignored():
    assert translate(update(fake.sticker(9)), BOT) is None
    edited = fake.update(edited_message=fake.text(9, "x")["message"] | {"edit_date": 1})
    assert translate(update(edited), BOT) is IGNORE


def test_the_envelope_carries_user_chat_and_update_id():
    data = fake.text(77, "hello")
    env = envelope(update(data), Text("hello"))
    assert env is not None
    assert (env.channel, env.user_key, env.chat_id) == ("telegram", "77", "77")
    assert env.event_id == str(data["update_id"])
    assert env.display_name == "User77" and env.can_show_forms is False


def test_the_file_url_follows_the_api_url():
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url("http://127.0.0.1:9/bot") == "http://127.0.0.1:9/file/bot"
    assert file_url("http://local/bot{token}/") == "http://local/file/bot{token}/"
