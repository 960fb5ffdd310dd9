"""A Telegram chat kept current instead of a transcript, as a Slack DM is (bots/slack/live.py):
a press is answered on the message pressed (`editMessageText`, `editMessageCaption` under a
document or photo); a conversation's prompt loses its keyboard once the conversation has moved
on — the engine refuses its buttons then anyway, so they must not look live; and a message
whose buttons name an object (an offer, a deal: core.actions.about) is its card, whose keyboard
goes when a newer card of it is shown.

What still shows a keyboard is kept in this process's memory: with several workers, a message
sent by another keeps its (politely refused) buttons. Notices are also retired through the
outbox, whatever the worker (core.notifications.cards)."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Bot, Message
from telegram.error import BadRequest

from bots.telegram import render
from conversations.messages import Button, ListPage, Outbound, Reply
from core.actions import Intent, about

log = logging.getLogger(__name__)

# A conversation's button: its data starts with the prompt's token (conversations.engine).
_STAMPED = re.compile(r"^[A-Za-z0-9_-]{6}\|")
CARDS_KEPT = 30  # a chat's latest cards still showing buttons, remembered
RETIRED_KEPT = 200  # messages whose keyboard this process took away, remembered
Rows = Sequence[Sequence[Button]]
# Takes a keyboard's removal (chat, message) into the answer to a webhook post; False when
# that answer carries another call already.
HandOff = Callable[[int, int], bool]


def unchanged(exc: Exception) -> bool:
    """Telegram's answer to an edit that changes nothing: the message already shows it."""
    return isinstance(exc, BadRequest) and "not modified" in str(exc).lower()


def objects(rows: Rows) -> frozenset[str]:
    """The objects a message's buttons name ("@do:<intent>:<arg>" → "deal:12")."""
    keys: set[str] = set()
    for button in (b for row in rows for b in row):
        intent, _, arg = button.data.removeprefix("@do:").partition(":")
        if button.data.startswith("@do:") and Intent.is_declared(intent):
            key = about(Intent.named(intent), arg)
            if key is not None:
                keys.add(key)
    return frozenset(keys)


def is_prompt(rows: Rows) -> bool:
    """Whether a message is a conversation's prompt: it has the conversation's buttons."""
    return any(_STAMPED.match(b.data) for row in rows for b in row)


def was_asked_by_a_conversation(message: Message) -> bool:
    """Whether a message's keyboard, as pressed, is a conversation's question: every button
    stamped with its conversation's token."""
    markup = message.reply_markup
    buttons = [b for row in markup.inline_keyboard for b in row] if markup is not None else []
    return bool(buttons) and all(
        isinstance(b.callback_data, str) and _STAMPED.match(b.callback_data) for b in buttons)


def replaces(reply: Outbound) -> bool:
    """Whether an answer may take the pressed message's place: a step to show, not an error
    (read beside what was pressed) nor a file, a form or a card to forward."""
    return isinstance(reply, Reply | ListPage) and getattr(reply, "kind", "text") != "error"


def words_and_rows(reply: Reply | ListPage) -> tuple[str, Rows]:
    """What a reply shows as one Telegram message: its text and its keyboard's rows."""
    if isinstance(reply, ListPage):
        return render.list_text(reply), render.list_rows(reply)
    return reply.text, reply.buttons


class LiveChats:
    """Each chat's current prompt and cards, and the edits that keep the chat current."""

    def __init__(self, bot: Bot,
                 release: Callable[[int, int], Awaitable[bool]] | None = None) -> None:
        self.bot = bot
        self.release = release  # takes a notice card from the outbox (core.notifications.cards)
        self.prompts: dict[int, list[int]] = {}  # chat → message ids of this turn's prompts
        self.cards: dict[int, list[tuple[frozenset[str], int]]] = {}  # chat → cards
        self.retired: list[tuple[int, int]] = []  # (chat, message) whose keyboard went here

    async def shown(self, chat_id: int, message_id: int | None, rows: Rows,
                    keys: frozenset[str] = frozenset()) -> None:
        """A message was sent or edited in the chat: its prompt if it is one; a card of the
        objects its buttons name (and of `keys`: a notice's negotiation), which retires the
        chat's older cards of them."""
        if message_id is None:
            return
        if is_prompt(rows):
            turn = [m for m in self.prompts.get(chat_id, []) if m != message_id]
            self.prompts[chat_id] = [*turn, message_id]
        keys = objects(rows) | keys
        if keys:
            await self.retire_cards(chat_id, keys, keep=message_id)
            kept = self.cards.setdefault(chat_id, [])
            kept.append((keys, message_id))
            del kept[:-CARDS_KEPT]

    async def retire_cards(self, chat_id: int, keys: frozenset[str], keep: int) -> None:
        """Take the keyboard off the chat's cards of these objects (but the one at `keep`)."""
        kept = []
        for card_keys, message_id in self.cards.get(chat_id, []):
            if message_id == keep:
                continue
            if card_keys & keys and not self.is_prompt_now(chat_id, message_id):
                await self.take_keyboard(chat_id, message_id)
            else:
                kept.append((card_keys, message_id))
        self.cards[chat_id] = kept

    async def moved_on(self, chat_id: int, keep: int | None = None,
                       hand_off: HandOff | None = None) -> None:
        """The chat's conversation took a turn: the last turn's prompts lose their keyboard
        (but the message about to be replaced). `hand_off` may take one removal into the
        answer to Telegram's webhook post (no request of ours)."""
        for message_id in self.prompts.pop(chat_id, []):
            if message_id == keep:
                continue
            if not self.was_retired(chat_id, message_id) and hand_off is not None and \
                    hand_off(chat_id, message_id):
                self.mark_retired(chat_id, message_id)
            else:
                await self.take_keyboard(chat_id, message_id)

    def is_prompt_now(self, chat_id: int, message_id: int) -> bool:
        """Whether the message shows the conversation's current question (a card pressed and
        answered in place): a notice's retirement must leave its keyboard."""
        return message_id in self.prompts.get(chat_id, [])

    def was_retired(self, chat_id: int, message_id: int) -> bool:
        """Whether this process took the message's keyboard away already."""
        return (chat_id, message_id) in self.retired

    def mark_retired(self, chat_id: int, message_id: int) -> None:
        """The message's keyboard is being taken away (by this process)."""
        self._forget(chat_id, message_id)
        self.retired.append((chat_id, message_id))
        del self.retired[:-RETIRED_KEPT]

    async def take_keyboard(self, chat_id: int, message_id: int) -> None:
        """Take a message's keyboard away; its words stay. Cosmetic: a failure is logged."""
        if self.was_retired(chat_id, message_id):
            return self._forget(chat_id, message_id)
        try:
            await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id,
                                                     reply_markup=None)
        except Exception as exc:  # deleted, too old: harmless; not marked, so tried again
            if not unchanged(exc):
                log.warning("telegram: removing an old keyboard failed: %s", exc)
                return None
        self.mark_retired(chat_id, message_id)  # gone (or bare already)
        return None

    async def replace(self, pressed: Message, reply: Reply | ListPage) -> bool:
        """Show `reply` in place of the pressed message (its caption under a document or a
        photo); False when Telegram can't (too long, too old, deleted): it is sent instead."""
        text, rows = words_and_rows(reply)
        chat_id, message_id = pressed.chat.id, pressed.message_id
        text = text if text.strip() else render.EMPTY
        try:
            if pressed.text is not None and len(text) <= render.TEXT_LIMIT:
                await render.edit_text(self.bot, chat_id, message_id, text,
                                       render.keyboard_json(rows))
            elif pressed.caption is not None or pressed.document or pressed.photo:
                if len(text) > render.CAPTION_LIMIT:
                    return False
                await self.bot.edit_message_caption(chat_id=chat_id, message_id=message_id,
                                                    caption=text, reply_markup=render.keyboard(rows))
            else:
                return False
        except Exception as exc:
            if not unchanged(exc):
                log.info("telegram: could not answer on the pressed message (%s)", exc)
                return False
        self._unretire(chat_id, message_id)
        self._forget(chat_id, message_id)
        # It shows the answer now: no outbox retires it later. A conversation's own question
        # was never the outbox's (a card answered in place was released when first answered).
        if self.release is not None and not was_asked_by_a_conversation(pressed):
            await self.release(chat_id, message_id)
        await self.shown(chat_id, message_id, rows)
        return True

    def _forget(self, chat_id: int, message_id: int) -> None:
        self.cards[chat_id] = [(k, m) for k, m in self.cards.get(chat_id, []) if m != message_id]
        if message_id in self.prompts.get(chat_id, []):
            self.prompts[chat_id].remove(message_id)

    def _unretire(self, chat_id: int, message_id: int) -> None:
        """The message shows a keyboard again (an answer in its place)."""
        if (chat_id, message_id) in self.retired:
            self.retired.remove((chat_id, message_id))


def rows_of(reply: Any) -> Rows:
    """The keyboard rows a sent reply carries (none for files, forms and errors' text)."""
    if isinstance(reply, ListPage):
        return render.list_rows(reply)
    return reply.buttons if isinstance(reply, Reply) else ()
