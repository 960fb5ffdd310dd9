"""A press is answered on the message pressed — its text, or its caption under a document —
through the real python-telegram-bot application; a notice's newer card takes the keyboard off
the older one, but never off the question a person is answering there."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bots.telegram.compose import folded, without_trailing_menu
from bots.telegram.live import LiveChats
from bots.telegram.render import list_rows, list_text
from bots.telegram.sender import TelegramSender
from conversations.messages import Button, FileReply, ListItem, ListPage, Reply
from core.accounts.intents import AccountIntent
from core.actions import Action, payload_rows
from core.deals.intents import DealIntent
from core.notifications.delivery import Attachment
from tests.telegram.test_startup_and_outbox import a_telegram_account

NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message")


async def test_an_edit_telegram_calls_not_modified_is_shown_and_nothing_is_sent_again(
        bot, ann, fake, caplog):
    await ann.say("/start", expect="1/7")
    await ann.say("Ann", expect="2/7")
    fake.fail("editMessageText", description=NOT_MODIFIED)
    start = fake.mark()
    with caplog.at_level(logging.INFO, logger="bots.telegram"):
        fake.push(fake.press(ann.id, "Back"))
        await fake.wait_for("editMessageText")
        await asyncio.sleep(0.3)  # a fallback would be sent right after the refused edit
    assert not fake.sent("sendMessage", since=start)
    assert "could not answer" not in caplog.text


async def test_a_press_under_a_document_is_answered_in_its_caption(bot, fake):
    container, channel = bot
    await a_telegram_account(container, "5353")
    sender = TelegramSender(channel.application.bot, channel.live)
    payload = {"text": "📄 Your statement is attached.",
               "buttons": payload_rows([[Action(AccountIntent.PROFILE, "Open my profile")]])}
    ref = await sender.send("5353", payload, [Attachment("statement.pdf", b"%PDF-1.7", "application/pdf")])
    fake.push(fake.press(5353, "Open my profile"))
    edit = await fake.wait_for("editMessageCaption", lambda p: "Sam" in p["caption"])
    assert edit.params["message_id"] == ref
    shown = fake.messages[int(ref)]
    assert shown["document"]["file_name"] == "statement.pdf" and "Sam" in shown["caption"]
    assert not fake.sent("sendMessage", since=fake.window_start)


class Recorder:
    """A bot that records the keyboards taken away."""

    def __init__(self) -> None:
        self.taken: list[int] = []

    async def edit_message_reply_markup(self, **params: Any) -> None:
        self.taken.append(params["message_id"])


def deal_card(deal_id: int) -> dict[str, Any]:
    return {"text": f"Deal #{deal_id}", "about": [f"deal:{deal_id}"],
            "buttons": payload_rows([[Action(DealIntent.VIEW_DEAL, "Open the deal", str(deal_id))]])}


async def test_a_notices_retirement_leaves_the_question_answered_on_its_card():
    bot = Recorder()
    live = LiveChats(bot)  # type: ignore[arg-type]
    sender = TelegramSender(bot, live)  # type: ignore[arg-type]
    # Card 7 was pressed and now asks the person a question (a conversation's button).
    await live.shown(42, 7, ((Button("Keep", "AbCdEf|keep"),),))
    await sender.retire("42", "7", deal_card(1))
    assert bot.taken == []
    await live.moved_on(42)  # the question was answered: its keyboard goes, once
    await sender.retire("42", "7", deal_card(1))
    assert bot.taken == [7]


async def test_a_newer_card_takes_the_keyboard_off_the_older_one_in_memory_once():
    bot = Recorder()
    live = LiveChats(bot)  # type: ignore[arg-type]
    sender = TelegramSender(bot, live)  # type: ignore[arg-type]
    await live.shown(42, 3, ((Button("Open the offer", "@do:view_offer:5"),),))
    await live.shown(42, 4, ((Button("Open the deal", "@do:view_deal:1"),),))
    await live.shown(42, 9, ((Button("Open the deal", "@do:view_deal:1"),),))
    assert bot.taken == [4]
    await sender.retire("42", "4", deal_card(1))  # the outbox's turn: done already
    assert bot.taken == [4]


def test_a_note_goes_with_the_question_after_it_and_an_error_stays_apart():
    question = Reply("Read the terms?", ((Button("Accept", "t|accept"),),))
    assert folded([Reply("✅ Saved."), question]) == [
        Reply("✅ Saved.\n\nRead the terms?", question.buttons)]
    error = Reply("That is not a number.", kind="error")
    assert folded([error, question]) == [error, question]
    file = FileReply("a.pdf", b"%PDF", "application/pdf")
    assert folded([Reply("Here:"), file]) == [Reply("Here:"), file]


def test_search_results_and_the_question_about_them_are_one_message():
    view = Button("View", "AbCdEf|v:7")
    page = ListPage("🔎 2 results", (ListItem("Pellets A6", "Riga", view),
                                     ListItem("Pellets A1", "Tartu")), 1, 2,
                    ((Button("Next ▶", "AbCdEf|next"),),))
    question = Reply("Refine or keep this search:", ((Button("⚙ More filters", "AbCdEf|filters"),),))
    [one] = folded([page, question])
    assert isinstance(one, ListPage)
    text = list_text(one)
    assert text.index("Pellets A1") < text.index("Refine or keep this search:")
    assert [b.label for row in list_rows(one) for b in row] == ["View", "Next ▶", "⚙ More filters"]
    # An error about the list, a note and a second question each stay their own message.
    error = Reply("Choose a sort order.", ((Button("Price", "AbCdEf|price"),),), kind="error")
    assert folded([page, error]) == [page, error]
    assert folded([page, Reply("Saved.")]) == [page, Reply("Saved.")]
    assert len(folded([page, question, question])) == 2
    # A keyboard too tall to read is not made taller.
    tall = Reply("Filter:", tuple((Button(f"f{i}", f"AbCdEf|{i}"),) for i in range(20)))
    assert folded([page, tall]) == [page, tall]


def test_a_step_answered_in_place_offers_the_menu_in_one_tap_instead_of_sending_it():
    menu = Reply("Main menu", ((Button("Search", "@go:search"),),), kind="menu")
    [thanks] = without_trailing_menu([Reply("⭐ Thank you."), menu])
    assert thanks.text == "⭐ Thank you." and thanks.buttons[0][0].data == "@menu"
    done = Reply("Sent.", ((Button("Open the offer", "@do:view_offer:5"),),))
    assert without_trailing_menu([done, menu]) == [done]
    assert without_trailing_menu([menu]) == [menu]  # the menu asked for is the answer


async def test_only_a_card_the_outbox_sent_is_taken_from_its_care_when_answered_in_place():
    """A conversation's question answered in place costs no database write; a notice's card
    does (else the outbox would strip the answer shown there later)."""
    from datetime import UTC, datetime

    from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message

    class Editor(Recorder):
        async def do_api_request(self, endpoint: str, *_: Any, **__: Any) -> None:
            assert endpoint == "editmessagetext"

    released: list[int] = []

    async def release(_chat: int, message_id: int) -> bool:
        released.append(message_id)
        return True

    def message(message_id: int, *data: str) -> Message:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d)] for d in data])
        return Message(message_id, datetime.now(UTC), Chat(42, "private"), text="…",
                       reply_markup=keyboard)

    live = LiveChats(Editor(), release=release)  # type: ignore[arg-type]
    answer = Reply("Next question", ((Button("Back", "AbCdEf|back"),),))
    assert await live.replace(message(5, "AbCdEf|v:1", "AbCdEf|next"), answer)
    assert released == []
    assert await live.replace(message(6, "@do:view_deal:1"), answer)
    assert await live.replace(message(7, "AbCdEf|back", "@go:offer:l1"), answer)
    assert released == [6, 7]
