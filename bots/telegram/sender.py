"""Telegram's outbox sender: notifications with their buttons, and files, to a chat."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, RetryAfter

from bots.telegram.live import LiveChats, unchanged
from bots.telegram.render import (
    CAPTION_LIMIT,
    edit_text,
    keyboard,
    keyboard_json,
    send_document,
    send_text,
)
from conversations.messages import file_reply, notification_reply
from core.notifications import cards
from core.notifications.cards import RetryLater
from core.notifications.delivery import Attachment


class TelegramSender:
    """Delivers outbox notifications to a Telegram chat; errors propagate so the row is retried,
    and flood control (429 with retry_after) asks the dispatcher to pause the chat.

    The Bot API takes no idempotency key, so a send is at-least-once only across a crash between
    Telegram accepting it and the row being marked sent; a notification of several messages
    (long text in pieces, several files) that fails midway is sent again from its start."""

    def __init__(self, bot: Bot, live: LiveChats | None = None) -> None:
        self._bot = bot
        self.live = live  # the chats' prompts and cards this process showed (bots.telegram.live)

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> str | None:
        """Send payload["text"] with payload["buttons"] as an inline keyboard to chat `address`,
        then the files; one file and a short text go as one document with the text as caption.
        Returns the id of the message that carries the keyboard."""
        try:
            sent = await self._send(address, payload, files)
        except RetryAfter as flood:
            raise RetryLater(retry_seconds(flood), str(flood)) from flood
        if sent is not None and self.live is not None and _is_id(address):
            # A card: this process's older cards of its objects retire.
            await self.live.shown(int(address), int(sent), notification_reply(payload).buttons,
                                  frozenset(cards.about(payload)))
        return sent

    async def retire(self, address: str, ref: str, payload: dict[str, Any]) -> None:
        """A newer card of the same object was sent: this one's keyboard goes — unless the
        person pressed it and its place shows their conversation's current question, or this
        process took its keyboard away already."""
        chat, message = (int(address) if _is_id(address) else address), int(ref)
        if self.live is not None and isinstance(chat, int):
            if self.live.is_prompt_now(chat, message) or self.live.was_retired(chat, message):
                return
        try:
            await self._bot.edit_message_reply_markup(chat_id=chat, message_id=message,
                                                      reply_markup=None)
        except Exception as exc:
            if not unchanged(exc):  # bare already: nothing to do
                raise
        if self.live is not None and isinstance(chat, int):
            self.live.mark_retired(chat, message)  # gone: a later press is answered below

    async def rewrite(self, address: str, ref: str, was: dict[str, Any],
                      now: dict[str, Any]) -> None:
        """The card's object changed: its words and keyboard become `now` (a caption, under
        the document it was sent with) — unless the person pressed it and its place shows
        their conversation's current question, or its keyboard was taken away here."""
        chat, message = (int(address) if _is_id(address) else address), int(ref)
        if self.live is not None and isinstance(chat, int):
            if self.live.is_prompt_now(chat, message) or self.live.was_retired(chat, message):
                return
        reply = notification_reply(now)
        try:
            try:
                await edit_text(self._bot, chat, message, reply.text, keyboard_json(reply.buttons))
            except BadRequest as exc:  # a document's caption (a notice that carried a file)
                if "no text in the message" not in str(exc).lower() \
                        or len(reply.text) > CAPTION_LIMIT:
                    raise
                await self._bot.edit_message_caption(chat_id=chat, message_id=message,
                                                     caption=reply.text,
                                                     reply_markup=keyboard(reply.buttons))
        except RetryAfter as flood:
            raise RetryLater(retry_seconds(flood), str(flood)) from flood
        except Exception as exc:
            if not unchanged(exc):  # it shows this already
                raise
        # Nothing else to record: it stays the card of the same objects, and it is no newer
        # than the chat's other cards of them (a card opened below it keeps its buttons).

    async def _send(self, address: str, payload: dict[str, Any],
                    files: Sequence[Attachment]) -> str | None:
        reply = notification_reply(payload)
        if len(files) == 1 and reply.text.strip() and len(reply.text) <= CAPTION_LIMIT:
            # One message: a retry can't repeat a text whose document failed.
            captioned = replace(file_reply(files[0]), caption=reply.text)
            return str(await send_document(self._bot, address, captioned,
                                           keyboard(reply.buttons)))
        markup = keyboard_json(reply.buttons)
        sent = await send_text(self._bot, address, reply.text, markup)
        for file in files:
            await send_document(self._bot, address, file_reply(file))
        return str(sent) if markup is not None else None


def _is_id(address: str) -> bool:
    return address.removeprefix("-").isdigit()


def retry_seconds(flood: RetryAfter) -> float:
    """Telegram's retry_after in seconds (an int before PTB's move to timedelta, then either)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = flood.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
