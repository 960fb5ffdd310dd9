"""What the public website shows of consultants: live profiles only — bio, expertise, languages,
rate, reputation, the next free times to book, and the reviews whose authors let Agora quote
them (with the reply). No meeting link, no contact details, no one else's bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.consulting.bookings import slots
from core.consulting.profiles import service as profiles
from core.consulting.profiles.taxonomy import label, language_name
from core.consulting.sessions.tables import ConsultReputation, SessionReview
from core.consulting.tables import ConsultantProfile
from core.deals.ratings.reputation import stars_text
from core.disclosure import public_text, quoted_name
from core.errors import NotFound
from core.i18n import N_, _, countries, current_language
from core.public.listings import suspended
from core.storage.uow import UnitOfWork

GONE = N_("That consultant is not in the directory.")
REVIEWS_SHOWN = 20
FREE_SHOWN = 6


@dataclass(frozen=True)
class PublicReview:
    stars: int
    comment: str
    reply: str | None
    author: str  # first name and company initial
    created_at: datetime


@dataclass(frozen=True)
class PublicConsultant:
    consultant_id: int
    name: str
    headline: str
    bio: str
    expertise: list[str]
    keywords: list[str]
    languages: list[str]
    rate: str
    rating: str  # “★ 4.0 from 1 review”, or “No reviews yet”, as the chat's page shows
    ratings: int
    sessions: int
    has_photo: bool
    reviews: list[PublicReview]  # the quotable ones, newest first
    free: list[datetime]  # the next free starts of their shortest session (UTC), a few days ahead
    minutes: int  # that session's length
    countries: tuple[str, ...] = ()  # where an inspector samples, named in the reader's words


async def live_profile(uow: UnitOfWork, consultant_id: int) -> ConsultantProfile:
    """A live consultant's profile; NotFound for anyone else."""
    try:
        profile = await profiles.get(uow, consultant_id)
    except NotFound:
        raise NotFound(_(GONE)) from None
    if not profile.live or await suspended(uow, consultant_id):
        raise NotFound(_(GONE))
    return profile


async def consultant(uow: UnitOfWork, consultant_id: int) -> PublicConsultant:
    """A live consultant's public page."""
    profile = await live_profile(uow, consultant_id)
    account = await uow.get(Account, consultant_id)
    if account is None:
        raise NotFound(_(GONE))
    standing = await uow.get(ConsultReputation, consultant_id)  # sessions held
    return PublicConsultant(
        consultant_id, account.display_name, public_text(profile.headline),
        public_text(profile.bio),
        [label(c) for c in profile.categories or []], list(profile.keywords or []),
        [language_name(c) for c in profile.languages or []], profiles.rate_text(profile),
        stars_text(profile.stars_total, profile.ratings, "review"), profile.ratings,
        standing.sessions if standing else profile.sessions_completed, bool(profile.photo_path),
        await quotable_reviews(uow, consultant_id), await free_times(uow, profile),
        min(profiles.lengths(profile)),
        tuple(name for __, name in countries.named_in(current_language(),
                                                      list(profile.countries_served or ()))))


async def next_free(uow: UnitOfWork, consultant_id: int, days: int = 7) -> datetime | None:
    """A live consultant's first free start for their shortest session within `days` (UTC);
    None when they keep no hours or have none free."""
    free = await free_times(uow, await live_profile(uow, consultant_id), days, 1)
    return free[0] if free else None


async def free_times(uow: UnitOfWork, profile: ConsultantProfile, days: int = 7,
                     most: int = FREE_SHOWN) -> list[datetime]:
    """The first free starts (UTC) of the consultant's shortest session within `days`, spread
    over the days (at most two a day) so a visitor sees more than one morning."""
    if not profile.weekly_hours:
        return []
    free = await slots.open_slots(uow, profile.account_id, min(profiles.lengths(profile)), days,
                                  "UTC")
    shown: list[datetime] = []
    for start in free:
        if sum(1 for s in shown if s.date() == start.date()) < 2:
            shown.append(start)
        if len(shown) == most:
            break
    return shown


async def quotable_reviews(uow: UnitOfWork, consultant_id: int, limit: int = REVIEWS_SHOWN
                           ) -> list[PublicReview]:
    """Reviews with a comment whose authors allowed quoting, newest first, with the reply."""
    rows = await uow.session.execute(
        select(SessionReview, Account.display_name, Account.company)
        .join(Account, Account.id == SessionReview.seeker_id)
        .where(SessionReview.consultant_id == consultant_id, SessionReview.quote_ok.is_(True),
               func.coalesce(SessionReview.comment, "") != "")
        .order_by(SessionReview.id.desc()).limit(limit))
    return [PublicReview(r.stars, public_text(r.comment),
                         public_text(r.reply) if r.reply else None, quoted_name(name, company),
                         r.created_at) for r, name, company in rows.all()]


async def photo_path(uow: UnitOfWork, consultant_id: int) -> str:
    """Where a live consultant's photo is in the file store; NotFound without one."""
    profile = await live_profile(uow, consultant_id)
    if not profile.photo_path:
        raise NotFound(_("No photo."))
    return profile.photo_path


async def live_ids(uow: UnitOfWork) -> list[tuple[int, datetime]]:
    """Every live consultant's id and last change (for the sitemap)."""
    rows = await uow.session.execute(select(ConsultantProfile.account_id,
                                            ConsultantProfile.updated_at)
                                     .join(Account, Account.id == ConsultantProfile.account_id)
                                     .where(ConsultantProfile.live.is_(True),
                                            Account.suspended_at.is_(None))
                                     .order_by(ConsultantProfile.account_id))
    return [(i, changed) for i, changed in rows.all()]
