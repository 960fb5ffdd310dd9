"""What people really send: old buttons, photos, stickers, odd commands, markup-looking text."""

from __future__ import annotations

import logging

from bots.telegram.answering import UNREADABLE
from bots.telegram.channel import APOLOGY
from tests.telegram.conftest import TelegramUser


async def reach_country_question(ann: TelegramUser) -> None:
    await ann.say("/start", expect="1/7")
    await ann.say("Ann", expect="2/7")
    await ann.say("Baltic Pellets SIA", expect="3/7")
    await ann.say("ann@example.com", expect="4/7")
    await ann.tap("Seller", expect="4/7")
    await ann.tap("Done", expect="Registration · 5/7")


async def test_a_button_from_an_earlier_message_is_politely_refused(bot, ann, fake):
    first = await ann.say("/start", expect="Registration · 1/7")
    await ann.say("Ann", expect="Registration · 2/7")
    old = first.result["message_id"]
    await ann.tap("Cancel", message_id=old, expect="Registration · 2/7")
    texts = fake.texts(ann.id, since=fake.window_start)
    assert any("That button is no longer active" in t for t in texts)
    assert not any("Cancelled" in t for t in texts)
    await ann.say("Baltic Pellets SIA", expect="Registration · 3/7")


async def test_a_photo_where_text_is_expected_gets_a_specific_re_ask(bot, ann, fake):
    await ann.say("/start", expect="Registration · 1/7")
    start = fake.mark()
    await ann.send(fake.photo(ann.id), expect="Registration · 1/7")
    assert "I need your name typed as text, not a file or photo." in fake.texts(ann.id, start)
    await ann.say("Ann", expect="Registration · 2/7")


async def test_an_unknown_command_mid_form_is_explained_and_the_form_stays(bot, ann, fake):
    await ann.say("/start", expect="Registration · 1/7")
    start = fake.mark()
    await ann.say("/frobnicate now", expect="Registration · 1/7")
    assert any("I don't know the command /frobnicate" in t for t in fake.texts(ann.id, start))
    await ann.say("Ann", expect="Registration · 2/7")


async def test_a_command_for_another_bot_is_ignored_and_one_for_us_is_read(bot, ann, fake):
    fake.push(fake.text(ann.id, "/start@some_other_bot"))
    # One user's updates are handled in order, so had the first been read, the answer to the
    # second would be "Welcome back…" rather than the first question.
    await ann.say("/START@Agora_Market_Bot", expect="Registration · 1/7")
    assert not any("Welcome back" in t for t in fake.texts(ann.id))


async def test_markup_looking_text_is_sent_back_literally_without_parse_mode(bot, ann, fake):
    await reach_country_question(ann)
    reply = await ann.say("<b>x</b> *y*", expect="I don't know the country")
    assert "“<b>x</b> *y*”" in reply.params["text"]
    assert "parse_mode" not in reply.params


async def test_a_shared_location_answers_the_city_question(bot, ann, fake):
    await reach_country_question(ann)
    await ann.say("Latvia", expect="Registration · 6/7")
    reply = await ann.send(fake.location(ann.id, 56.95, 24.1), expect="Registration · 7/7")
    assert "Interests?" in reply.params["text"]


async def test_a_sticker_gets_a_polite_cannot_read_and_the_form_waits(bot, ann, fake):
    await ann.say("/start", expect="Registration · 1/7")
    refusal = await ann.send(fake.sticker(ann.id), expect=UNREADABLE)
    assert UNREADABLE in refusal.params["text"]
    reply = await ann.say("Ann", expect="Registration · 2/7")
    assert "Company?" in reply.params["text"]


async def test_a_failure_while_answering_is_logged_apologised_for_and_the_bot_goes_on(
        bot, ann, fake, caplog):
    fake.fail("sendMessage", times=1)  # the first reply to the next update can't be delivered
    with caplog.at_level(logging.ERROR, logger="bots.telegram.channel"):
        update = fake.text(ann.id, "/start")
        await ann.send(update, expect=APOLOGY)
    assert f"telegram update {update['update_id']} failed" in caplog.text
    await ann.say("/start", expect="You were in the middle of registration")


async def test_failing_typing_and_keyboard_cleanup_only_warn_and_the_answer_arrives(
        bot, ann, fake, caplog):
    bot[1].typing_after = 0  # "typing…" on every answer
    for method in ("sendChatAction", "editMessageReplyMarkup", "answerCallbackQuery"):
        fake.fail(method, times=None)
    with caplog.at_level(logging.WARNING, logger="bots.telegram"):
        await ann.say("/start", expect="Registration · 1/7")
        await ann.say("Ann", expect="Registration · 2/7")
        await ann.tap("Back", expect="Registration · 1/7")
    assert "typing action failed" in caplog.text
    assert "removing an old keyboard failed" in caplog.text
    assert "answerCallbackQuery" in caplog.text
