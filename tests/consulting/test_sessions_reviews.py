"""After a session the seeker rates it (1 to 5, a comment), published at once; the consultant
may reply once; reputation is the deals' Bayesian score."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.consulting.sessions import reviews
from core.consulting.sessions import service as sessions
from core.consulting.sessions.tables import ConsultReputation
from core.deals.ratings.reputation import bayesian
from core.errors import Conflict, DomainError
from tests.consulting.session_support import act, book, live, people, texts, tick, told
from tests.support.accounts import registered


async def _held(app, clock, seeker, consultant, booking_id=1, minutes=20) -> int:
    session_id = await live(app, seeker, consultant, booking_id=booking_id)
    clock.advance(minutes=minutes)
    await act(app, sessions.end, session_id, seeker)
    return session_id


async def _standing(app, consultant) -> ConsultReputation:
    async with app.uow() as uow:
        found = await uow.session.get(ConsultReputation, consultant)
        uow.session.expunge(found)
        return found


async def test_the_seekers_review_is_published_at_once_and_the_consultant_hears_it(app, clock):
    seeker, consultant = await people(app)
    session_id = await _held(app, clock, seeker, consultant)
    await act(app, reviews.review, session_id, seeker, 4, "  Clear, practical advice.  ")
    shown = await act(app, reviews.reviews_of, consultant)
    assert [(r.stars, r.comment) for r in shown] == [(4, "Clear, practical advice.")]
    heard = [p for p in await told(app, consultant) if "A review of session" in p["text"]]
    assert heard[0]["text"] == "⭐⭐⭐⭐ A review of session #1.\n“Clear, practical advice.”"
    assert heard[0]["buttons"][0][0] == {"label": "↩ Reply", "intent": "review_session",
                                         "arg": f"reply:{session_id}"}


async def test_the_consultant_replies_once(app, clock):
    seeker, consultant = await people(app)
    session_id = await _held(app, clock, seeker, consultant)
    review = await act(app, reviews.review, session_id, seeker, 2, "Late and rushed.")
    await act(app, reviews.reply, review.id, consultant, "Sorry — my train was late.")
    assert "my train was late" in await texts(app, seeker)
    with pytest.raises(Conflict):
        await act(app, reviews.reply, review.id, consultant, "And another thing")


async def test_reputation_is_the_bayesian_score_against_the_markets_mean(app, clock):
    seeker, consultant = await people(app)
    other = (await registered(app, "olga", roles=("seller",))).id
    bob = (await registered(app, "bob")).id
    first = await _held(app, clock, seeker, consultant, 1)
    second = await _held(app, clock, bob, consultant, 2)
    third = await _held(app, clock, seeker, other, 3)
    await act(app, reviews.review, third, seeker, 3)  # another consultant's: the mean moves
    await act(app, reviews.review, first, seeker, 5)
    await act(app, reviews.review, second, bob, 4)
    standing = await act(app, reviews.reputation_of, consultant)
    assert standing.score == bayesian(9, 2, Decimal(4)) == Decimal("4.08")
    assert (standing.ratings, standing.completed) == (2, 2)
    row = await _standing(app, consultant)
    assert (row.rating_x100, row.reviews, row.sessions) == (408, 2, 2)


async def test_a_session_that_took_place_counts_before_any_review(app, clock):
    seeker, consultant = await people(app)
    await _held(app, clock, seeker, consultant, minutes=5)  # ended in the free minutes
    assert (await _standing(app, consultant)).sessions == 1


async def test_a_session_is_reviewed_once_within_30_days_of_taking_place(app, clock):
    seeker, consultant = await people(app)
    running = await live(app, seeker, consultant)
    with pytest.raises(Conflict):
        await act(app, reviews.review, running, seeker, 5)
    missed = await book(app, seeker, consultant, booking_id=2, starts_in=timedelta(hours=1))
    clock.advance(hours=1, minutes=10)
    await tick(app)
    with pytest.raises(Conflict):
        await act(app, reviews.review, missed, seeker, 1)  # a no-show is no session
    await act(app, sessions.end, running, seeker)
    for stars in (0, 6):
        with pytest.raises(DomainError):
            await act(app, reviews.review, running, seeker, stars)
    await act(app, reviews.review, running, seeker, 5)
    with pytest.raises(Conflict):
        await act(app, reviews.review, running, seeker, 4)
    late = await _held(app, clock, seeker, consultant, 3)
    clock.advance(days=30, minutes=1)
    with pytest.raises(Conflict):
        await act(app, reviews.review, late, seeker, 5)
