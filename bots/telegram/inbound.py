"""Telegram updates in, neutral `Envelope`s out. Nothing here talks to the network."""

from __future__ import annotations

from typing import Final

from telegram import Message, Update

from conversations.messages import (
    Choice,
    Command,
    Envelope,
    FileUpload,
    Inbound,
    Location,
    Text,
)
from conversations.sanitise import clean_message, clean_text

CHANNEL: Final = "telegram"


class Ignore:
    """An update that is not for us (a command addressed to another bot); nothing is said."""


IGNORE: Final = Ignore()


def translate(update: Update, bot_username: str | None) -> Inbound | Ignore | None:
    """The neutral message of an update; None when we can't read that kind of message."""
    query = update.callback_query
    if query is not None:
        return clean_message(Choice(query.data)) if isinstance(query.data, str) else None
    message = update.message
    if message is None:
        return IGNORE  # edited messages, member updates…: not subscribed, never answered
    found = _message(message, bot_username)
    return clean_message(found) if found is not None and not isinstance(found, Ignore) else found


def envelope(update: Update, message: Inbound) -> Envelope | None:
    """Wrap a translated message with who sent it and where; None without a user or chat."""
    user, chat_id = update.effective_user, chat_of(update)
    if user is None or chat_id is None:
        return None
    return Envelope(channel=CHANNEL, user_key=str(user.id), chat_id=chat_id, message=message,
                    event_id=str(update.update_id), display_name=user.full_name,
                    can_show_forms=False, language=(user.language_code or "")[:16])


def chat_of(update: Update) -> str | None:
    """Where to answer: the chat of the message (a button's message), else the user's DM."""
    chat = update.effective_chat
    if chat is not None:
        return str(chat.id)
    user = update.effective_user
    return str(user.id) if user is not None else None


def _message(message: Message, bot_username: str | None) -> Inbound | Ignore | None:
    if message.text is not None:  # a hand-made update may carry a number: it is text to us
        return _text_or_command(clean_text(message.text, 4096), bot_username)
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return FileUpload(file_id=largest.file_id, file_name=f"photo_{largest.file_unique_id}.jpg",
                          mime_type="image/jpeg", size=largest.file_size or 0, kind="photo")
    if message.document is not None:
        doc = message.document
        return FileUpload(file_id=doc.file_id, file_name=doc.file_name or "file",
                          mime_type=doc.mime_type or "application/octet-stream",
                          size=doc.file_size or 0, kind="document")
    if message.voice is not None:
        voice = message.voice
        return FileUpload(file_id=voice.file_id, file_name=f"voice_{voice.file_unique_id}.ogg",
                          mime_type=voice.mime_type or "audio/ogg", size=voice.file_size or 0,
                          kind="voice")
    if message.location is not None:
        return Location(message.location.latitude, message.location.longitude)
    return None


def _text_or_command(text: str, bot_username: str | None) -> Inbound | Ignore:
    """`/name@bot args` becomes Command("name", "args"); anything else is plain text."""
    if len(text) < 2 or text[0] != "/" or text[1].isspace():
        return Text(text)
    head, *rest = text[1:].split(maxsplit=1)
    name, _, addressee = head.partition("@")
    if addressee and bot_username and addressee.lower() != bot_username.lower():
        return IGNORE
    if not name:
        return Text(text)
    return Command(name.lower(), rest[0].strip() if rest else "")
