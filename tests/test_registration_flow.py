"""Registration through the engine, one question at a time (as on Telegram and the terminal):
the journey on the database (`app`), what else it keeps in a chat in memory (the accounts' book
in memory: tests/accounts/in_memory.py)."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account, Identity
from tests.accounts.in_memory import account_chat, member_in
from tests.support.chat import ChatUser
from tests.support.registration import last_code, register_until_code


async def register(user: ChatUser, mailbox) -> None:
    await register_until_code(user, "Ann Bērziņa", "Baltic Pellets SIA",
                              roles=("Seller", "Buyer"), interests=("Wood pellets",))
    await user.say(await last_code(user.app, mailbox))
    assert "Email verified" in user.texts()


async def test_a_new_user_registers_verifies_email_and_takes_the_tour(user, mailbox, app):
    await register(user, mailbox)
    assert "As a seller you list" in user.texts() and "As a buyer you search" in user.texts()
    assert "You're all set! Notifications come here on terminal" in user.texts()
    assert "Main menu" in user.texts()
    await user.tap("Change notification settings")  # offered, not asked
    assert "Where should we notify you" in user.texts()
    await user.tap("Keep")
    await user.say("22:00-07:00")
    await user.tap("Keep")
    await user.tap("Keep")
    await user.tap("Keep")
    await user.tap("Keep")  # the weekly picks
    await user.tap("Keep")  # the carbon figure on the public profile (off)
    assert "Preferences saved" in user.texts()
    async with app.uow() as uow:
        account = (await uow.session.execute(select(Account))).scalar_one()
        identity = (await uow.session.execute(select(Identity))).scalar_one()
        await uow.session.commit()
    assert account.display_name == "Ann Bērziņa"
    assert account.company == "Baltic Pellets SIA"
    assert set(account.roles) == {"seller", "buyer"}
    assert (account.country, account.city, account.timezone) == ("LV", "Riga", "Europe/Riga")
    assert account.interests == ["pellets"]
    assert account.email_verified_at is not None
    assert (account.quiet_start, account.quiet_end) == ("22:00", "07:00")
    assert account.onboarded_at is not None
    assert (identity.channel, identity.user_key) == ("terminal", "ann")


async def test_a_member_names_their_country_and_town_in_their_own_language():
    user = ChatUser(account_chat(), "ann")
    await register_until_code(user, "Jonas", "Bayern Pellets GmbH", country="Deutschland",
                              town="München")
    account = member_in(user.app, "ann")
    place = (account.country, account.city, account.timezone)
    assert place == ("DE", "Munich", "Europe/Berlin")
