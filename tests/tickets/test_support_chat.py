"""/support in chat (the terminal driver; Telegram and Slack render the same replies): answers
from the help first, a ticket with where the person was, the flow they were in kept to continue,
the Support button under errors, and bad input, stale buttons and other people's tickets
refused politely."""

from __future__ import annotations

from sqlalchemy import select

from conversations.engine import APOLOGY
from conversations.messages import Choice, FileUpload, Text
from core.catalog.tables import Listing
from core.support.tables import SupportTicket
from tests.catalog.helpers import answer_form
from tests.support.chat import ChatUser
from tests.tickets.helpers import opened, people

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


async def test_an_article_that_answers_it_opens_no_ticket_and_offers_to_continue(app):
    ann = await in_the_listing_form(app)
    await ann.say("/support how does escrow protect my payment")
    assert "💡 How does escrow protect me?" in ann.texts()
    await ann.tap("This answers it")
    assert "Glad that helped" in ann.texts() and await tickets(app) == []
    await ann.tap("Continue where I left off")
    assert "Price per unit?" in ann.texts()


async def test_still_needing_help_after_the_suggestions_opens_the_ticket(app):
    await people(app)
    ann = ChatUser(app, "ann")
    await ann.say("/support")
    await ann.say("my payout never arrived in the bank")
    assert "How do I get paid?" in ann.texts()
    await ann.tap("Still need help")
    assert "I've opened ticket #1" in ann.texts()
    assert "Continue where I left off" not in ann.labels()  # nothing was put aside
    [ticket] = await tickets(app)
    assert ticket.context == {}


async def test_an_error_reply_has_a_support_button_that_carries_where_it_happened(app):
    ann = await in_the_listing_form(app)
    await ann.say("two hundred")
    assert "must be a number" in ann.texts() and "🆘 Support" in ann.labels()
    assert ann.button("Support").data == "@do:support:error"
    await ann.tap("Support")
    assert "error: “Price per unit must be a number" in ann.texts()
    await ann.say(NO_ANSWER)
    [ticket] = await tickets(app)
    assert ticket.context["step"] == "details"
    assert ticket.context["error"].startswith("Price per unit must be a number")
    await ann.tap("Continue where I left off")
    assert "Price per unit?" in ann.texts()


async def test_errors_outside_any_flow_and_refusals_carry_the_button_too(app):
    await people(app)
    ann = ChatUser(app, "ann")
    await ann.say("/nosuchcommand")
    assert "I don't know the command" in ann.texts() and "🆘 Support" in ann.labels()
    await ann.say("/tickets")
    assert "support operators" in ann.texts() and "🆘 Support" in ann.labels()


async def test_a_crash_apologises_with_a_support_button_about_where_the_person_is(app,
                                                                                  monkeypatch):
    ann = await in_the_listing_form(app)

    async def broken(*args: object) -> None:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(app.engine, "_route", broken)
    await ann.say("230")
    assert APOLOGY in ann.texts() and ann.button("Support").data == "@do:support:"
    monkeypatch.undo()
    await ann.tap("Support")
    assert "where you were: in a new listing, step details — Price per unit" in ann.texts()


async def test_support_asks_again_with_a_specific_message_for_each_bad_question(app):
    await people(app)
    ann = ChatUser(app, "ann")
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
    [ticket] = await tickets(app)
    assert "\x00" not in ticket.question


async def test_someone_elses_ticket_and_stale_buttons_are_refused_politely(app):
    ann, _, _ = await people(app)
    number = await opened(app, ann)
    eve = ChatUser(app, "eve")
    await eve.send(Choice(f"@do:my_ticket:{number}"))
    assert "That ticket doesn't exist." in eve.texts()
    await eve.send(Choice(f"@do:my_ticket:close:{number}"))
    assert "That ticket doesn't exist." in eve.texts()
    await eve.send(Choice(f"@do:handle_ticket:reply:{number}"))
    assert "support operators" in eve.texts()
    await eve.send(Choice("@do:my_ticket:rate:99999999999999999999:5"))
    assert "Which ticket?" in eve.texts()
    owner = ChatUser(app, "ann")
    await owner.say("/support")
    old = owner.button(f"#{number}").data
    await owner.say("/menu")
    await owner.send(Choice(old))
    assert "no longer active" in owner.texts()


async def test_a_person_answers_closes_and_rates_from_the_support_list(app):
    ann, _, _ = await people(app)
    number = await opened(app, ann)
    operator = ChatUser(app, "root")
    await operator.send(Choice(f"@do:handle_ticket:reply:{number}"))
    await operator.say("Please try again now.")
    user = ChatUser(app, "ann")
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
    [ticket] = await tickets(app)
    assert (ticket.status, ticket.rating) == ("closed", 4)
