"""Webhook mode: Telegram posts updates to the FastAPI server, which checks the secret."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from bots.server import create_app
from bots.telegram.channel import ALLOWED_UPDATES, TelegramChannel
from bots.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from core.storage.tables import Conversation, ProcessedUpdate
from tests.support.fake_telegram import FakeTelegram

SECRET = "s3cret-webhook-token"
HOOK_URL = "https://agora.example/telegram/webhook"


@pytest.fixture
async def server(start_bot) -> AsyncIterator[tuple[TelegramChannel, httpx.AsyncClient]]:
    """A webhook-mode bot and an HTTP client for Agora's FastAPI server."""
    container, channel = await start_bot(telegram_webhook_url=HOOK_URL,
                                         telegram_webhook_secret=SECRET)
    app = create_app(container, [channel], run_workers=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://agora") as client:
        yield channel, client


def headers(secret: str | None) -> dict[str, str]:
    return {SECRET_HEADER: secret} if secret is not None else {}


async def test_the_bot_registers_its_webhook_with_the_secret_and_does_not_poll(server, fake):
    hook = await fake.wait_for("setWebhook", since=0)
    assert hook.params["url"] == HOOK_URL
    assert hook.params["secret_token"] == SECRET
    assert hook.params["allowed_updates"] == list(ALLOWED_UPDATES)
    assert not fake.sent("getUpdates")


async def test_an_update_with_the_right_secret_is_answered(server, fake: FakeTelegram):
    _, client = server
    fake.mark()
    response = await client.post(WEBHOOK_PATH, json=fake.text(7, "/start"),
                                 headers=headers(SECRET))
    assert response.status_code == 200
    reply = await fake.wait_for("sendMessage", lambda p: "Registration · 1/7" in p["text"])
    assert reply.params["chat_id"] == "7"


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x"])
async def test_an_update_without_the_right_secret_is_refused_and_ignored(server, fake, secret):
    channel, client = server
    refused = await client.post(WEBHOOK_PATH, json=fake.text(7, "/help"),
                                headers=headers(secret))
    assert refused.status_code == 403
    # The same user's next (genuine) update is processed after anything queued before it,
    # so if the refused one had slipped through, its answer would show up first.
    fake.mark()
    accepted = await client.post(WEBHOOK_PATH, json=fake.text(7, "/start"),
                                 headers=headers(SECRET))
    assert accepted.status_code == 200
    await fake.wait_for("sendMessage", lambda p: "1/7" in p["text"])
    assert not any("Agora is a marketplace in chat" in t for t in fake.texts(7))
    async with channel.container.uow() as uow:
        handled = await uow.session.scalar(select(func.count()).select_from(ProcessedUpdate))
        conversations = await uow.session.scalar(select(func.count()).select_from(Conversation))
    assert (handled, conversations) == (1, 1)


async def test_a_redelivered_update_is_answered_once(server, fake):
    _, client = server
    update = fake.text(8, "/start")
    for _ in range(2):
        response = await client.post(WEBHOOK_PATH, json=update, headers=headers(SECRET))
        assert response.status_code == 200
    fake.mark()
    await client.post(WEBHOOK_PATH, json=fake.text(8, "Ann"), headers=headers(SECRET))
    await fake.wait_for("sendMessage", lambda p: "Registration · 2/7" in p["text"])
    texts = fake.texts(8)
    assert sum("Registration · 1/7" in t for t in texts) == 1
    assert not any("Welcome back" in t for t in texts)


async def test_a_press_is_answered_on_the_question_pressed_and_in_the_answer_to_the_webhook(
        server, fake):
    _, client = server
    await client.post(WEBHOOK_PATH, json=fake.text(9, "/start"), headers=headers(SECRET))
    await client.post(WEBHOOK_PATH, json=fake.text(9, "Ann"), headers=headers(SECRET))
    question, _ = fake.find_button(9, "Back")
    press = fake.press(9, "Back")
    start = fake.mark()
    response = await client.post(WEBHOOK_PATH, json=press, headers=headers(SECRET))
    # One request of ours: the step on the question pressed; the press's own answer (which
    # stops the spinner) rides in the answer to Telegram's post.
    assert response.status_code == 200
    assert response.json() == {"method": "answerCallbackQuery",
                               "callback_query_id": press["callback_query"]["id"]}
    assert [c.method for c in fake.calls[start:]] == ["editMessageText"]
    assert "Registration · 1/7" in fake.messages[question["message_id"]]["text"]


async def test_a_slow_step_answers_the_press_at_once_and_shows_typing(server, fake):
    channel, client = server
    await client.post(WEBHOOK_PATH, json=fake.text(10, "/start"), headers=headers(SECRET))
    await client.post(WEBHOOK_PATH, json=fake.text(10, "Ann"), headers=headers(SECRET))
    channel.typing_after = 0  # every step counts as slow
    start = fake.mark()
    response = await client.post(WEBHOOK_PATH, json=fake.press(10, "Back"),
                                 headers=headers(SECRET))
    assert response.json() == {"ok": True}
    assert [c.method for c in fake.calls[start:]] == ["answerCallbackQuery", "sendChatAction",
                                                      "editMessageText"]


async def test_a_pressed_keyboard_is_removed_by_the_answer_to_the_webhook(server, fake):
    _, client = server
    await client.post(WEBHOOK_PATH, json=fake.text(9, "/start"), headers=headers(SECRET))
    await client.post(WEBHOOK_PATH, json=fake.text(9, "Ann"), headers=headers(SECRET))
    question, _ = fake.find_button(9, "Back")
    fake.fail("editMessageText", description="Bad Request: message can't be edited")
    start = fake.mark()
    response = await client.post(WEBHOOK_PATH, json=fake.press(9, "Back"),
                                 headers=headers(SECRET))
    assert response.status_code == 200
    # The answer could not take the question's place, so it came as a new message; Telegram
    # makes the cosmetic call in the answer after it: no request of ours, nothing to wait for.
    assert response.json() == {"method": "editMessageReplyMarkup", "chat_id": 9,
                               "message_id": question["message_id"]}
    assert any("Registration · 1/7" in t for t in fake.texts(9, since=start))
    assert not fake.sent("editMessageReplyMarkup", since=start)
    # The press's answer is a request of ours here: the answer to the post was taken.
    assert [c.method for c in fake.calls[start:]] == ["editMessageText", "sendMessage",
                                                      "answerCallbackQuery"]


async def test_a_malformed_body_is_a_bad_request(server):
    _, client = server
    response = await client.post(WEBHOOK_PATH, content=b"{not json",
                                 headers={**headers(SECRET), "content-type": "application/json"})
    assert response.status_code == 400


async def test_a_typed_answer_takes_the_last_prompts_keyboard_away_in_the_answer_to_the_post(
        server, fake):
    _, client = server
    await client.post(WEBHOOK_PATH, json=fake.text(11, "/start"), headers=headers(SECRET))
    question, _ = fake.find_button(11, "Cancel")
    start = fake.mark()
    response = await client.post(WEBHOOK_PATH, json=fake.text(11, "Ann"),
                                 headers=headers(SECRET))
    # The next question is our one request; the old one's buttons go in Telegram's answer.
    assert response.json() == {"method": "editMessageReplyMarkup", "chat_id": 11,
                               "message_id": question["message_id"]}
    assert [c.method for c in fake.calls[start:]] == ["sendMessage"]
    assert "Registration · 2/7" in fake.texts(11, since=start)[0]
