"""/support in chat with no database anywhere: the real flows through the engine in memory,
the tickets' use cases on the in-memory desk and the listing form's on the in-memory stock
(core.storage.stores hands each flow's calls the chat's fakes). Answers from the help first, a
ticket with where the person was, the flow they were in kept to continue, the Support button
under errors, and bad input, stale buttons and other people's tickets refused politely. The
journeys on the database (a ticket from inside the listing form, whose draft needs the
database's policy; answering, closing and rating): test_support_chat.py."""

from __future__ import annotations

from conversations.engine import APOLOGY
from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import Choice, FileUpload
from core.catalog.stock import Stock
from core.support import service as support
from core.support.desk import Desk
from core.support.views import TicketCard
from tests.catalog.fakes import MemoryStock
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat
from tests.tickets.fakes import ANN, EVE, ROOT, MemoryDesk, staffed

NO_ANSWER = "The export button does nothing whatsoever"


def helpdesk() -> tuple[MemoryChat, MemoryDesk, MemoryStock]:
    """Ann (a seller) asks, Root operates, Eve is someone else, in a chat whose tickets are
    the desk returned and whose listings the stock."""
    desk, stock = staffed(), MemoryStock()
    chat = MemoryChat(ALL_FLOWS, stores={Desk: desk, Stock: stock})
    for key, name, roles, account_id in (("ann", "Ann", ("seller",), ANN),
                                         ("root", "Root", ("buyer",), ROOT),
                                         ("eve", "Eve", ("buyer",), EVE)):
        chat.turns.register("terminal", key, name, roles=roles, account_id=account_id)
    return chat, desk, stock


async def in_the_listing_form(chat: MemoryChat) -> ChatUser:
    """Ann has answered the product type and the quantity; the price is asked."""
    ann = ChatUser(chat, "ann")
    await ann.say("/sell")
    await ann.tap("Wood pellets")
    await ann.say("500 t")
    assert "Price per unit?" in ann.texts()
    return ann


def tickets(desk: MemoryDesk) -> list[TicketCard]:
    return [desk.tickets[number] for number in sorted(desk.tickets)]


async def test_an_article_that_answers_it_opens_no_ticket_and_offers_to_continue():
    chat, desk, _ = helpdesk()
    ann = await in_the_listing_form(chat)
    await ann.say("/support how does escrow protect my payment")
    assert "💡 How does escrow protect me?" in ann.texts()
    await ann.tap("This answers it")
    assert "Glad that helped" in ann.texts() and tickets(desk) == []
    await ann.tap("Continue where I left off")
    assert "Price per unit?" in ann.texts()


async def test_still_needing_help_after_the_suggestions_opens_the_ticket():
    chat, desk, _ = helpdesk()
    ann = ChatUser(chat, "ann")
    await ann.say("/support")
    await ann.say("my payout never arrived in the bank")
    assert "How do I get paid?" in ann.texts()
    await ann.tap("Still need help")
    assert "I've opened ticket #1" in ann.texts()
    assert "Continue where I left off" not in ann.labels()  # nothing was put aside
    [ticket] = tickets(desk)
    assert ticket.context.as_json() == {}


async def test_an_error_reply_has_a_support_button_that_carries_where_it_happened():
    chat, desk, _ = helpdesk()
    ann = await in_the_listing_form(chat)
    await ann.say("two hundred")
    assert "must be a number" in ann.texts() and "🆘 Support" in ann.labels()
    assert ann.button("Support").data == "@do:support:error"
    await ann.tap("Support")
    assert "error: “Price per unit must be a number" in ann.texts()
    await ann.say(NO_ANSWER)
    [ticket] = tickets(desk)
    assert ticket.context.step == "details"
    assert ticket.context.error.startswith("Price per unit must be a number")
    await ann.tap("Continue where I left off")
    assert "Price per unit?" in ann.texts()


async def test_errors_outside_any_flow_and_refusals_carry_the_button_too():
    chat, _, _ = helpdesk()
    ann = ChatUser(chat, "ann")
    await ann.say("/nosuchcommand")
    assert "I don't know the command" in ann.texts() and "🆘 Support" in ann.labels()
    await ann.say("/tickets")
    assert "support operators" in ann.texts() and "🆘 Support" in ann.labels()


async def test_a_crash_apologises_with_a_support_button_about_where_the_person_is(monkeypatch):
    chat, _, _ = helpdesk()
    ann = await in_the_listing_form(chat)

    async def broken(*args: object) -> None:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(chat.engine, "_route", broken)
    await ann.say("230")
    assert APOLOGY in ann.texts() and ann.button("Support").data == "@do:support:"
    monkeypatch.undo()
    await ann.tap("Support")
    assert "where you were: in a new listing, step details — Price per unit" in ann.texts()


async def test_support_asks_again_with_a_specific_message_for_each_bad_question():
    chat, desk, _ = helpdesk()
    ann = ChatUser(chat, "ann")
    await ann.say("/support")
    await ann.say("   ")
    assert "empty" in ann.texts() or "type" in ann.texts().lower()
    await ann.say("help")
    assert "at least 10 characters" in ann.texts()
    await ann.say("x" * 5000)
    assert "please keep a question under 2,000" in ann.texts()
    await ann.send(FileUpload("f1", "shot.png", "image/png", 1000, "photo"))
    assert "type your question in words" in ann.texts()
    await ann.say("weird \x00\x1b[31m input\u202e that is long enough")
    assert "ticket #1" in ann.texts()
    assert "🆘 Support" not in ann.labels()  # support's own refusals don't offer support
    [ticket] = tickets(desk)
    assert "\x00" not in ticket.question


async def test_someone_elses_ticket_and_stale_buttons_are_refused_politely():
    chat, desk, _ = helpdesk()
    number = (await support.open_ticket(desk, ANN, "My payout has not arrived", None,
                                        "terminal")).id
    eve = ChatUser(chat, "eve")
    await eve.send(Choice(f"@do:my_ticket:{number}"))
    assert "That ticket doesn't exist." in eve.texts()
    await eve.send(Choice(f"@do:my_ticket:close:{number}"))
    assert "That ticket doesn't exist." in eve.texts()
    await eve.send(Choice(f"@do:handle_ticket:reply:{number}"))
    assert "support operators" in eve.texts()
    await eve.send(Choice("@do:my_ticket:rate:99999999999999999999:5"))
    assert "Which ticket?" in eve.texts()
    owner = ChatUser(chat, "ann")
    await owner.say("/support")
    old = owner.button(f"#{number}").data
    await owner.say("/menu")
    await owner.send(Choice(old))
    assert "no longer active" in owner.texts()
