"""Consultants' profiles: what they offer, at what rate, when; whether they are live in the
directory (complete, and payouts set up) and “online now” (until a while after their last
activity). Every change is the consultant's own; admins may take a profile out of the directory.
A change is checked in `checks` before it is saved here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from core.accounts.tables import Account
from core.catalog.media import FileStore, keep
from core.companies import billing as company_billing
from core.consulting.bookings.availability import GRID_MINUTES, HORIZON_DAYS, Schedule
from core.consulting.events import ProfileChanged
from core.consulting.profiles.checks import BOUND_LABELS as BOUND_LABELS  # for the profile form
from core.consulting.profiles.checks import BOUNDS as BOUNDS  # (conversations.flows.consulting)
from core.consulting.profiles.checks import _checked
from core.consulting.profiles.taxonomy import PER_MINUTE_LENGTHS
from core.consulting.profiles.view import ProfileView, profile_view
from core.consulting.tables import ConsultantProfile
from core.errors import DomainError, NotAllowed, NotFound
from core.i18n import N_, _
from core.money.model import Money
from core.operators.roles import is_admin
from core.payments_port import PaymentsPort
from core.storage.uow import UnitOfWork

MIN_BIO = 40
EDITABLE = ("headline", "bio", "categories", "keywords", "languages", "rate_kind",
            "session_minutes", "price", "currency", "timezone", "weekly_hours", "notice_minutes",
            "buffer_minutes", "daily_max", "days_off", "meeting_url", "horizon_days",
            "slot_minutes")


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


async def is_consultant(uow: UnitOfWork, account_id: int) -> bool:
    """Whether the account has a consultant's profile (live or not)."""
    return await uow.get(ConsultantProfile, account_id) is not None


async def own_profile(uow: UnitOfWork, account_id: int) -> ProfileView:
    """A consultant's profile as they read and edit it; NotFound if none yet."""
    return profile_view(await get(uow, account_id))


async def save(uow: UnitOfWork, actor_id: int, **changes: Any) -> ConsultantProfile:
    """Create or update the actor's own profile; every field is checked. A live profile that
    is no longer complete leaves the directory."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(_("A profile has no field {field}.", field=repr(sorted(unknown)[0])))
    profile = await uow.get(ConsultantProfile, actor_id)
    now = uow.clock.now()
    if profile is None:
        account = await uow.get(Account, actor_id)
        if account is None:
            raise NotFound(_("Register first, then create your consultant profile."))
        profile = ConsultantProfile(account_id=actor_id, timezone=account.timezone or "UTC",
                                    currency=account.currency or "EUR", created_at=now,
                                    categories=[], keywords=[], languages=[], weekly_hours={},
                                    days_off=[], headline="", bio="", notice_minutes=120,
                                    buffer_minutes=10, daily_max=6, live=False, stars_total=0,
                                    ratings=0, sessions_completed=0)
        uow.add(profile)
    for name, value in _checked(profile, changes).items():
        setattr(profile, name, value)
    profile.updated_at = now
    if profile.live and what_is_missing(profile, payouts_ready=True):
        profile.live, profile.online_until = False, None
    uow.emit(ProfileChanged(actor_id, profile.live))
    return profile


async def set_photo(uow: UnitOfWork, actor_id: int, store: FileStore, name: str, mime: str,
                    data: bytes) -> str:
    """Check and keep the actor's profile photo; returns its path in the file store."""
    profile = await get(uow, actor_id)
    __, path = keep(store, "photo", name, mime, data)
    profile.photo_path, profile.updated_at = path, uow.clock.now()
    uow.emit(ProfileChanged(actor_id, profile.live))
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


async def go_live(uow: UnitOfWork, actor_id: int, payments: PaymentsPort) -> list[str]:
    """Put the actor's profile in the directory if nothing is missing; returns what is."""
    profile = await get(uow, actor_id)
    wallet = await payments.wallet(actor_id, uow)
    missing = what_is_missing(profile, wallet.payouts_ready,
                              billed=not await company_billing.missing(uow, actor_id))
    if not missing and not profile.live:
        profile.live, profile.live_since = True, uow.clock.now()
        profile.updated_at = uow.clock.now()
        uow.emit(ProfileChanged(actor_id, True))
    return missing


async def leave_directory(uow: UnitOfWork, actor_id: int, consultant_id: int | None = None
                          ) -> None:
    """Take a profile out of the directory: one's own, or any as an admin."""
    target = consultant_id or actor_id
    if target != actor_id and not await is_admin(uow, actor_id):
        raise NotAllowed(_("Only the consultant or an admin can take a profile down."))
    profile = await get(uow, target)
    profile.live, profile.online_until, profile.updated_at = False, None, uow.clock.now()
    uow.emit(ProfileChanged(target, False))


async def rated(uow: UnitOfWork, consultant_id: int, stars: int) -> None:
    """A published rating of a session counts toward the consultant's reputation (the
    reviews' service calls this; the directory ranks by the Bayesian score of these)."""
    if not 1 <= stars <= 5:
        raise DomainError(_("A rating is 1 to 5 stars."))
    await uow.session.execute(update(ConsultantProfile).where(
        ConsultantProfile.account_id == consultant_id).values(
        stars_total=ConsultantProfile.stars_total + stars, ratings=ConsultantProfile.ratings + 1,
        updated_at=uow.clock.now()))
    uow.emit(ProfileChanged(consultant_id, True))


def is_online(profile: ConsultantProfile | ProfileView, now: datetime) -> bool:
    """Whether the consultant counts as online now."""
    return profile.live and profile.online_until is not None and profile.online_until > now


async def set_online(uow: UnitOfWork, actor_id: int, online: bool) -> datetime | None:
    """Switch “online now” on (until the policy's inactivity limit) or off; live profiles only."""
    profile = await get(uow, actor_id)
    if online and not profile.live:
        raise DomainError(_("Your profile must be live in the directory before you go online."))
    until = uow.clock.now() + uow.policy.booking.online_for if online else None
    profile.online_until = until
    return until


async def touch_online(uow: UnitOfWork, actor_id: int) -> bool:
    """Activity keeps an online consultant online a while longer (one guarded UPDATE);
    False when they were not online."""
    now = uow.clock.now()
    renewed = await uow.session.execute(update(ConsultantProfile).where(
        ConsultantProfile.account_id == actor_id, ConsultantProfile.online_until > now)
        .values(online_until=now + uow.policy.booking.online_for)
        .execution_options(synchronize_session=False))
    return renewed.rowcount == 1  # type: ignore[attr-defined]


def schedule_of(profile: ConsultantProfile) -> Schedule:
    """The profile's availability rules for slot computation."""
    return Schedule.of(profile.weekly_hours or {}, profile.timezone, profile.notice_minutes,
                       profile.buffer_minutes, profile.daily_max, profile.days_off or (),
                       horizon_days=profile.horizon_days or HORIZON_DAYS,
                       grid_minutes=profile.slot_minutes or GRID_MINUTES)


def lengths(profile: ConsultantProfile) -> tuple[int, ...]:
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


def hourly_minor(profile: ConsultantProfile) -> int:
    """The rate per hour, in minor units (how the directory compares prices)."""
    if not profile.price_minor:
        return 0
    if profile.rate_kind == "minute":
        return profile.price_minor * 60
    return profile.price_minor * 60 // (profile.session_minutes or 60)


def rate_text(profile: ConsultantProfile) -> str:
    """“€80.00 per 60-minute session” or “€2.00 per minute”."""
    if not profile.price_minor:
        return _("no rate yet")
    price = Money(profile.price_minor, profile.currency)
    if profile.rate_kind == "minute":
        return _("{price} per minute", price=price)
    return _("{price} per {minutes}-minute session", price=price, minutes=profile.session_minutes)
