"""Channels that show a whole form at once (Slack modals) get one form and field errors. The form
as shown, an old one refused and a submission's field errors are the engine's alone (in memory:
`chat`); a valid submission registers in the accounts' book in memory (tests/accounts/in_memory.py;
registration's journey on the database: tests/test_registration_flow.py)."""

from __future__ import annotations

from conversations.messages import FormErrors, FormReply
from tests.accounts.in_memory import account_chat
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
    # Nothing is saved: nobody is registered (the chat's accounts' book keeps its members here).
    assert chat.turns.members == {}


async def test_a_valid_form_registers_and_asks_for_the_code():
    chat = account_chat()  # registered in the accounts' book in memory
    slack = ChatUser(chat, "T1:U1", channel="slack", chat_id="U1", forms=True)
    await slack.say("/start")
    await slack.submit(GOOD)
    assert "6-digit code" in slack.texts()
    await slack.say(await last_code(chat, None))
    assert "Email verified" in slack.texts()


async def test_a_submission_of_an_old_form_is_refused(chat):
    slack = ChatUser(chat, "T1:U1", channel="slack", chat_id="U1", forms=True)
    await slack.say("/start")
    old = slack.last
    await slack.say("/help")
    slack.last = old
    await slack.submit(GOOD)
    assert "no longer active" in slack.texts()
