"""Support across channels, end to end: a Telegram seller in the middle of the listing form asks
for help (the real python-telegram-bot application against a fake Bot API), gets no useful
suggestion and opens a ticket that says where they were; an admin on Slack (signed requests into
the real slack-bolt app) answers from chat; the seller answers back on Telegram; the admin
closes; the seller rates the answer and continues the listing with their answers intact."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.support.tables import SupportTicket
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER
from tests.tickets.helpers import with_admins

QUESTION = "The export button does nothing whatsoever"


@pytest.mark.journey
async def test_a_telegram_seller_asks_from_the_listing_form_and_a_slack_admin_answers(world):
    app = world.app
    await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                     roles=("seller",), display_name="Sam", country="LV", city="Riga")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="EE", city="Tallinn")
    await with_admins(app, f"slack:T0AGORA:{SLACK_USER}")

    # Sam is in the listing form, the quantity answered, when he asks for help.
    await world.sam.say("/sell", "Product type")
    await world.sam.tap("Wood pellets", "Quantity available")
    await world.sam.say("500 t", "Price per unit")
    await world.sam.say("/support", "What do you need help with?")
    await world.sam.say(QUESTION, "I've opened ticket #1")
    async with app.uow() as uow:
        [ticket] = (await uow.session.execute(select(SupportTicket))).scalars()
        assert ticket.channel == "telegram"
        assert ticket.context == {"flow": "listing", "where": "a new listing",
                                  "step": "details", "question": "Price per unit"}

    # Bob, an admin on Slack, is told and answers from chat.
    notice = await world.bob_sees("New support ticket #1 from Sam (telegram)")
    assert "in a new listing, step details — Price per unit" in str(notice)
    await world.bob_presses("Reply")
    await world.bob_sees("Type your answer to Sam")
    await world.bob.dm("Try it again now: we fixed the button.")
    await _settle()
    await world.bob_sees("Sent.")

    # Sam reads the answer on Telegram and writes back.
    mark = world.telegram.mark()
    answer = await world.sam_told("Agora support answered your ticket #1", mark)
    assert "we fixed the button" in answer
    await world.sam.tap("Answer", "Type your message for Agora support")
    await world.sam.say("It works now, thank you!", "Sent to Agora support")

    # Bob sees it, opens the ticket and closes it; Sam rates the answer.
    await world.bob_sees("It works now, thank you!")
    await world.bob_presses("Open ticket #1")
    await world.bob_sees("answered — waiting for the user")
    await world.bob_presses("Close")
    await world.bob_sees("Ticket #1 closed")
    mark = world.telegram.mark()
    await world.sam_told("closed your ticket #1", mark)
    await world.sam.tap("★★★★★", "you rated the answer ★★★★★")

    # Sam continues the listing where he left it: the quantity is still 500 t.
    await world.sam.tap("Continue", "Price per unit")
    await world.sam.say("230", "Fixed price or open to offers")
    await world.sam.tap("Fixed price", "Where")
    async with app.uow() as uow:
        [ticket] = (await uow.session.execute(select(SupportTicket))).scalars()
        assert (ticket.status, ticket.rating) == ("closed", 5)
    await world.sam.say("/start", "You were in the middle of a new listing")
    await world.sam.tap("Continue where I left off", "Where")
    await world.sam.tap("Back", "Fixed price or open to offers")
    await world.sam.tap("Back", "Price per unit")
    await world.sam.tap("Back", "500")
