"""A terminal chat prints each notice due before it reads the next line, and leaves none
half-sent when it quits: the background poll and the delivery after each line take turns."""

from __future__ import annotations

import asyncio
import io

from sqlalchemy import select

from bots.terminal import TerminalChat
from core.notifications.delivery import Attachment
from core.notifications.outbox import notify
from core.notifications.tables import OutboxMessage
from tests.support.accounts import registered


async def test_a_notice_the_poll_is_delivering_prints_before_the_next_line_is_read(app):
    ann = await registered(app, "ann", display_name="Ann")

    async def drawn_slowly(key: str) -> Attachment:  # a document still being drawn
        await asyncio.sleep(0.5)
        return Attachment("waybill.pdf", b"%PDF waybill", "application/pdf")

    app.attachments["waybill"] = drawn_slowly
    async with app.uow() as uow:
        await notify(uow, ann.id, "Your pellets are on the way.",
                     attachment={"kind": "waybill", "key": "1"})
        await uow.commit()
    out = io.StringIO()
    chat = TerminalChat(app, "ann", io.StringIO("/menu\n"), out)
    chat.poll_every = 0  # the poll looks at once, while the first line is being answered
    await chat.run()

    printed = out.getvalue()
    assert "🔔 Your pellets are on the way." in printed and "📎 waybill.pdf" in printed
    # Before the answer to the line typed next: the second menu comes after the notice.
    assert printed.index("on the way") < printed.rindex("👤 Profile")
    async with app.uow() as uow:
        statuses = (await uow.session.execute(select(OutboxMessage.status).where(
            OutboxMessage.account_id == ann.id))).scalars().all()
    assert statuses and set(statuses) == {"sent"}  # none left "sending" when the chat quit
