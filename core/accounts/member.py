"""The person acting in a conversation, as the flows read them: a frozen read model of their
account (DESIGN 18), built by core from the row, so no table row passes the seam.

It is a snapshot: a step that changes the account in core (a profile edit, a verified email,
a linked identity) takes the new one from `member_of`/`member` before it reads on."""

from __future__ import annotations

from core.accounts import service as accounts
from core.accounts.book import book_of
from core.accounts.read_model import MEMBER_COLUMNS, Member, member_of, member_of_columns
from core.accounts.service import ChannelIdentity, Registration
from core.errors import NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork

__all__ = [
    "MEMBER_COLUMNS",
    "Member",
    "channels_of",
    "find_member",
    "link",
    "member",
    "member_of",
    "member_of_columns",
    "register",
    "update",
]


async def find_member(uow: UnitOfWork, channel: str, user_key: str) -> Member | None:
    """The member behind a channel identity, if it has registered."""
    return await book_of(uow).find(channel, user_key)


async def member(uow: UnitOfWork, account_id: int) -> Member:
    """The member as they stand now (after a change made in this transaction)."""
    found = await book_of(uow).member(account_id)
    if found is None:
        raise NotFound(_("That account doesn't exist."))
    return found


# The account's changes as a conversation makes them, answered with the member they leave.


async def register(uow: UnitOfWork, who: ChannelIdentity, data: Registration) -> Member:
    """Create the account and its first identity (core.accounts.service.register)."""
    return await accounts.open_account(uow, who, data)


async def update(uow: UnitOfWork, account_id: int, **changes: object) -> Member:
    """Change profile fields (core.accounts.service.update_profile)."""
    return await accounts.update_profile(uow, account_id, **changes)


async def link(uow: UnitOfWork, who: ChannelIdentity, code: str) -> Member:
    """Join this identity to the account a link code names (redeem_link_code)."""
    return await accounts.redeem_link_code(uow, who, code)


async def channels_of(uow: UnitOfWork, account_id: int) -> list[str]:
    """The channels the member chats on, each once, sorted."""
    return await book_of(uow).channels(account_id)
