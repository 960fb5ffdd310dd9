"""A consultant's own profile as they read and edit it: a frozen read model (DESIGN 18) with
the rate as Money, built by core from the row, so the profile's flow never holds the row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from core.consulting.tables import ConsultantProfile
from core.money.model import Money


@dataclass(frozen=True)
class ProfileView:
    """What the profile says, what seekers book by, and whether it is live and online."""

    account_id: int
    headline: str
    bio: str
    categories: tuple[str, ...]  # taxonomy codes
    keywords: tuple[str, ...]
    languages: tuple[str, ...]  # ISO 639-1
    photo_path: str | None  # in the FileStore
    rate_kind: str | None  # session | minute
    session_minutes: int | None  # 30 | 60 for session rates
    rate: Money | None  # per session, or per minute; None unset
    currency: str  # the rate's, kept before a rate is set (the account's at first)
    timezone: str  # IANA: the weekly hours are kept in it
    weekly_hours: Mapping[str, Any]  # {"mon": [["09:00", "12:00"]]}
    notice_minutes: int
    buffer_minutes: int
    daily_max: int
    days_off: tuple[str, ...]  # ISO dates, local
    meeting_url: str | None
    horizon_days: int  # the farthest day bookable, from today
    slot_minutes: int  # starts are offered every 15, 30 or 60 minutes
    live: bool  # in the directory
    online_until: datetime | None  # "online now" while in the future
    inspection_fee: Money | None = None  # per inspection, offering sampling and lab analysis
    countries_served: tuple[str, ...] = ()  # ISO codes, where an inspector samples


def profile_view(profile: ConsultantProfile | SimpleNamespace) -> ProfileView:
    """The read model of a profile's row (or of the same fields on a plain namespace: a profile
    not stored yet, or kept in memory)."""
    return ProfileView(
        account_id=profile.account_id, headline=profile.headline or "", bio=profile.bio or "",
        categories=tuple(profile.categories or ()), keywords=tuple(profile.keywords or ()),
        languages=tuple(profile.languages or ()), photo_path=profile.photo_path,
        rate_kind=profile.rate_kind, session_minutes=profile.session_minutes,
        rate=Money(profile.price_minor, profile.currency) if profile.price_minor else None,
        currency=profile.currency,
        timezone=profile.timezone, weekly_hours=dict(profile.weekly_hours or {}),
        notice_minutes=profile.notice_minutes, buffer_minutes=profile.buffer_minutes,
        daily_max=profile.daily_max, days_off=tuple(profile.days_off or ()),
        meeting_url=profile.meeting_url, horizon_days=profile.horizon_days,
        slot_minutes=profile.slot_minutes, live=profile.live, online_until=profile.online_until,
        inspection_fee=Money(fee, profile.currency)
        if (fee := getattr(profile, "inspection_fee_minor", None)) else None,
        countries_served=tuple(getattr(profile, "countries_served", None) or ()))


@dataclass(frozen=True)
class Listed:
    """A live consultant as the directory indexes and shows them: the profile's words, rate,
    hours and reputation, with their account's name (`core.consulting.profiles.listing`)."""

    account_id: int
    name: str
    headline: str
    bio: str
    categories: tuple[str, ...]
    keywords: tuple[str, ...]
    languages: tuple[str, ...]
    photo_path: str | None
    rate_kind: str | None
    session_minutes: int | None
    price_minor: int | None  # as kept: `service.rate_text` and `hourly_minor` read it
    currency: str
    timezone: str
    weekly_hours: dict[str, Any]
    notice_minutes: int
    buffer_minutes: int
    daily_max: int
    days_off: tuple[str, ...]
    horizon_days: int
    slot_minutes: int
    stars_total: int
    ratings: int
    sessions_completed: int


def listed(profile: ConsultantProfile | SimpleNamespace, name: str) -> Listed:
    """The directory's read model of a live profile's row (or the same fields in memory)."""
    return Listed(
        account_id=profile.account_id, name=name, headline=profile.headline or "",
        bio=profile.bio or "", categories=tuple(profile.categories or ()),
        keywords=tuple(profile.keywords or ()), languages=tuple(profile.languages or ()),
        photo_path=profile.photo_path, rate_kind=profile.rate_kind,
        session_minutes=profile.session_minutes, price_minor=profile.price_minor,
        currency=profile.currency, timezone=profile.timezone,
        weekly_hours=dict(profile.weekly_hours or {}), notice_minutes=profile.notice_minutes,
        buffer_minutes=profile.buffer_minutes, daily_max=profile.daily_max,
        days_off=tuple(profile.days_off or ()), horizon_days=profile.horizon_days,
        slot_minutes=profile.slot_minutes, stars_total=profile.stars_total,
        ratings=profile.ratings, sessions_completed=profile.sessions_completed)
