"""A photo uploaded on one channel shows on another channel (here: the terminal): the listing's
card through the engine with the catalogue and its file store in memory, printed by a terminal
chat of its own (`tests/support/offline_terminal.py`)."""

from __future__ import annotations

import io
from pathlib import Path

from conversations.messages import Choice, ImageReply
from core.catalog import media
from core.catalog.media import FileStore
from tests.catalog.fakes import published
from tests.catalog.in_memory import account_of, market, member
from tests.support.offline_terminal import offline_terminal

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4


async def test_a_telegram_photo_is_shown_in_the_terminal_by_file_name_and_stored_path(tmp_path):
    chat, stock = market(tmp_path)
    member(chat, stock, "sam")
    listing_id = await published(stock, account_of(chat, "sam"))
    await media.attach(stock, FileStore(tmp_path), listing_id, kind="photo",
                       name="pellets.jpg", mime="image/jpeg", data=JPEG,
                       channel_ref="telegram:P1s1280")
    bob = member(chat, stock, "bob", roles=("buyer",))
    replies = await bob.send(Choice(f"@go:listing_view:{listing_id}"))
    (image,) = [r for r in replies if isinstance(r, ImageReply)]
    assert image.url_or_file_id == ""  # a Telegram file_id means nothing elsewhere
    assert (image.content, image.mime_type, image.file_name) == (JPEG, "image/jpeg", "pellets.jpg")
    assert image.path.endswith(".jpg") and Path(image.path).is_absolute()
    out = io.StringIO()
    offline_terminal("bob", tmp_path, out).render(replies)
    assert f"🖼 pellets.jpg: {image.path}" in out.getvalue()
