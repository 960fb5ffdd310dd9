"""Who is using the Telegram Mini App: every request of its pages carries the `initData`
Telegram handed the app (`Authorization: tma <initData>`), checked by its HMAC with the bot
token and its age (bots.telegram.init_data) before anything else is read. There is no login of
our own and no cookie: the signed data is the session, so a forged, altered or stale request
is refused whatever it asks for. The person is the Agora account of that Telegram user, read
in their own language and number format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from bots.telegram.init_data import MiniAppUser, Refused, verify
from bots.web.deps import ContainerDep
from core.accounts.service import find_account
from core.accounts.tables import Account
from core.money.reading import read_for

SCHEME = "tma"  # the Authorization scheme Telegram's documentation uses for initData
CHANNEL = "telegram"


class NotSignedIn(HTTPException):
    """The request has no initData Telegram signed for this bot now: the app must be reopened."""

    def __init__(self, why: str) -> None:
        super().__init__(status_code=401, detail=why,
                         headers={"WWW-Authenticate": SCHEME})


@dataclass(frozen=True)
class MiniAppPerson:
    telegram: MiniAppUser
    account: Account | None  # None: this Telegram user has not set up Agora in the chat yet

    @property
    def account_id(self) -> int | None:
        return self.account.id if self.account is not None else None


def init_data_of(request: Request) -> str:
    scheme, __, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == SCHEME else ""


async def mini_app_person(request: Request, container: ContainerDep) -> MiniAppPerson:
    """The signed-in person of this request, or 401 (`NotSignedIn`)."""
    token = container.settings.telegram_token
    if not token:  # no bot, no Mini App
        raise HTTPException(status_code=404)
    try:
        person = verify(init_data_of(request), token, container.clock.now())
    except Refused as exc:
        raise NotSignedIn(str(exc)) from exc
    async with container.uow() as uow:
        account = await find_account(uow, CHANNEL, str(person.telegram_id))
        if account is not None:
            uow.session.expunge(account)  # read after the transaction, never written through
    read_for(account or _Visitor(person.language_code))
    return MiniAppPerson(person, account)


@dataclass(frozen=True)
class _Visitor:
    """Someone not registered yet: their Telegram app's language."""

    language: str | None
    country: str | None = None


PersonDep = Annotated[MiniAppPerson, Depends(mini_app_person)]


class NotRegistered(Exception):
    """A screen for members asked by someone who has not set up Agora in the chat yet; the
    Mini App answers with the screen that sends them there (`screens.install`)."""


@dataclass(frozen=True)
class Registered:
    """A signed-in person who has set up Agora: their Telegram user and their account."""

    telegram: MiniAppUser
    account: Account


async def registered_person(person: PersonDep) -> Registered:
    """The signed-in person, who must have an account (`NotRegistered` otherwise)."""
    if person.account is None:
        raise NotRegistered
    return Registered(person.telegram, person.account)


MemberDep = Annotated[Registered, Depends(registered_person)]
