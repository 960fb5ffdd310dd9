"""Accounts made straight through the core service, for tests that don't need the chat."""

from __future__ import annotations

from typing import Any

from config.container import Container
from core.accounts import service as accounts
from core.accounts.tables import Account
from core.operators.tables import OperatorRole
from core.storage.uow import UnitOfWork


async def registered(app: Container, name: str, *, channel: str = "terminal",
                     roles: tuple[str, ...] | list[str] = ("buyer",), address: str | None = None,
                     email: str | None = None, **profile: Any) -> Account:
    """A committed account with one identity; `profile` holds further Registration fields."""
    async with app.uow() as uow:
        who = accounts.ChannelIdentity(channel, name, address or name)
        display = profile.pop("display_name", name.split(":")[-1].title())
        account = await accounts.register(uow, who, accounts.Registration(
            display_name=display, email=email or f"{name.split(':')[-1].lower()}@example.com",
            roles=list(roles), **profile))
        await uow.commit()
        return account


async def account_id(app: Container, name: str, channel: str = "terminal") -> int:
    """The id of the account behind chat name `name` on `channel`."""
    async with app.uow() as uow:
        account = await accounts.find_account(uow, channel, name)
        assert account is not None, name
        return account.id


async def person_in(uow: UnitOfWork, name: str, *, roles: tuple[str, ...] = ("buyer",),
                    operator: str | None = None, **profile: Any) -> int:
    """An account registered inside `uow`'s open transaction (the SQL side of a contract test:
    rolled back with the rest), on the terminal as `name` in lower case; `operator`: a console
    role granted it ("admin", "support"…). Its id."""
    key = name.lower().replace(" ", ".")
    account = await accounts.register(uow, accounts.ChannelIdentity("terminal", key, key),
                                      accounts.Registration(display_name=name,
                                                            email=f"{key}@example.com",
                                                            roles=list(roles), **profile))
    if operator:
        uow.add(OperatorRole(account_id=account.id, role=operator, granted_at=uow.clock.now()))
    await uow.session.flush()
    return account.id
