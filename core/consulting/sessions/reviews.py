"""Reviews of sessions and the consultant's reputation. After a session that took place the
seeker rates it (1 to 5 stars, a comment); the consultant may reply once. Reviews are published
at once: only the seeker rates, so there is no second rating to keep blind. Reputation is the
same Bayesian score as deals (core.deals.ratings.reputation), kept in `consult_reputation`."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.consulting.sessions.events import ReviewReplied, SessionMoved, SessionReviewed
from core.consulting.sessions.lifecycle import ENDED, SEEKER, role_of
from core.consulting.sessions.logbook import Logbook
from core.consulting.sessions.sql_logbook import logbook_of
from core.consulting.sessions.tables import ConsultSession, SessionReview
from core.deals.ratings.reputation import Reputation, reputation
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork

WINDOW = timedelta(days=30)  # how long after a session the seeker may review it
MAX_TEXT = 2000
MARKET_MEAN = Decimal("4.0")  # the prior until sessions have reviews of their own


async def review(uow: UnitOfWork | Logbook, session_id: int, seeker_id: int, stars: int,
                 comment: str | None = None, quote_ok: bool = False) -> SessionReview:
    """The seeker rates a session that took place, once; published at once. `quote_ok`: the
    website may quote the comment."""
    book = logbook_of(uow)
    session = await book.session(session_id)
    role = await role_of(book, session, seeker_id) if session is not None else None
    if session is None or role is None:
        raise NotFound(_("That session doesn't exist."))
    if role != SEEKER:
        raise NotAllowed(_("The seeker reviews the session."))
    if session.status not in ENDED or session.ended_at is None:
        raise Conflict(_("A session can be reviewed once it has taken place."))
    if not window_open(session, book.now()):
        raise Conflict(_("Reviews are open for {days} days after a session.", days=WINDOW.days))
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise DomainError(_("Give 1 to 5 stars."))
    text = _text(comment)
    row = SessionReview(session_id=session.id, consultant_id=session.consultant_id,
                        seeker_id=seeker_id, stars=stars, comment=text,
                        quote_ok=bool(quote_ok and text), created_at=book.now())
    if not await book.add_review(row):
        raise Conflict(_("You reviewed this session already."))
    await refresh(book, session.consultant_id)
    book.emit(SessionReviewed(row.id))
    return row


def window_open(session: ConsultSession, now: datetime) -> bool:
    """Whether a session took place and its review window is still open at `now`."""
    return session.status in ENDED and session.ended_at is not None \
        and now <= session.ended_at + WINDOW


async def reviewable(uow: UnitOfWork | Logbook, session: ConsultSession, actor_id: int) -> bool:
    """Whether `actor_id` may review `session` now (what `review` allows): its seeker, once,
    while the window is open — a card's “Review” is offered on this."""
    book = logbook_of(uow)
    if actor_id != session.seeker_id or not window_open(session, book.now()):
        return False
    return await book.review_of(session.id) is None


async def reply(uow: UnitOfWork | Logbook, review_id: int, consultant_id: int, text: str
                ) -> SessionReview:
    """The consultant answers a review of theirs, once."""
    book = logbook_of(uow)
    row = await book.review(review_id)
    if row is None:
        raise NotFound(_("That review doesn't exist."))
    if row.consultant_id != consultant_id:
        raise NotAllowed(_("Only the reviewed consultant can reply."))
    answer = _text(text)
    if not answer:
        raise DomainError(_("Write a reply."))
    if not await book.reply_once(row, answer, book.now()):
        raise Conflict(_("You replied to this review already."))
    book.emit(ReviewReplied(row.id))
    return row


async def of_session(uow: UnitOfWork | Logbook, session_id: int, actor_id: int) -> int | None:
    """The id of a session's review (None before one is written), for its parties and admins."""
    book = logbook_of(uow)
    session = await book.session(session_id)
    if session is None or await role_of(book, session, actor_id) is None:
        raise NotFound(_("That session doesn't exist."))
    return await book.review_of(session_id)


def _text(value: str | None) -> str | None:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(_("At most {max_text} characters, please.", max_text=MAX_TEXT))
    return text or None


async def reviews_of(uow: UnitOfWork | Logbook, consultant_id: int, limit: int = 20,
                     offset: int = 0) -> list[SessionReview]:
    """A consultant's published reviews, newest first (public, as on a profile)."""
    return await logbook_of(uow).reviews_of(consultant_id, limit, offset)


async def reputation_of(uow: UnitOfWork | Logbook, consultant_id: int) -> Reputation:
    """A consultant's standing: the Bayesian average of their reviews against the market's
    mean, and the sessions that took place."""
    total, count, held, mean = await logbook_of(uow).standing(consultant_id)
    return reputation([], mean or MARKET_MEAN, held, 0, total=total, count=count)


async def refresh(uow: UnitOfWork | Logbook, consultant_id: int) -> Reputation:
    """Write the consultant's standing where cards and the directory read it."""
    book = logbook_of(uow)
    rep = await reputation_of(book, consultant_id)
    await book.keep_standing(consultant_id,
                             int(rep.score.scaleb(2).quantize(Decimal(1), ROUND_HALF_UP)),
                             rep.ratings, rep.completed)
    return rep


async def on_took_place(uow: UnitOfWork, event: SessionMoved) -> None:
    """The session's "count-session": one that took place counts towards the consultant's
    completed sessions."""
    session = await logbook_of(uow).session(event.session_id)
    if session is not None:
        await refresh(uow, session.consultant_id)
