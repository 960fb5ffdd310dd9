"""Points for what members do, posted in the transaction of the event that earned them; each
journal's key names the event, so an event handled twice earns once. `award` and `completed`
ask loyalty's book (`core.loyalty.book`), so they run on the tests' in-memory one too; the
handlers read the deal that earned through the deal book, a session or review on the unit of
work."""

from __future__ import annotations

from core.consulting.sessions.events import SessionMoved, SessionReviewed
from core.consulting.sessions.tables import ConsultSession, SessionReview
from core.deals.deal_book import deal_book_of
from core.deals.events import DealMoved, DealRated
from core.loyalty import points
from core.loyalty.book import PointsBook, book_of
from core.loyalty.rules import EARN, REASONS
from core.storage.uow import UnitOfWork


async def award(uow: UnitOfWork | PointsBook, kind: str, account_id: int, about: str) -> bool:
    """Points of `kind` for one event (`about` names it, e.g. `deal:12`), once."""
    return await points.earn(uow, f"{kind}:{about}:{account_id}", kind, account_id, EARN[kind],
                             f"{REASONS[kind]} ({about.replace(':', ' ')})")


async def completed(uow: UnitOfWork | PointsBook, kind: str, about: str,
                    parties: tuple[int, ...]) -> None:
    """A deal or session took place: both parties earn, and a referred member's first one
    credits them and their referrer, once."""
    book = book_of(uow)
    referrers = await book.referrers(parties)  # both in one read
    for account_id in parties:
        await award(book, kind, account_id, about)
        referrer = referrers.get(account_id)
        if referrer is None or referrer == account_id:
            continue
        await points.earn(book, f"referral:{account_id}", "referral", account_id,
                          EARN["referral"], "referral: your first deal or session")
        await points.earn(book, f"referral-of:{account_id}", "referral", referrer,
                          EARN["referral"], f"referral: a member you invited completed {about}")


async def on_deal_completed(uow: UnitOfWork, event: DealMoved) -> None:
    """The deal's "earn-points": both parties earn points for it (the deal as its book keeps
    it, so a deal completed in memory earns too)."""
    deal = await deal_book_of(uow).stored(event.deal_id)
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
