"""Block Kit messages from neutral replies: escaped mrkdwn sections and rows of buttons."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any

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

Block = dict[str, Any]

ACTION_PREFIX = "agora:"  # every button's action_id is "agora:<n>", unique within one message
LINK_PREFIX = "agora_link:"  # a link button's: its click is only acknowledged
OPEN_FORM = "^form"  # the engine reads "<token>|^form" as "show the current form again"
MAX_BLOCKS = 50  # Slack's limit for one message
SECTION_LIMIT = 3000  # characters of text in one section
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
PREFIX = {"error": "⚠️ ", "notice": "ℹ️ ", "text": ""}

_LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>|<([^<>]*)>")


def escape(text: str) -> str:
    """Make text inert in mrkdwn: no mentions (<!channel>), links or tags, only what was typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What the person typed, from Slack's message text (links unwrapped, entities decoded)."""

    def shown(match: re.Match[str]) -> str:
        _target, label, bare = match.groups()
        if label is not None:
            return label
        return (bare or "").removeprefix("mailto:")

    return html.unescape(_LINK.sub(shown, text)) if "<" in text or "&" in text else text


def clip(text: str, limit: int) -> str:
    """Shorten `text` to `limit` characters after its last whole word that fits (inside a
    word only when no space comes in its second half), marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    space = max(room.rfind(" "), room.rfind("\n"))
    if text[limit - 1].isspace() or space < limit // 2:
        return room.rstrip() + "…"
    return room[:space].rstrip(" \n\t—–-,;:·/(") + "…"


def plain(text: str, limit: int = 3000) -> dict[str, Any]:
    """A plain_text object (never interpreted by Slack, so it needs no escaping)."""
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def _chunks(text: str, limit: int) -> Iterator[str]:
    """Escaped pieces of `text`, each at most `limit` characters long."""
    piece: list[str] = []
    size = 0
    for char in text:
        escaped = escape(char)
        if size + len(escaped) > limit:
            yield "".join(piece)
            piece, size = [], 0
        piece.append(escaped)
        size += len(escaped)
    if piece:
        yield "".join(piece)


def sections(text: str) -> list[Block]:
    """Sections of escaped mrkdwn, split where the text is longer than one section allows."""
    return [_section(chunk) for chunk in _chunks(text or " ", SECTION_LIMIT)]


def _section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn or " "}}


def button(label: str, data: str, action_id: str, url: str = "") -> Block:
    """One button; the label is plain text, the value is the neutral button's data. A link
    button opens its address (Slack still reports the click, under LINK_PREFIX)."""
    if url:
        return {"type": "button", "text": plain(label, BUTTON_LABEL_LIMIT), "url": url[:3000],
                "action_id": LINK_PREFIX + action_id.removeprefix(ACTION_PREFIX)}
    return {"type": "button", "text": plain(label, BUTTON_LABEL_LIMIT),
            "value": data[:BUTTON_VALUE_LIMIT], "action_id": action_id}


def button_rows(rows: Iterable[Iterable[tuple[str, ...]]], ids: Iterator[int]) -> list[Block]:
    """One actions block per row of (label, data[, url]) tuples."""
    blocks = []
    for row in rows:
        elements = [button(label, data, f"{ACTION_PREFIX}{next(ids)}", *link)
                    for label, data, *link in row]
        if elements:
            blocks.append({"type": "actions", "elements": elements[:25]})
    return blocks


def _pairs(rows: tuple[tuple[Button, ...], ...]) -> list[list[tuple[str, ...]]]:
    return [[(b.label, b.data, b.url) for b in row] for row in rows]


def message(reply: Outbound) -> tuple[str, list[Block]]:
    """Fallback text and blocks for one reply that is shown as a message."""
    ids = itertools.count(1)
    if isinstance(reply, Reply):
        text = PREFIX.get(reply.kind, "") + reply.text
        blocks = sections(text) + button_rows(_pairs(reply.buttons), ids)
    elif isinstance(reply, ListPage):
        text, blocks = reply.title, list_page(reply, ids)
    elif isinstance(reply, FormReply):
        text = _("{title}: tap the button to fill in the form.", title=reply.title)
        blocks = sections(text) + button_rows([[(_("📝 Open form"), f"{reply.token}|{OPEN_FORM}")]],
                                               ids)
    elif isinstance(reply, FormErrors):
        text = PREFIX["error"] + "\n".join(reply.errors.values())
        blocks = sections(text)
    elif isinstance(reply, ImageReply):
        text, blocks = reply.caption or _("Image"), image(reply)
    elif isinstance(reply, FileReply):
        text = reply.caption or reply.file_name
        blocks = sections(text)
    elif isinstance(reply, ShareReply):  # the card alone, where the share modal can't open
        text = reply.text
        blocks = sections(text)
    else:  # pragma: no cover - every Outbound type is handled above
        raise TypeError(f"cannot render {type(reply).__name__}")
    return escape(clip(text, 3000)), blocks[:MAX_BLOCKS]


def list_page(page: ListPage, ids: Iterator[int]) -> list[Block]:
    """A title, one section per item (its button alongside), the page number, then buttons."""
    blocks = [_section(f"*{escape(clip(page.title, 500))}*")]
    for item in page.items:
        text = f"*{escape(item.title)}*" + (f"\n{escape(item.subtitle)}" if item.subtitle else "")
        block = _section(clip(text, SECTION_LIMIT))
        if item.button:
            block["accessory"] = button(item.button.label, item.button.data,
                                        f"{ACTION_PREFIX}{next(ids)}")
        blocks.append(block)
    if page.pages > 1:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": _("Page {page} of {pages}", page=page.page, pages=page.pages)}]})
    return blocks + button_rows(_pairs(page.buttons), ids)


def is_url(ref: str) -> bool:
    return ref.startswith(("https://", "http://"))


def image(reply: ImageReply) -> list[Block]:
    """An image block for a URL; anything else is shown as its caption."""
    if is_url(reply.url_or_file_id):
        alt = clip(reply.caption or _("image"), 2000)
        block: Block = {"type": "image", "image_url": reply.url_or_file_id, "alt_text": alt}
        return [block, *(sections(reply.caption) if reply.caption else [])]
    return sections(reply.caption or _("(image)"))

