"""Neutral replies out as Telegram calls: plain text, inline keyboards, documents, photos.

Text is always sent without `parse_mode`, so whatever a user typed (`<b>`, `*x*`) is shown
literally and can't change the formatting of our messages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile

from conversations.messages import (
    Button,
    FileReply,
    FormErrors,
    FormReply,
    ImageReply,
    ListPage,
    Outbound,
    Reply,
    ShareReply,
)
from core.i18n import _

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # characters in one Telegram message
CAPTION_LIMIT = 1024
EMPTY = "…"  # Telegram refuses an empty message

Rows = Sequence[Sequence[Button]]
Keyboard = dict[str, Any]  # an inline keyboard as the Bot API's JSON

# Text goes out and is edited through `Bot.do_api_request`, not the typed `send_message` and
# `edit_message_text`: the Bot API answers both with the whole message, keyboard included, and
# the typed methods build a `Message` of it, nested objects and all — an eighth of a worker's
# CPU per update in bench/chat.py — where Agora reads only the sent message's id. The keyboard
# goes as JSON too (no button objects built to be serialised again). Errors and flood control
# are python-telegram-bot's, as for the typed methods. The methods are named in lower case
# (the Bot API's method names are case-insensitive): under their usual names python-telegram-bot
# warns, at every call, that a typed method exists.
SEND_MESSAGE, EDIT_MESSAGE_TEXT = "sendmessage", "editmessagetext"


def keyboard_json(rows: Rows) -> Keyboard | None:
    """An inline keyboard whose callback_data is the button's data (or a link's url), as JSON;
    None without buttons."""
    buttons = [[{"text": b.label, "url": b.url} if b.url else
                {"text": b.label, "callback_data": b.data} for b in row] for row in rows if row]
    return {"inline_keyboard": buttons} if buttons else None


def keyboard(rows: Rows) -> InlineKeyboardMarkup | None:
    """The same keyboard as python-telegram-bot's object, for the typed calls that take one
    (documents, photos, captions)."""
    shape = keyboard_json(rows)
    return InlineKeyboardMarkup.de_json(shape, None) if shape else None


def chunks(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split a long text into messages, preferring line breaks."""
    text = text if text.strip() else EMPTY
    parts: list[str] = []
    while len(text) > limit:
        newline = text.rfind("\n", 0, limit)
        cut, skip = (newline, 1) if newline > limit // 2 else (limit, 0)
        parts.append(text[:cut])
        text = text[cut + skip:] or EMPTY
    parts.append(text)
    return parts


async def send_text(bot: Bot, chat_id: str | int, text: str, markup: Keyboard | None = None
                    ) -> int:
    """Send plain text (no parse_mode); the keyboard goes with the last piece, whose message
    id is returned."""
    pieces = chunks(text)
    for piece in pieces[:-1]:
        await bot.do_api_request(SEND_MESSAGE, {"chat_id": chat_id, "text": piece})
    last = {"chat_id": chat_id, "text": pieces[-1]}
    sent = await bot.do_api_request(SEND_MESSAGE, last if markup is None else
                                    {**last, "reply_markup": markup})
    return int(sent["message_id"])


async def edit_text(bot: Bot, chat_id: str | int, message_id: int, text: str,
                    markup: Keyboard | None) -> None:
    """Put `text` and the keyboard (none: no keyboard) in place of a text message's own."""
    await bot.do_api_request(EDIT_MESSAGE_TEXT, {
        "chat_id": chat_id, "message_id": message_id, "text": text,
        **({"reply_markup": markup} if markup is not None else {})})


async def send_replies(bot: Bot, chat_id: str, replies: Iterable[Outbound]) -> None:
    """Render each neutral reply in order."""
    for reply in replies:
        await send_reply(bot, chat_id, reply)


async def send_reply(bot: Bot, chat_id: str, reply: Outbound) -> int | None:
    """Render one neutral reply; returns the id of the message that carries its keyboard (the
    last one sent)."""
    if isinstance(reply, Reply):
        return await send_text(bot, chat_id, reply.text, keyboard_json(reply.buttons))
    if isinstance(reply, ListPage):
        return await send_text(bot, chat_id, list_text(reply), keyboard_json(list_rows(reply)))
    if isinstance(reply, FormErrors):
        return await send_text(bot, chat_id, form_errors_text(reply))
    if isinstance(reply, FormReply):
        log.error("a whole form (%s) was sent to Telegram, which asks one by one", reply.form_id)
        return await send_text(bot, chat_id, _("{title}: please type /cancel and start again.",
                                                title=reply.title))
    if isinstance(reply, FileReply):
        return await send_document(bot, chat_id, reply)
    if isinstance(reply, ImageReply):
        return await send_image(bot, chat_id, reply)
    if isinstance(reply, ShareReply):  # forwarded by the person to whom they choose
        return await send_text(bot, chat_id, share_text(reply))
    raise TypeError(f"can't render {type(reply).__name__} on Telegram")  # pragma: no cover


async def send_document(bot: Bot, chat_id: str, reply: FileReply,
                        markup: InlineKeyboardMarkup | None = None) -> int:
    """Upload the file's bytes as a document, its caption (cut to Telegram's limit) under it;
    returns the message id."""
    document = InputFile(reply.content, filename=reply.file_name)
    sent = await bot.send_document(chat_id=chat_id, document=document,
                                   caption=_caption(reply.caption), reply_markup=markup)
    return sent.message_id


async def send_image(bot: Bot, chat_id: str, reply: ImageReply) -> int | None:
    """By file_id or URL where there is one (a Telegram upload is not sent twice), else the
    stored bytes (a photo uploaded on another channel); the caption alone without either.
    Returns the message id."""
    photo: str | InputFile
    if reply.url_or_file_id:
        photo = reply.url_or_file_id
    elif reply.content:
        photo = InputFile(reply.content, filename=reply.file_name or "photo.jpg")
    else:
        return await send_text(bot, chat_id, reply.caption)
    sent = await bot.send_photo(chat_id=chat_id, photo=photo, caption=_caption(reply.caption))
    return sent.message_id


def share_text(reply: ShareReply) -> str:
    """A card to forward: its words, and how to share it."""
    return f"{reply.text}\n\n" + _("Forward this message to share it.")


def list_text(page: ListPage) -> str:
    """A list page as text: title, numbered items, page number."""
    lines = [page.title if page.pages <= 1 else _("{title} (page {page}/{pages})", title=page.title,
                                                   page=page.page, pages=page.pages)]
    for number, item in enumerate(page.items, start=1):
        line = f"{number}. {item.title}"
        lines.append(f"{line} — {item.subtitle}" if item.subtitle else line)
    if not page.items:
        lines.append(_("Nothing here yet."))
    if page.footer:
        lines.extend(("", page.footer))
    return "\n".join(lines)


def list_rows(page: ListPage) -> list[tuple[Button, ...]]:
    """One button per item that has one, then the page's own rows (paging, back…)."""
    rows: list[tuple[Button, ...]] = [(item.button,) for item in page.items if item.button]
    return [*rows, *page.buttons]


def form_errors_text(errors: FormErrors) -> str:
    """Field errors as lines; “_” is an error about the whole form."""
    lines = [message if name == "_" else f"{name}: {message}"
             for name, message in errors.errors.items()]
    return _("Please fix this:\n{lines}", lines="\n".join(lines)) if lines \
        else _("Please check your answers.")


def _caption(text: str) -> str | None:
    return text[:CAPTION_LIMIT] or None
