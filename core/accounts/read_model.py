"""The member's read model (DESIGN 18): a frozen snapshot of their account, built from the row
by core so no table row passes the seam. A leaf the accounts' book (core.accounts.book) and
its use cases both read; core.accounts.member names it for everyone else."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from core.accounts.tables import Account
from core.storage.tables import table_of


@dataclass(frozen=True)
class Member:
    """Who someone is and how they read Agora: name, contact, place, language, zone, currency,
    notification choices and standing. Satisfies `core.money.reading.Reader`."""

    id: int
    display_name: str
    company: str | None
    email: str | None
    email_verified_at: datetime | None
    roles: tuple[str, ...]  # self-chosen (core.accounts.model.Role); admin is kept elsewhere
    interests: tuple[str, ...]
    country: str | None
    city: str | None
    latitude: float | None
    longitude: float | None
    language: str
    timezone: str
    currency: str
    notify_channel: str | None
    quiet_start: str | None  # "22:00", local time
    quiet_end: str | None
    weekly_picks: bool
    suspended_at: datetime | None
    suspension_reason: str | None
    # Their own billing details as given (core.accounts.billing.from_account reads them).
    billing_name: str | None
    billing_street: str | None
    billing_postcode: str | None
    billing_town: str | None
    billing_country: str | None
    vat_id: str | None
    vat_rate: str | None
    phone: str | None = None  # a seller's, for its XRechnungs' contact
    carbon_public: bool = False  # their CO₂e avoided shown on their public profile (opt-in)
    # What they accept as a seller (core.accounts.accepted); empty: not chosen, everything.
    currencies: tuple[str, ...] = ()
    payment_methods: tuple[str, ...] = ()


def member_of(account: Account) -> Member:
    """The read model of an account's row."""
    return Member(
        id=account.id, display_name=account.display_name, company=account.company,
        email=account.email, email_verified_at=account.email_verified_at,
        roles=tuple(account.roles or ()), interests=tuple(account.interests or ()),
        country=account.country, city=account.city, latitude=account.latitude,
        longitude=account.longitude, language=account.language, timezone=account.timezone,
        currency=account.currency, notify_channel=account.notify_channel,
        quiet_start=account.quiet_start, quiet_end=account.quiet_end,
        weekly_picks=account.weekly_picks, suspended_at=account.suspended_at,
        suspension_reason=account.suspension_reason, billing_name=account.billing_name,
        billing_street=account.billing_street, billing_postcode=account.billing_postcode,
        billing_town=account.billing_town, billing_country=account.billing_country,
        vat_id=account.vat_id, vat_rate=account.vat_rate,
        phone=account.phone,
        carbon_public=bool(account.carbon_public),
        currencies=tuple(account.currencies or ()),
        payment_methods=tuple(account.payment_methods or ()))


# The account's columns a Member is made of, for a read that needs no row of the session (the
# readers of a transaction's notices: core.notifications.outbox).
MEMBER_COLUMNS = tuple(table_of(Account).c[field.name] for field in fields(Member))
_LISTS = ("roles", "interests", "currencies", "payment_methods")


def member_of_columns(values: tuple[Any, ...]) -> Member:
    """The read model from the values of `MEMBER_COLUMNS`, in their order."""
    found = dict(zip((column.key for column in MEMBER_COLUMNS), values, strict=True))
    for name in _LISTS:
        found[name] = tuple(found[name] or ())
    return Member(**found)
