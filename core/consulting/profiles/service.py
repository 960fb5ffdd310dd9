"""Consultants' profiles: what they offer, at what rate, when; whether they are live in the
directory (complete, and payouts set up) and “online now” (until a while after their last
activity). Every change is the consultant's own; admins may take a profile out of the directory.
A change is checked in `checks` before it is saved here."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from core.catalog.media import FileStore, keep
from core.consulting.bookings.availability import GRID_MINUTES, HORIZON_DAYS, Schedule
from core.consulting.events import ProfileChanged
from core.consulting.profiles.checks import BOUND_LABELS as BOUND_LABELS  # for the profile form
from core.consulting.profiles.checks import BOUNDS as BOUNDS  # (conversations.flows.consulting)
from core.consulting.profiles.checks import _checked
from core.consulting.profiles.roster import Member, Roster, roster_of
from core.consulting.profiles.taxonomy import PER_MINUTE_LENGTHS
from core.consulting.profiles.view import Listed, ProfileView, profile_view
from core.consulting.tables import ConsultantProfile
from core.errors import DomainError, NotAllowed, NotFound
from core.i18n import N_, _
from core.money.model import Money
from core.payments_port import PaymentsPort
from core.storage.uow import UnitOfWork

MIN_BIO = 40
EDITABLE = ("headline", "bio", "categories", "keywords", "languages", "rate_kind",
            "session_minutes", "price", "currency", "timezone", "weekly_hours", "notice_minutes",
            "buffer_minutes", "daily_max", "days_off", "meeting_url", "horizon_days",
            "slot_minutes", "inspection_fee", "countries_served")


async def get(uow: UnitOfWork, account_id: int, *, lock: bool = False) -> ConsultantProfile:
    """A consultant's profile (locked for this transaction with `lock`); NotFound if none."""
    if lock:
        profile = (await uow.session.execute(select(ConsultantProfile).where(
            ConsultantProfile.account_id == account_id).with_for_update()
            .execution_options(populate_existing=True))).scalar_one_or_none()
    else:
        profile = await uow.get(ConsultantProfile, account_id)
    if profile is None:
        raise NotFound(_("That consultant has no profile."))
    return profile


async def is_consultant(uow: UnitOfWork | Roster, account_id: int) -> bool:
    """Whether the account has a consultant's profile (live or not)."""
    return await roster_of(uow).profile(account_id) is not None


async def own_profile(uow: UnitOfWork | Roster, account_id: int) -> ProfileView:
    """A consultant's profile as they read and edit it; NotFound if none yet."""
    return await _found(roster_of(uow), account_id)


async def _found(roster: Roster, account_id: int) -> ProfileView:
    profile = await roster.profile(account_id)
    if profile is None:
        raise NotFound(_("That consultant has no profile."))
    return profile


def _starting(account_id: int, member: Member, now: datetime) -> dict[str, Any]:
    """A new profile: empty, out of the directory, in its account's zone and currency."""
    return dict(account_id=account_id, timezone=member.timezone or "UTC",
                currency=member.currency or "EUR", created_at=now, updated_at=now,
                categories=[], keywords=[], languages=[], weekly_hours={}, days_off=[],
                headline="", bio="", photo_path=None, rate_kind=None, session_minutes=None,
                price_minor=None, meeting_url=None, notice_minutes=120, buffer_minutes=10,
                daily_max=6, horizon_days=HORIZON_DAYS, slot_minutes=GRID_MINUTES,
                online_until=None, live=False, live_since=None, stars_total=0, ratings=0,
                sessions_completed=0, inspection_fee_minor=None, countries_served=[])


async def save(uow: UnitOfWork | Roster, actor_id: int, **changes: Any) -> ProfileView:
    """Create or update the actor's own profile; every field is checked (before anything is
    written). A live profile that is no longer complete leaves the directory."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(_("A profile has no field {field}.", field=repr(sorted(unknown)[0])))
    roster = roster_of(uow)
    now = roster.now()
    profile = await roster.profile(actor_id)
    if profile is None:
        member = await roster.member(actor_id)
        if member is None:
            raise NotFound(_("Register first, then create your consultant profile."))
        start = _starting(actor_id, member, now)
        checked = _checked(profile_view(SimpleNamespace(**start)), changes)
        profile = await roster.create(start | checked)
    else:
        profile = await roster.change(actor_id, _checked(profile, changes) | {"updated_at": now})
    if profile.live and what_is_missing(profile, payouts_ready=True):
        profile = await roster.change(actor_id, {"live": False, "online_until": None})
    roster.emit(ProfileChanged(actor_id, profile.live))
    return profile


async def set_photo(uow: UnitOfWork | Roster, actor_id: int, store: FileStore, name: str,
                    mime: str, data: bytes) -> str:
    """Check and keep the actor's profile photo; returns its path in the file store."""
    roster = roster_of(uow)
    await _found(roster, actor_id)
    __, path = keep(store, "photo", name, mime, data)
    profile = await roster.change(actor_id, {"photo_path": path, "updated_at": roster.now()})
    roster.emit(ProfileChanged(actor_id, profile.live))
    return path


BILLING_MISSING = N_("your billing details, for the receipts of your sessions")


def what_is_missing(profile: ConsultantProfile | ProfileView, payouts_ready: bool,
                    billed: bool = True) -> list[str]:
    """What still keeps a profile out of the directory, each as a plain phrase: among them the
    billing details its session receipts are issued with (a consultant sells a service)."""
    if not isinstance(profile, ProfileView):
        profile = profile_view(profile)  # one set of rules, read from the read model
    missing = []
    if len(profile.bio or "") < MIN_BIO:
        missing.append(_("a bio of at least {n} characters", n=MIN_BIO))
    if not profile.categories:
        missing.append(_("at least one area of expertise"))
    if not profile.languages:
        missing.append(_("the languages you consult in"))
    if not profile.photo_path:
        missing.append(_("a photo"))
    if not profile.rate_kind or profile.rate is None:
        missing.append(_("your rate"))
    if not any(profile.weekly_hours.values()):
        missing.append(_("your weekly hours"))
    if not payouts_ready:
        missing.append(_("payouts set up, so you can be paid"))
    if not billed:
        missing.append(_(BILLING_MISSING))
    return missing


async def go_live(uow: UnitOfWork | Roster, actor_id: int, payments: PaymentsPort) -> list[str]:
    """Put the actor's profile in the directory if nothing is missing; returns what is. The
    wallet is asked in the same unit of work when there is one (a roster in memory has none)."""
    roster = roster_of(uow)
    profile = await _found(roster, actor_id)
    wallet = await payments.wallet(actor_id, uow if isinstance(uow, UnitOfWork) else None)
    missing = what_is_missing(profile, wallet.payouts_ready,
                              billed=await roster.billed(actor_id))
    if not missing and not profile.live:
        now = roster.now()
        await roster.change(actor_id, {"live": True, "live_since": now, "updated_at": now})
        roster.emit(ProfileChanged(actor_id, True))
    return missing


async def leave_directory(uow: UnitOfWork | Roster, actor_id: int,
                          consultant_id: int | None = None) -> None:
    """Take a profile out of the directory: one's own, or any as an admin."""
    roster = roster_of(uow)
    target = consultant_id or actor_id
    if target != actor_id and not await roster.is_admin(actor_id):
        raise NotAllowed(_("Only the consultant or an admin can take a profile down."))
    await _found(roster, target)
    await roster.change(target, {"live": False, "online_until": None,
                                 "updated_at": roster.now()})
    roster.emit(ProfileChanged(target, False))


async def rated(uow: UnitOfWork | Roster, consultant_id: int, stars: int) -> None:
    """A published rating of a session counts toward the consultant's reputation (the
    reviews' service calls this; the directory ranks by the Bayesian score of these)."""
    if not 1 <= stars <= 5:
        raise DomainError(_("A rating is 1 to 5 stars."))
    roster = roster_of(uow)
    await roster.add_rating(consultant_id, stars, roster.now())
    roster.emit(ProfileChanged(consultant_id, True))


def is_online(profile: ConsultantProfile | ProfileView, now: datetime) -> bool:
    """Whether the consultant counts as online now."""
    return profile.live and profile.online_until is not None and profile.online_until > now


async def set_online(uow: UnitOfWork | Roster, actor_id: int, online: bool) -> datetime | None:
    """Switch “online now” on (until the policy's inactivity limit) or off; live profiles only."""
    roster = roster_of(uow)
    profile = await _found(roster, actor_id)
    if online and not profile.live:
        raise DomainError(_("Your profile must be live in the directory before you go online."))
    until = roster.now() + roster.online_for() if online else None
    await roster.change(actor_id, {"online_until": until})
    return until


async def touch_online(uow: UnitOfWork | Roster, actor_id: int) -> bool:
    """Activity keeps an online consultant online a while longer (one guarded UPDATE);
    False when they were not online."""
    roster = roster_of(uow)
    now = roster.now()
    return await roster.renew_online(actor_id, now, now + roster.online_for())


def schedule_of(profile: ConsultantProfile | Listed) -> Schedule:
    """The profile's availability rules for slot computation."""
    return Schedule.of(profile.weekly_hours or {}, profile.timezone, profile.notice_minutes,
                       profile.buffer_minutes, profile.daily_max, profile.days_off or (),
                       horizon_days=profile.horizon_days or HORIZON_DAYS,
                       grid_minutes=profile.slot_minutes or GRID_MINUTES)


def lengths(profile: ConsultantProfile | Listed) -> tuple[int, ...]:
    """The session lengths a seeker may book with this consultant, in minutes."""
    if profile.rate_kind == "session" and profile.session_minutes:
        return (profile.session_minutes,)
    return PER_MINUTE_LENGTHS


def price_for(profile: ConsultantProfile, minutes: int) -> Money:
    """The most a session of `minutes` costs: the session price, or the minute rate times it."""
    if minutes not in lengths(profile) or not profile.price_minor:
        raise DomainError(_("Book {lengths} minutes.", lengths=" or ".join(f"{m}" for m in lengths(profile))))
    per = 1 if profile.rate_kind == "session" else minutes
    return Money(profile.price_minor * per, profile.currency)


def hourly_minor(profile: ConsultantProfile | Listed) -> int:
    """The rate per hour, in minor units (how the directory compares prices)."""
    if not profile.price_minor:
        return 0
    if profile.rate_kind == "minute":
        return profile.price_minor * 60
    return profile.price_minor * 60 // (profile.session_minutes or 60)


def rate_text(profile: ConsultantProfile | Listed) -> str:
    """“€80.00 per 60-minute session” or “€2.00 per minute”."""
    if not profile.price_minor:
        return _("no rate yet")
    price = Money(profile.price_minor, profile.currency)
    if profile.rate_kind == "minute":
        return _("{price} per minute", price=price)
    return _("{price} per {minutes}-minute session", price=price, minutes=profile.session_minutes)
