"""A photo uploaded on one channel shows on another channel (here: the terminal)."""

from __future__ import annotations

import io
from pathlib import Path

from bots.terminal import TerminalChat
from conversations.messages import Choice, ImageReply
from core.catalog import media
from tests.catalog.helpers import make_account, publish
from tests.support.chat import ChatUser

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4


async def test_a_telegram_photo_is_shown_in_the_terminal_by_file_name_and_stored_path(app):
    listing_id = await publish(app, await make_account(app, "sam"))
    async with app.uow() as uow:
        await media.attach(uow, app.engine.services.files, listing_id, kind="photo",
                           name="pellets.jpg", mime="image/jpeg", data=JPEG,
                           channel_ref="telegram:P1s1280")
        await uow.commit()
    await make_account(app, "bob", roles=("buyer",))
    bob = ChatUser(app, "bob")
    replies = await bob.send(Choice(f"@go:listing_view:{listing_id}"))
    (image,) = [r for r in replies if isinstance(r, ImageReply)]
    assert image.url_or_file_id == ""  # a Telegram file_id means nothing elsewhere
    assert (image.content, image.mime_type, image.file_name) == (JPEG, "image/jpeg", "pellets.jpg")
    assert image.path.endswith(".jpg") and Path(image.path).is_absolute()
    out = io.StringIO()
    TerminalChat(app, "bob", io.StringIO(), out).render(replies)
    assert f"🖼 pellets.jpg: {image.path}" in out.getvalue()
