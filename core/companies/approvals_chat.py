"""Where a company's approval cards go: each approver's DM, or a team chat an admin chooses
(a Slack channel the approvers read), so a team decides in one place and sees who decided.

A chat is named "channel:address" ("slack:C0123"). Its cards are written in the language of
the admin who chose it, its amounts in the company's billing country's format; approvers who
cannot read that chat (no identity on its channel) still get their cards by DM."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import SimpleNamespace

from core.companies.events import ApprovalsChatChosen
from core.companies.roster import Roster
from core.companies.seats import CompanyView, allowed
from core.companies.sql_roster import roster_of
from core.errors import DomainError
from core.i18n import _
from core.i18n import language_of as _language
from core.money.reading import reading
from core.notifications.postbox import postbox_of
from core.storage.uow import UnitOfWork

# A picker's reference to a chat: its channel's name, then the chat's id on that channel.
_CHAT = re.compile(r"^(?P<channel>[a-z]{2,16}):(?P<address>[A-Za-z0-9_-]{1,60})$")


@dataclass(frozen=True)
class Chat:
    """A team chat cards are posted in."""

    channel: str
    address: str
    language: str

    @property
    def name(self) -> str:
        return f"{self.channel}:{self.address}"


def parsed(chat: str) -> tuple[str, str]:
    """("slack", "C0123") of "slack:C0123"; DomainError for anything else."""
    found = _CHAT.match(chat or "")
    if found is None:
        raise DomainError(_("Please pick a channel."))
    return found["channel"], found["address"]


async def choose(uow: UnitOfWork | Roster, actor_id: int, chat: str | None, language: str
                 ) -> CompanyView:
    """An admin sends the company's approval cards to `chat` ("slack:C0123"), written in
    `language`; None sends them to each approver's DM again."""
    roster = roster_of(uow)
    company = allowed(await roster.seat(actor_id), "manage").company
    if chat is not None:
        parsed(chat)
    if company.approvals_chat == chat:
        return company
    routed = await roster.route_approvals(company.id, chat, _language(language) if chat else None)
    await roster.audit(company.id, actor_id, "approvals_chat", chat or "dm")
    roster.emit(ApprovalsChatChosen(company.id, chat))
    return routed


def chat_of(company: CompanyView | None) -> Chat | None:
    """The team chat this company's approval cards go to, or None (approvers' DMs)."""
    if company is None or not company.approvals_chat:
        return None
    channel, address = parsed(company.approvals_chat)
    return Chat(channel, address, company.approvals_language or "en")


async def reads_chat(uow: UnitOfWork, account_id: int, chat: Chat) -> bool:
    """Whether this person is on the chat's channel (so reads the team chat there): one of
    the chats the outbox reaches them in is on it."""
    return any(found.channel == chat.channel for found in await postbox_of(uow).chats(account_id))


def written_for(company: CompanyView, chat: Chat) -> AbstractContextManager[str]:
    """Words in the chat's language, amounts in the company's country's format (its billing
    details are given whole, core.companies.billing)."""
    country = company.billing.country if company.billing is not None else None
    return reading(SimpleNamespace(language=chat.language, country=country))
