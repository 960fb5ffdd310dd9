"""A consultant's figures from the sessions they held and the reviews they got, on plain
values: no database. (`test_sessions_metrics.py` reads them through real sessions.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.consulting.profiles.figures import Held, Review, average, figures, median_time, ratio
from core.money.model import CommissionRule, Money

RIGA = ZoneInfo("Europe/Riga")
NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
TEN_PERCENT = CommissionRule(Decimal(10))


def held(ended: datetime, minutes: int, charged: int | None, currency: str = "EUR") -> Held:
    return Held(ended - timedelta(minutes=minutes), ended, charged, currency)


def test_money_counts_the_charged_sessions_commission_taken_on_each():
    sessions = [held(datetime(2026, 11, 5, 10, tzinfo=UTC), 25, 80_00),
                held(datetime(2026, 11, 6, 10, tzinfo=UTC), 6, None),  # ended in the free minutes
                held(datetime(2026, 12, 2, 10, tzinfo=UTC), 20, 40_05)]
    found = figures(7, sessions, [], None, None, TEN_PERCENT, "EUR", RIGA, NOW)
    assert (found.sessions, found.paid_sessions, found.minutes) == (3, 2, 51)
    assert found.gross == Money(120_05, "EUR")
    assert found.commission == Money(8_00 + 4_01, "EUR")  # 4.005 rounds half up, per session
    assert found.net == found.gross - found.commission


def test_sessions_in_another_currency_count_as_held_but_not_in_the_money():
    sessions = [held(datetime(2026, 12, 1, 10, tzinfo=UTC), 30, 80_00),
                held(datetime(2026, 12, 2, 10, tzinfo=UTC), 30, 900_00, currency="SEK")]
    found = figures(7, sessions, [], 4, None, TEN_PERCENT, "EUR", RIGA, NOW)
    assert (found.sessions, found.gross, found.conversion) == (2, Money(80_00, "EUR"),
                                                               Decimal("0.50"))
    assert [m.sessions for m in found.months][-1] == 1  # the month's line is in EUR alone


def test_the_last_six_months_are_the_consultants_own_oldest_first():
    # 22:30 UTC on 30 November is half past midnight on 1 December in Riga.
    sessions = [held(datetime(2026, 11, 30, 22, 30, tzinfo=UTC), 10, 50_00)]
    reviews = [Review(4, datetime(2026, 11, 30, 22, 45, tzinfo=UTC)),
               Review(5, datetime(2026, 12, 9, 9, 0, tzinfo=UTC)),
               Review(3, datetime(2026, 6, 1, 9, 0, tzinfo=UTC))]  # seven months back: left out
    found = figures(7, sessions, reviews, None, None, TEN_PERCENT, "EUR", RIGA, NOW)
    assert [m.label for m in found.months] == ["2026-07", "2026-08", "2026-09", "2026-10",
                                               "2026-11", "2026-12"]
    december = found.months[-1]
    assert (december.sessions, december.minutes, december.net) == (1, 10, Money(45_00, "EUR"))
    assert december.rating == Decimal("4.50")
    assert found.months[-2].sessions == 0 and found.months[-2].rating is None
    assert (found.rating, found.reviews) == (Decimal("4.00"), 3)  # every review, all time


def test_the_year_turns_in_the_months_of_january():
    found = figures(7, [], [], None, None, TEN_PERCENT, "EUR", RIGA,
                    datetime(2027, 1, 31, 23, 0, tzinfo=UTC))  # 1 February in Riga
    assert [m.label for m in found.months] == ["2026-09", "2026-10", "2026-11", "2026-12",
                                               "2027-01", "2027-02"]


def test_averages_ratios_and_medians_round_to_the_cent_and_say_none_without_data():
    assert average([4, 5, 5]) == Decimal("4.67") and average([]) is None
    assert ratio(2, 3) == Decimal("0.67")
    assert ratio(5, 3) == Decimal("1.00")  # never above one
    assert ratio(2, 0) is None and ratio(2, None) is None
    assert median_time([timedelta(hours=1), timedelta(hours=5), timedelta(hours=2)]) == \
        timedelta(hours=2)
    assert median_time([timedelta(hours=1), timedelta(hours=2)]) == timedelta(minutes=90)
    assert median_time([]) is None and median_time(None) is None
