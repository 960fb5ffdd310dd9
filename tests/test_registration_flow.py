"""Registration through the engine, one question at a time (as on Telegram and the terminal)."""

from __future__ import annotations

from sqlalchemy import select

from core.storage.tables import Account, Identity
from tests.conftest import last_code
from tests.support.chat import ChatUser


async def register(user: ChatUser, mailbox, *, email: str = "ann@example.com") -> None:
    await user.say("/start")
    await user.say("Ann Bērziņa")
    await user.say("Baltic Pellets SIA")
    await user.say(email)
    await user.tap("Seller")
    await user.tap("Buyer")
    await user.tap("Done")
    await user.say("Latvia")
    await user.say("Riga")
    await user.tap("Wood pellets")
    await user.tap("Done")
    assert "6-digit code" in user.texts()
    await user.say(await last_code(user.app, mailbox))
    assert "Email verified" in user.texts()


async def test_a_new_user_registers_verifies_email_and_takes_the_tour(user, mailbox, app):
    await register(user, mailbox)
    assert "Quick tour 1/2" in user.texts()
    await user.tap("Next")
    assert "Quick tour 2/2" in user.texts()
    await user.tap("Next")
    assert "Where should we notify you" in user.texts()
    await user.tap("Terminal")
    await user.say("22:00-07:00")
    await user.say("Europe/Riga")
    await user.tap("EUR")
    await user.tap("English")
    assert "You're all set" in user.texts()
    assert "Main menu" in user.texts()
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
