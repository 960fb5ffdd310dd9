"""A consultant's metrics: sessions, minutes, gross, commission and net, the rating trend by
month in their own time zone, request-to-session conversion and response time, and the chart
drawn from exactly those figures as a valid PNG. The figures read from the database (sessions
held, reviews, bookings) once; the rest on the in-memory logbook through its tally
(`tests/consulting/session_fakes.py`)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import matplotlib.image
import pytest
from sqlalchemy import update

from core.accounts.tables import Account
from core.consulting.profiles import metrics
from core.consulting.sessions import reviews
from core.consulting.sessions import service as sessions
from core.consulting.tables import Booking
from core.errors import NotAllowed
from core.money.model import Money
from tests.consulting import session_support as on_db
from tests.consulting.session_fakes import MemoryTally, live, logbook
from tests.consulting.session_support import act, people
from tests.support.accounts import registered

ANN, JANIS, BOB, CID, ROOT, OLGA = 1, 2, 3, 5, 4, 6  # Root: the in-memory logbook's admin


def _move_to(clock, moment: datetime) -> None:
    clock.advance(seconds=(moment - clock.now()).total_seconds())


async def _history(app, clock) -> int:
    """Three sessions: a paid one in November, a free one ending just after midnight in Riga
    (still November in UTC), a per-minute one in December; two reviews."""
    ann, consultant = await people(app)
    async with app.uow() as uow:
        await uow.session.execute(update(Account).where(Account.id == consultant)
                                  .values(timezone="Europe/Riga"))
        await uow.commit()
    bob = (await registered(app, "bob")).id
    cid = (await registered(app, "cid")).id
    first = await on_db.live(app, ann, consultant, booking_id=1)
    clock.advance(minutes=25)
    await act(app, sessions.end, first, ann)
    await act(app, reviews.review, first, ann, 4)
    _move_to(clock, datetime(2026, 11, 30, 22, 0, tzinfo=UTC))  # 00:00 on 1 December in Riga
    second = await on_db.live(app, bob, consultant, booking_id=2)
    clock.advance(minutes=6)
    await act(app, sessions.end, second, bob)
    _move_to(clock, datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    third = await on_db.live(app, cid, consultant, booking_id=3, rate="2.00", unit="minute")
    clock.advance(minutes=20)
    await act(app, sessions.end, third, cid)
    await act(app, reviews.review, third, cid, 5, "Sharp.")
    return consultant


async def test_the_figures_add_up_sessions_minutes_and_money(app, clock):
    consultant = await _history(app, clock)
    figures = await act(app, metrics.consultant_metrics, consultant, consultant)
    assert (figures.sessions, figures.paid_sessions, figures.minutes) == (3, 2, 51)
    assert figures.gross == Money(8000, "EUR")  # €60 + 10 minutes at €2
    assert figures.commission == Money(1200, "EUR")  # 15 % of each charge
    assert figures.net == Money(6800, "EUR")
    assert (figures.rating, figures.reviews) == (Decimal("4.50"), 2)


async def test_conversion_and_response_time_come_from_the_bookings(app, clock):
    consultant = await _history(app, clock)
    seeker = await registered(app, "quinn", display_name="Quinn")
    asked = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    async with app.uow() as uow:
        for m in (2, 4, 30, None):
            uow.add(Booking(consultant_id=consultant, seeker_id=seeker.id, kind="scheduled",
                            status="confirmed" if m else "declined", minutes=30,
                            rate_kind="session", price_minor=6000, max_minor=6000,
                            currency="EUR", created_at=asked, updated_at=asked,
                            confirmed_at=asked + timedelta(minutes=m) if m else None))
        await uow.commit()
    figures = await act(app, metrics.consultant_metrics, consultant, consultant)
    assert (figures.requests, figures.conversion) == (4, Decimal("0.75"))
    assert figures.response == timedelta(minutes=4)


async def _history_in_memory() -> MemoryTally:
    """The same history on the in-memory logbook, its figures read by a tally: Jānis keeps
    Riga's time; the consulting commission is 15 %, at least €2."""
    book = logbook()
    tally = MemoryTally(book, accounts={JANIS: ("Europe/Riga", None)})
    first = await live(book, ANN, JANIS, booking_id=1)
    book.advance(minutes=25)
    await sessions.end(book, first, ANN)
    await reviews.review(book, first, ANN, 4)
    book.at = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # 00:00 on 1 December in Riga
    second = await live(book, BOB, JANIS, booking_id=2)
    book.advance(minutes=6)
    await sessions.end(book, second, BOB)
    book.at = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    third = await live(book, CID, JANIS, booking_id=3, rate="2.00", unit="minute")
    book.advance(minutes=20)
    await sessions.end(book, third, CID)
    await reviews.review(book, third, CID, 5, "Sharp.")
    return tally


async def test_the_figures_add_up_in_memory_too():
    tally = await _history_in_memory()
    figures = await metrics.consultant_metrics(tally, JANIS, JANIS)
    assert (figures.sessions, figures.paid_sessions, figures.minutes) == (3, 2, 51)
    assert (figures.gross, figures.commission, figures.net) == (
        Money(8000, "EUR"), Money(1200, "EUR"), Money(6800, "EUR"))
    assert (figures.rating, figures.reviews) == (Decimal("4.50"), 2)


async def test_only_the_consultant_and_admins_read_the_figures():
    tally = await _history_in_memory()
    for stranger in (ANN, BOB):
        with pytest.raises(NotAllowed):
            await metrics.consultant_metrics(tally, JANIS, stranger)
    assert (await metrics.consultant_metrics(tally, JANIS, ROOT)).sessions == 3
    quiet = await metrics.consultant_metrics(tally, OLGA, OLGA)  # nothing held, no currency
    assert (quiet.sessions, quiet.gross, quiet.rating) == (0, Money(0, "EUR"), None)
    tally.accounts[OLGA] = (None, "GBP")
    assert (await metrics.consultant_metrics(tally, OLGA, OLGA)).net == Money(0, "GBP")


async def test_requests_and_response_times_come_from_the_bookings_asked():
    tally = await _history_in_memory()
    asked = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    tally.asked[JANIS] = [(asked, asked + timedelta(minutes=m) if m else None)
                          for m in (2, 4, 30, None)]
    figures = await metrics.consultant_metrics(tally, JANIS, JANIS)
    assert (figures.requests, figures.conversion) == (4, Decimal("0.75"))
    assert figures.response == timedelta(minutes=4)


async def test_the_months_are_the_consultants_own_with_the_rating_trend():
    tally = await _history_in_memory()
    consultant = JANIS
    figures = await metrics.consultant_metrics(tally, consultant, consultant)
    months = {m.label: m for m in figures.months}
    assert list(months) == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
    assert (months["2026-11"].sessions, months["2026-11"].net, months["2026-11"].rating) == (
        1, Money(5100, "EUR"), Decimal("4.00"))
    assert (months["2026-12"].sessions, months["2026-12"].net, months["2026-12"].rating) == (
        2, Money(1700, "EUR"), Decimal("5.00"))


async def test_conversion_and_response_time_can_be_given_by_the_caller():
    tally = await _history_in_memory()
    consultant = JANIS
    figures = await metrics.consultant_metrics(tally, consultant, consultant, requests=5,
                        response_times=[timedelta(minutes=m) for m in (30, 2, 4)])
    assert (figures.requests, figures.conversion) == (5, Decimal("0.60"))
    assert figures.response == timedelta(minutes=4)
    none_asked = await metrics.consultant_metrics(tally, consultant, consultant)
    assert (none_asked.requests, none_asked.conversion, none_asked.response) == (0, None, None)


async def test_the_chart_is_a_png_of_exactly_the_figures(tmp_path):
    tally = await _history_in_memory()
    consultant = JANIS
    figures = await metrics.consultant_metrics(tally, consultant, consultant)
    series = metrics.chart_series(figures)
    assert series["net"] == [Decimal(0)] * 4 + [Decimal("51.00"), Decimal("17.00")]
    assert series["sessions"] == [0, 0, 0, 0, 1, 2]
    assert series["rating"] == [None] * 4 + [Decimal("4.00"), Decimal("5.00")]
    png = metrics.chart_png(figures)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert pixels.shape == (360, 700, 4)
    (tmp_path / "metrics.png").write_bytes(png)  # looked at once: bars, labels and the trend
