"""Telegram's outbox sender: notifications with their buttons, and files, to a chat."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from telegram import Bot

from bots.telegram.render import CAPTION_LIMIT, keyboard, send_document, send_text
from conversations.messages import file_reply, notification_reply
from core.notifications.dispatcher import Attachment


class TelegramSender:
    """Delivers outbox notifications to a Telegram chat; errors propagate so the row is retried."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None:
        """Send payload["text"] with payload["buttons"] as an inline keyboard to chat `address`,
        then the files; one file and a short text go as one document with the text as caption."""
        reply = notification_reply(payload)
        markup = keyboard(reply.buttons)
        if len(files) == 1 and reply.text.strip() and len(reply.text) <= CAPTION_LIMIT:
            # One message: a retry can't repeat a text whose document failed.
            captioned = replace(file_reply(files[0]), caption=reply.text)
            await send_document(self._bot, address, captioned, markup)
            return
        await send_text(self._bot, address, reply.text, markup)
        for file in files:
            await send_document(self._bot, address, file_reply(file))
