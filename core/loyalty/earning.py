"""Points for what members do, posted in the transaction of the event that earned them; each
journal's key names the event, so an event handled twice earns once."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam, select

from core.consulting.sessions.events import SessionMoved, SessionReviewed
from core.consulting.sessions.tables import ConsultSession, SessionReview
from core.deals.events import DealMoved, DealRated
from core.deals.tables import Deal
from core.loyalty import points
from core.loyalty.rules import EARN, REASONS
from core.loyalty.tables import LoyaltyMember
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork


async def award(uow: UnitOfWork, kind: str, account_id: int, about: str) -> bool:
    """Points of `kind` for one event (`about` names it, e.g. `deal:12`), once."""
    return await points.earn(uow, f"{kind}:{about}:{account_id}", kind, account_id, EARN[kind],
                             f"{REASONS[kind]} ({about.replace(':', ' ')})")


async def completed(uow: UnitOfWork, kind: str, about: str, parties: tuple[int, ...]) -> None:
    """A deal or session took place: both parties earn, and a referred member's first one
    credits them and their referrer, once."""
    referrers = dict((await (await uow.core()).execute(  # both in one read
        _referrers(len(parties)), {f"id{n}": party for n, party in enumerate(parties)})).all())
    for account_id in parties:
        await award(uow, kind, account_id, about)
        referrer = referrers.get(account_id)
        if referrer in (None, account_id):
            continue
        await points.earn(uow, f"referral:{account_id}", "referral", account_id,
                          EARN["referral"], "referral: your first deal or session")
        await points.earn(uow, f"referral-of:{account_id}", "referral", referrer,
                          EARN["referral"], f"referral: a member you invited completed {about}")


@functools.cache
def _referrers(parties: int) -> Any:
    # Built once per number of parties (two, for every deal and session that completes).
    members = table_of(LoyaltyMember)
    return select(members.c.account_id, members.c.referred_by).where(
        members.c.account_id.in_([bindparam(f"id{n}") for n in range(parties)]))


async def on_deal_completed(uow: UnitOfWork, event: DealMoved) -> None:
    """The deal's "earn-points": both parties earn points for it."""
    deal = await uow.get(Deal, event.deal_id)
    if deal is not None:
        await completed(uow, "deal", f"deal:{deal.id}", (deal.buyer_id, deal.seller_id))


async def on_session_took_place(uow: UnitOfWork, event: SessionMoved) -> None:
    """The session's "earn-points": both parties earn points for it."""
    session = await uow.get(ConsultSession, event.session_id)
    if session is not None:
        await completed(uow, "session", f"session:{session.id}",
                        (session.seeker_id, session.consultant_id))


async def on_deal_rated(uow: UnitOfWork, event: DealRated) -> None:
    await award(uow, "rating", event.rater_id, f"deal:{event.deal_id}")


async def on_session_reviewed(uow: UnitOfWork, event: SessionReviewed) -> None:
    review = await uow.get(SessionReview, event.review_id)
    if review is not None:
        await award(uow, "rating", review.seeker_id, f"session:{review.session_id}")


async def on_paid(uow: UnitOfWork, payer_id: int, reference: str) -> None:
    """A payment made in time (a late one is never accepted: the deal or booking is gone)."""
    await award(uow, "payment", payer_id, reference)
