"""Email verification rules, profile editing and linking identities across channels.

In a chat in memory (the accounts' book in memory: tests/accounts/in_memory.py; the codes read
from what the turns emitted), with a journey of each on the database (`app`): a new address's
code delivered by email, and a linked identity's rows."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account, Identity
from tests.accounts.in_memory import account_chat
from tests.support.chat import ChatUser
from tests.support.registration import finish_registration, last_code, register_until_code


async def test_a_wrong_code_uses_up_an_attempt_until_none_are_left():
    user = ChatUser(account_chat(), "ann")
    await register_until_code(user)
    for left in (4, 3, 2, 1):
        await user.say("000000")
        assert f"{left} attempt(s) left" in user.texts()
    await user.say("000000")
    assert "Too many wrong codes" in user.texts()
    await user.say(await last_code(user.app, None))
    assert "Too many wrong codes" in user.texts()


async def test_an_expired_code_is_refused_and_a_new_one_works(clock):
    user = ChatUser(account_chat(clock), "ann")
    await register_until_code(user)
    old = await last_code(user.app, None)
    clock.advance(minutes=16)
    await user.say(old)
    assert "expired" in user.texts()
    await user.tap("Send a new code")
    new = await last_code(user.app, None)
    await user.say(old if old != new else "999999")
    assert "Email verified" not in user.texts()
    await user.say(new)
    assert "Email verified" in user.texts()


async def test_a_code_that_is_not_six_digits_costs_no_attempt():
    user = ChatUser(account_chat(), "ann")
    await register_until_code(user)
    await user.say("12ab")
    assert "The code is 6 digits" in user.texts()


async def test_changing_the_email_during_verification_sends_a_new_code(user, mailbox):
    await register_until_code(user)
    await user.tap("Change email")
    await user.say("new@example.com")
    await last_code(user.app, mailbox)
    assert mailbox.sent[-1][0] == "new@example.com"
    await user.say(await last_code(user.app, mailbox))
    assert "Email verified" in user.texts()


async def test_the_profile_can_be_viewed_and_a_field_edited():
    user = ChatUser(account_chat(), "ann")
    await register_until_code(user)
    await finish_registration(user)
    await user.say("/profile")
    assert "Ann · Baltic Pellets" in user.texts()
    await user.tap("Edit company")
    await user.say("Nordic Biomass AB")
    assert "Saved" in user.texts()
    assert "Ann · Nordic Biomass AB" in user.texts()


async def test_a_telegram_user_links_a_slack_identity_and_sees_the_same_profile(app, mailbox):
    tg = ChatUser(app, "1001", channel="telegram")
    await register_until_code(tg)
    await finish_registration(tg, mailbox)
    slack = ChatUser(app, "T1:U1", channel="slack", chat_id="U1")
    await slack.say("/link")
    code = slack.texts().split("Your link code: ")[1].split()[0]
    await tg.say(f"/link {code}")
    assert "Linked" in tg.texts()
    await slack.say("/profile")
    assert "Ann · Baltic Pellets" in slack.texts()
    assert "Linked chats: slack, telegram" in slack.texts()
    async with app.uow() as uow:
        identities = (await uow.session.execute(select(Identity))).scalars().all()
        accounts = (await uow.session.execute(select(Account))).scalars().all()
        assert len(accounts) == 1
        assert {(i.channel, i.account_id) for i in identities} == {
            ("telegram", accounts[0].id), ("slack", accounts[0].id)}


async def test_linking_works_from_the_registered_side_too():
    chat = account_chat()
    tg = ChatUser(chat, "1001", channel="telegram")
    await register_until_code(tg)
    await tg.say("/link")
    code = tg.texts().split("Your link code: ")[1].split()[0]
    slack = ChatUser(chat, "T1:U1", channel="slack", chat_id="U1")
    await slack.say(f"/link {code}")
    assert "Linked" in slack.texts()
    await slack.say("/link " + code)
    assert "unknown or has expired" in slack.texts()


async def test_a_link_code_cannot_be_used_on_the_same_identity():
    user = ChatUser(account_chat(), "ann")
    await register_until_code(user)
    await user.say("/link")
    code = user.texts().split("Your link code: ")[1].split()[0]
    await user.say(f"/link {code}")
    assert "from your *other* account" in user.texts()
