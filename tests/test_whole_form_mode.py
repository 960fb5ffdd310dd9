"""Channels that show a whole form at once (Slack modals) get one form and field errors. The form
as shown, an old one refused and a submission's field errors are the engine's alone (in memory:
`chat`); what a valid submission keeps, on the database (`app`)."""

from __future__ import annotations

from conversations.messages import FormErrors, FormReply
from tests.support.chat import ChatUser
from tests.support.registration import last_code

GOOD = {"display_name": "Ann", "company": "", "email": "ann@example.com",
        "roles": ["buyer"], "country": "Latvia", "city": "Riga", "interests": ["pellets"]}


async def test_registration_comes_as_one_form_with_every_field(chat):
    slack = ChatUser(chat, "T1:U1", channel="slack", chat_id="U1", forms=True)
    await slack.say("/start")
    form = next(r for r in slack.last if isinstance(r, FormReply))
    assert [f.name for f in form.fields] == list(GOOD)
    assert form.token


async def test_invalid_fields_come_back_as_errors_and_nothing_is_saved(chat):
    slack = ChatUser(chat, "T1:U1", channel="slack", chat_id="U1", forms=True)
    await slack.say("/start")
    await slack.submit({**GOOD, "email": "nope", "country": "Atlantis", "display_name": ""})
    (errors,) = [r for r in slack.last if isinstance(r, FormErrors)]
    assert set(errors.errors) == {"email", "country", "display_name"}
    assert "@-sign" in errors.errors["email"]
    # Nothing is saved: in memory, a step that asked core's storage would have failed loudly
    # (an apology, no field errors), and nobody is registered.
    assert chat.turns.members == {}


async def test_a_valid_form_registers_and_asks_for_the_code(app, mailbox):
    slack = ChatUser(app, "T1:U1", channel="slack", chat_id="U1", forms=True)
    await slack.say("/start")
    await slack.submit(GOOD)
    assert "6-digit code" in slack.texts()
    await slack.say(await last_code(app, mailbox))
    assert "Email verified" in slack.texts()


async def test_a_submission_of_an_old_form_is_refused(chat):
    slack = ChatUser(chat, "T1:U1", channel="slack", chat_id="U1", forms=True)
    await slack.say("/start")
    old = slack.last
    await slack.say("/help")
    slack.last = old
    await slack.submit(GOOD)
    assert "no longer active" in slack.texts()
