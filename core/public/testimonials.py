"""Testimonials for the public website: published deal ratings and session reviews with a
comment, whose authors let Agora quote them — named by first name and company initial only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.catalog.taxonomy import product
from core.consulting.sessions.tables import SessionReview
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal
from core.disclosure import public_text, quoted_name
from core.i18n import _, current_language
from core.storage.uow import UnitOfWork

SHOWN = 6


@dataclass(frozen=True)
class Testimonial:
    quote: str
    stars: int
    author: str  # “Ann, B.”
    context: str  # “buyer of wood pellets”, “after a consultant session”: follows the name
    created_at: datetime


async def latest(uow: UnitOfWork, limit: int = SHOWN) -> list[Testimonial]:
    """The newest quotable ratings and reviews, newest first."""
    found = await _from_deals(uow, limit) + await _from_sessions(uow, limit)
    return sorted(found, key=lambda t: t.created_at, reverse=True)[:limit]


async def _from_deals(uow: UnitOfWork, limit: int) -> list[Testimonial]:
    rows = await uow.session.execute(
        select(Rating, Account.display_name, Account.company, Deal.buyer_id, Listing.product_type)
        .join(Account, Account.id == Rating.rater_id).join(Deal, Deal.id == Rating.deal_id)
        .join(Listing, Listing.id == Deal.listing_id)
        .where(Rating.published_at.is_not(None), Rating.quote_ok.is_(True),
               func.coalesce(Rating.comment, "") != "")
        .order_by(Rating.id.desc()).limit(limit))
    return [Testimonial(public_text(r.comment), r.stars, quoted_name(name, company),
                        _("buyer of {product}", product=_mid_sentence(product(kind).label))
                        if r.rater_id == buyer else
                        _("seller of {product}", product=_mid_sentence(product(kind).label)),
                        r.created_at)
            for r, name, company, buyer, kind in rows.all()]


async def _from_sessions(uow: UnitOfWork, limit: int) -> list[Testimonial]:
    rows = await uow.session.execute(
        select(SessionReview, Account.display_name, Account.company)
        .join(Account, Account.id == SessionReview.seeker_id)
        .where(SessionReview.quote_ok.is_(True), func.coalesce(SessionReview.comment, "") != "")
        .order_by(SessionReview.id.desc()).limit(limit))
    return [Testimonial(public_text(r.comment), r.stars, quoted_name(name, company),
                        _("after a consultant session"), r.created_at)
            for r, name, company in rows.all()]


def _mid_sentence(label: str) -> str:
    """A product's label inside a sentence, in the reader's language: lower case (“buyer of
    wood pellets”), except in German, whose nouns keep their capital."""
    local = _(label)
    return local if current_language() == "de" else local.lower()
