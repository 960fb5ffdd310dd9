"""Users as operators see them: search by name, email or company, and one person's profile
with their listings, deals and bookings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from core.accounts.tables import Account, Identity
from core.catalog.tables import Listing
from core.consulting.tables import Booking
from core.deals.tables import Deal
from core.errors import NotFound
from core.i18n import _
from core.operators.roles import require, roles_of
from core.storage.uow import UnitOfWork

FOUND_AT_MOST = 50


@dataclass
class UserFile:
    account: Account
    identities: list[Identity]
    console_roles: frozenset[str]
    listings: list[Listing]
    deals: list[Deal]
    bookings: list[Booking]


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search(uow: UnitOfWork, operator_id: int, text: str) -> list[Account]:
    """Accounts whose name, email or company contains `text` (newest first; all when empty)."""
    await require(uow, operator_id, "view_users")
    stmt = select(Account).order_by(Account.id.desc()).limit(FOUND_AT_MOST)
    text = " ".join(text.split())[:100]
    if text:
        pattern = _like(text)
        stmt = stmt.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in
                                (Account.display_name, Account.email, Account.company))))
    return list((await uow.session.execute(stmt)).scalars())


async def user_file(uow: UnitOfWork, operator_id: int, account_id: int) -> UserFile:
    """One person: profile, channels, console roles, listings, deals and bookings."""
    await require(uow, operator_id, "view_users")
    account = await uow.get(Account, account_id)
    if account is None:
        raise NotFound(_("There is no such account."))

    async def rows(stmt: object) -> list:
        return list((await uow.session.execute(stmt)).scalars())  # type: ignore[call-overload]

    return UserFile(
        account=account,
        identities=await rows(select(Identity).where(Identity.account_id == account_id)),
        console_roles=await roles_of(uow, account_id),
        listings=await rows(select(Listing).where(Listing.seller_id == account_id)
                            .order_by(Listing.id.desc()).limit(FOUND_AT_MOST)),
        deals=await rows(select(Deal).where(or_(Deal.buyer_id == account_id,
                                                Deal.seller_id == account_id))
                         .order_by(Deal.id.desc()).limit(FOUND_AT_MOST)),
        bookings=await rows(select(Booking).where(or_(Booking.seeker_id == account_id,
                                                      Booking.consultant_id == account_id))
                            .order_by(Booking.id.desc()).limit(FOUND_AT_MOST)))
