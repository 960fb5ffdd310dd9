"""Support tickets in the console: a Telegram seller asks from inside the listing form (the real
python-telegram-bot application against a fake Bot API), an operator answers in the console, the
seller reads it on Telegram and answers back, and the operator closes it — plus the queue, a
rule broken at the answer box, and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.operators.tables import AuditEntry
from tests.console.helpers import client, post_form, root, signed_in
from tests.support.accounts import registered
from tests.support.two_channels import TELEGRAM_USER
from tests.tickets.helpers import with_admins


@pytest.mark.journey
async def test_a_ticket_from_the_telegram_listing_form_is_answered_and_closed_in_the_console(
        world):
    app = world.app
    await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                     roles=("seller",), display_name="Sam", country="LV", city="Riga")
    operator = await root(app)
    await with_admins(app, "terminal:root")

    await world.sam.say("/sell", "Product type")
    await world.sam.tap("Wood pellets", "Quantity available")
    await world.sam.say("/support", "What do you need help with?")
    await world.sam.say("The photo upload keeps spinning forever", "I've opened ticket #1")

    async with client(app) as http:
        await signed_in(app, http, operator)
        queue = await http.get("/admin/tickets")
        assert "#1" in queue.text and "The photo upload keeps spinning forever" in queue.text
        page = await http.get("/admin/tickets/1")
        assert "in a new listing" in page.text and "Quantity available" in page.text
        empty = await post_form(http, "/admin/tickets/1", "/admin/tickets/1/reply", text="")
        assert empty.status_code == 400 and 'id="text-error"' in empty.text
        sent = await post_form(http, "/admin/tickets/1", "/admin/tickets/1/reply",
                               text="Photos up to 10 MB upload; try a smaller one <b>please</b>.")
        assert sent.status_code == 303

        mark = world.telegram.mark()
        answer = await world.sam_told("Agora support answered your ticket #1", mark)
        assert "try a smaller one <b>please</b>" in answer
        await world.sam.tap("Answer", "Type your message for Agora support")
        await world.sam.say("A smaller one worked, thanks!", "Sent to Agora support")

        thread = await http.get("/admin/tickets/1")
        assert "A smaller one worked, thanks!" in thread.text
        assert "&lt;b&gt;please&lt;/b&gt;" in thread.text  # what people wrote shows as text
        closed = await post_form(http, "/admin/tickets/1", "/admin/tickets/1/close")
        assert closed.status_code == 303
        assert "Closed" in (await http.get("/admin/tickets?status=closed")).text
    mark = world.telegram.mark()
    await world.sam_told("closed your ticket #1", mark)
    async with app.uow() as uow:
        actions = list((await uow.session.execute(select(AuditEntry.action).where(
            AuditEntry.subject == "ticket:1").order_by(AuditEntry.id))).scalars())
    assert actions == ["ticket-answered", "ticket-closed"]


async def test_the_tickets_pages_refuse_a_visitor_and_say_plainly_when_a_ticket_is_missing(app):
    async with client(app) as http:
        assert (await http.get("/admin/tickets")).status_code == 403
        await signed_in(app, http, await root(app))
        assert (await http.get("/admin/tickets/999")).status_code == 404
        assert (await http.get("/admin/tickets/abc")).status_code == 404
        assert (await http.get("/admin/tickets?status=<script>")).status_code == 200
