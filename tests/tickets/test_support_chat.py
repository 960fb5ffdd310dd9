"""/support in chat (the terminal driver; Telegram and Slack render the same replies): the
journey through the real stores on the database — a ticket from inside the listing form, with
where the person was, and the form going on to its draft; an operator's answer read, answered,
closed and rated from the support list with the desk and its notices in memory
(`tests/tickets/chat_fakes.py`). The flow's other rules run in memory too:
test_support_in_memory_chat.py."""

from __future__ import annotations

from sqlalchemy import select

from conversations.messages import Choice, Text
from core.catalog.tables import Listing
from core.support.tables import SupportTicket
from tests.catalog.helpers import answer_form
from tests.support.chat import ChatUser
from tests.tickets.chat_fakes import helpdesk
from tests.tickets.chat_fakes import opened as opened_in
from tests.tickets.fakes import ANN
from tests.tickets.helpers import people

NO_ANSWER = "The export button does nothing whatsoever"


async def in_the_listing_form(app) -> ChatUser:
    """Ann has answered the product type and the quantity; the price is asked."""
    await people(app)
    ann = ChatUser(app, "ann")
    await ann.say("/sell")
    await ann.tap("Wood pellets")
    await ann.say("500 t")
    assert "Price per unit?" in ann.texts()
    return ann


async def tickets(app) -> list[SupportTicket]:
    async with app.uow() as uow:
        found = list((await uow.session.execute(select(SupportTicket).order_by(
            SupportTicket.id))).scalars())
        uow.session.expunge_all()
        return found


async def test_a_ticket_from_inside_the_listing_form_says_where_and_the_form_goes_on(app):
    ann = await in_the_listing_form(app)
    await ann.say("/support")
    assert "where you were: in a new listing, step details — Price per unit" in ann.texts()
    await ann.say(NO_ANSWER)
    assert "I found nothing in the help" in ann.texts() and "ticket #1" in ann.texts()
    [ticket] = await tickets(app)
    assert ticket.context == {"flow": "listing", "where": "a new listing", "step": "details",
                              "question": "Price per unit"}
    assert (ticket.question, ticket.channel) == (NO_ANSWER, "terminal")
    await ann.tap("Continue where I left off")
    assert "Price per unit?" in ann.texts()
    await answer_form(ann, ["230", "Fixed price", "Riga", ["Pickup"]])
    assert "Preview" in ann.texts() and "500 t" in ann.texts()
    async with app.uow() as uow:
        [quantity] = (await uow.session.execute(select(Listing.quantity_milli))).scalars()
    assert quantity == 500_000


async def test_a_person_answers_closes_and_rates_from_the_support_list():
    chat, desk, _ = helpdesk()
    number = await opened_in(chat, ANN)
    operator = ChatUser(chat, "root")
    await operator.send(Choice(f"@do:handle_ticket:reply:{number}"))
    await operator.say("Please try again now.")
    user = ChatUser(chat, "ann")
    await user.say("/support")
    await user.tap(f"#{number}")
    assert "Agora support" in user.texts() and "Please try again now." in user.texts()
    await user.tap("Answer")
    await user.send(Text("It works, thank you!"))
    assert "Sent to Agora support" in user.texts()
    await user.tap("Close the ticket")
    [four] = [b for row in user.last[-1].buttons for b in row if b.label == "★★★★"]
    await user.send(Choice(four.data))
    assert "you rated the answer ★★★★." in user.texts()
    [ticket] = desk.tickets.values()
    assert (ticket.status, ticket.rating) == ("closed", 4)
