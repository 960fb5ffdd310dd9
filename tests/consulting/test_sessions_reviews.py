"""After a session the seeker rates it (1 to 5, a comment), published at once; the consultant
may reply once; reputation is the deals' Bayesian score. The rules on the in-memory logbook
(`tests/consulting/session_fakes.py`); a review and a reply told, and a session counting once
it took place (a handler), in memory too (`tests/consulting/session_chat.py`). The journey of
a session reviewed, on the database: tests/consulting/test_consultant_chat.py."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.consulting.sessions import reviews
from core.consulting.sessions import service as sessions
from core.consulting.sessions.events import ReviewReplied, SessionReviewed
from core.consulting.sessions.lifecycle import take
from core.deals.ratings.reputation import bayesian
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.process.model import SYSTEM
from tests.consulting.session_chat import act_in, exchange
from tests.consulting.session_fakes import (
    CONSULTANT_ID,
    EVE,
    SEEKER_ID,
    book,
    held,
    live,
    logbook,
)
from tests.consulting.session_support import told
from tests.support.outbox import told_texts

OLGA = 5  # another consultant


async def test_the_seekers_review_is_published_at_once_and_the_consultant_hears_it():
    chat, book_ = exchange()  # the logbook and the sessions' notices in memory
    session_id = await held(book_)
    await act_in(chat, reviews.review, session_id, SEEKER_ID, 4, "  Clear, practical advice.  ")
    shown = await act_in(chat, reviews.reviews_of, CONSULTANT_ID)
    assert [(r.stars, r.comment) for r in shown] == [(4, "Clear, practical advice.")]
    heard = [p for p in await told(chat, CONSULTANT_ID) if "A review of session" in p["text"]]
    assert heard[0]["text"] == "⭐⭐⭐⭐ A review of session #1.\n“Clear, practical advice.”"
    assert heard[0]["buttons"][0][0] == {"label": "↩ Reply", "intent": "review_session",
                                         "arg": f"reply:{session_id}"}


async def test_the_consultant_replies_once():
    chat, book_ = exchange()  # the logbook and the sessions' notices in memory
    session_id = await held(book_)
    review = await act_in(chat, reviews.review, session_id, SEEKER_ID, 2, "Late and rushed.")
    await act_in(chat, reviews.reply, review.id, CONSULTANT_ID, "Sorry — my train was late.")
    assert "my train was late" in "\n".join(await told_texts(chat, SEEKER_ID))
    with pytest.raises(Conflict):
        await act_in(chat, reviews.reply, review.id, CONSULTANT_ID, "And another thing")


async def test_a_session_that_took_place_counts_before_any_review():
    chat, book_ = exchange()  # the counting handler, wired as in core.consulting.wiring
    session_id = await live(book_)
    book_.advance(minutes=5)
    await act_in(chat, sessions.end, session_id, SEEKER_ID)  # ended in the free minutes
    __, reviewed, took_place = book_.standings[CONSULTANT_ID]
    assert (reviewed, took_place) == (0, 1)


async def test_reputation_is_the_bayesian_score_against_the_markets_mean():
    book_ = logbook()
    first = await held(book_, SEEKER_ID, CONSULTANT_ID, 1)
    second = await held(book_, EVE, CONSULTANT_ID, 2)
    third = await held(book_, SEEKER_ID, OLGA, 3)
    await reviews.review(book_, third, SEEKER_ID, 3)  # another consultant's: the mean moves
    await reviews.review(book_, first, SEEKER_ID, 5)
    await reviews.review(book_, second, EVE, 4)
    standing = await reviews.reputation_of(book_, CONSULTANT_ID)
    assert standing.score == bayesian(9, 2, Decimal(4)) == Decimal("4.08")
    assert (standing.ratings, standing.completed) == (2, 2)
    assert book_.standings[CONSULTANT_ID] == (408, 2, 2)
    assert [r.stars for r in await reviews.reviews_of(book_, CONSULTANT_ID)] == [4, 5]


async def test_a_session_is_reviewed_once_within_30_days_of_taking_place():
    book_ = logbook()
    running = await live(book_)
    with pytest.raises(Conflict):
        await reviews.review(book_, running, SEEKER_ID, 5)
    missed = book(book_, booking_id=2, starts_in=timedelta(hours=1))
    book_.advance(hours=1, minutes=10)
    await take(book_, book_.sessions[missed], "no-show", SYSTEM, ended_by="no-show:seeker")
    with pytest.raises(Conflict):
        await reviews.review(book_, missed, SEEKER_ID, 1)  # a no-show is no session
    await sessions.end(book_, running, SEEKER_ID)
    assert await reviews.reviewable(book_, book_.sessions[running], SEEKER_ID)
    assert not await reviews.reviewable(book_, book_.sessions[running], CONSULTANT_ID)
    for stars in (0, 6):
        with pytest.raises(DomainError):
            await reviews.review(book_, running, SEEKER_ID, stars)
    with pytest.raises(DomainError):
        await reviews.review(book_, running, SEEKER_ID, 5, "x" * (reviews.MAX_TEXT + 1))
    written = await reviews.review(book_, running, SEEKER_ID, 5, " ", quote_ok=True)
    assert (written.comment, written.quote_ok) == (None, False)  # nothing to quote
    assert book_.events[-1] == SessionReviewed(written.id)
    assert await reviews.of_session(book_, running, CONSULTANT_ID) == written.id
    assert not await reviews.reviewable(book_, book_.sessions[running], SEEKER_ID)
    with pytest.raises(Conflict):
        await reviews.review(book_, running, SEEKER_ID, 4)
    late = await held(book_, booking_id=3)
    book_.advance(days=30)
    assert await reviews.reviewable(book_, book_.sessions[late], SEEKER_ID)  # the 30th day
    book_.advance(minutes=1)
    assert not await reviews.reviewable(book_, book_.sessions[late], SEEKER_ID)
    with pytest.raises(Conflict):
        await reviews.review(book_, late, SEEKER_ID, 5)


async def test_only_the_reviewed_consultant_replies_in_words_and_once():
    book_ = logbook()
    session_id = await held(book_)
    review = await reviews.review(book_, session_id, SEEKER_ID, 2, "Late and rushed.")
    with pytest.raises(NotFound):
        await reviews.reply(book_, review.id + 1, CONSULTANT_ID, "Sorry")
    with pytest.raises(NotAllowed):
        await reviews.reply(book_, review.id, SEEKER_ID, "Sorry")
    with pytest.raises(DomainError):
        await reviews.reply(book_, review.id, CONSULTANT_ID, "  ")
    replied = await reviews.reply(book_, review.id, CONSULTANT_ID, " Sorry — my train was late. ")
    assert (replied.reply, replied.replied_at) == ("Sorry — my train was late.", book_.now())
    assert book_.events[-1] == ReviewReplied(review.id)
    with pytest.raises(Conflict):
        await reviews.reply(book_, review.id, CONSULTANT_ID, "And another thing")
