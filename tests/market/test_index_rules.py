"""The price index's methodology on plain values (core.market.index_rules)."""

from datetime import UTC, date, datetime
from decimal import Decimal

from core.market.index_rules import (
    Trade,
    Unpublished,
    change_percent,
    counts,
    enough_parties,
    week_value,
    weeks_due,
    weighted_median,
)


def trade(seller: int, buyer: int, tonnes: str, per_t: int, *, unit: str = "t",
          mwh: str = "4.8", currency: str = "EUR", basis: str = "FCA",
          grade: str = "ENplus A1") -> Trade:
    return Trade(seller, buyer, Decimal(tonnes), unit, per_t, currency, basis, grade,
                 Decimal(mwh))


def spread(*prices: int, tonnes: str = "10") -> list[Trade]:
    """One trade per price, each between a seller and a buyer of their own."""
    return [trade(10 + n, 20 + n, tonnes, p) for n, p in enumerate(prices)]


def test_the_value_is_the_volume_weighted_average_per_tonne_and_per_mwh():
    trades = [trade(1, 4, "10", 20000), trade(2, 5, "30", 22000), trade(3, 6, "20", 21000)]
    value = week_value(trades)
    # (10 * 200 + 30 * 220 + 20 * 210) / 60 = 213.33 €/t; over 4.8 MWh/t = 44.44 €/MWh
    assert (value.per_t_minor, value.per_mwh_minor) == (21333, 4444)
    assert (value.tonnes, value.deals, value.dropped, value.unpublished) == (60, 3, 0, None)


def test_kilograms_count_as_thousandths_of_a_tonne_and_the_energy_is_each_trades_own():
    trades = [trade(1, 4, "10000", 20, unit="kg", mwh="0.005"),  # 10 t at €200/t, 5 MWh/t
              trade(2, 5, "10", 20000, mwh="4.5"), trade(3, 6, "10", 20000)]
    value = week_value(trades)
    assert value.per_t_minor == 20000
    assert value.per_mwh_minor == round(Decimal(600000) / Decimal("143"))  # €6000 over 143 MWh


def test_a_price_more_than_a_quarter_from_the_weighted_median_is_trimmed():
    trades = spread(20000, 21000, 22000, 28000, 14000)
    assert weighted_median([(Decimal(t.price_minor), t.quantity) for t in trades]) == 21000
    value = week_value(trades)
    assert (value.per_t_minor, value.deals, value.dropped) == (21000, 3, 2)
    edge = spread(20000, 20000, 20000, 25000)  # exactly 25 % above is kept
    assert week_value(edge).dropped == 0


def test_the_weighted_median_follows_the_volume_not_the_count():
    prices = [(Decimal(100), Decimal(1)), (Decimal(200), Decimal(1)), (Decimal(300), Decimal(10))]
    assert weighted_median(prices) == 300


def test_fewer_than_three_sellers_or_buyers_is_not_published_and_has_no_number():
    two_sellers = [trade(1, 4, "10", 20000), trade(1, 5, "10", 20000), trade(2, 6, "10", 20000)]
    value = week_value(two_sellers)
    assert (value.per_t_minor, value.per_mwh_minor) == (None, None)
    assert value.unpublished == Unpublished.FEW_PARTIES
    two_buyers = [trade(1, 4, "10", 20000), trade(2, 4, "10", 20000), trade(3, 5, "10", 20000)]
    assert not enough_parties(two_buyers)
    assert week_value([]).unpublished == Unpublished.NO_TRADES


def test_one_party_above_sixty_percent_of_the_volume_withholds_the_week():
    big = [trade(1, 4, "61", 20000), trade(2, 5, "20", 20000), trade(3, 6, "19", 20000)]
    assert not enough_parties(big)
    assert week_value(big).unpublished == Unpublished.FEW_PARTIES
    even = [trade(1, 4, "60", 20000), trade(2, 5, "20", 20000), trade(3, 6, "20", 20000)]
    assert enough_parties(even)


def test_parties_are_counted_after_the_trim():
    # Three sellers, but the third's price is trimmed: two are left, so nothing is published.
    trades = [trade(1, 4, "10", 20000), trade(2, 5, "10", 20000), trade(3, 6, "10", 40000)]
    assert week_value(trades).unpublished == Unpublished.FEW_PARTIES


def test_without_an_energy_figure_it_is_published_per_tonne_only():
    trades = [trade(1, 4, "10", 20000), trade(2, 5, "10", 20000),
              trade(3, 6, "10", 20000, mwh="0")]
    value = week_value(trades)
    assert (value.per_t_minor, value.per_mwh_minor) == (20000, None)


def test_only_trades_in_the_index_currency_basis_unit_and_grade_count():
    def ok(t: Trade) -> bool:
        return counts(t, "EUR", "FCA", "ENplus A1")

    assert ok(trade(1, 2, "10", 1)) and ok(trade(1, 2, "10", 1, grade="enplus a1"))
    assert ok(trade(1, 2, "10", 1, basis="fca"))
    assert not ok(trade(1, 2, "10", 1, currency="SEK"))
    assert not ok(trade(1, 2, "10", 1, basis="DAP"))
    assert not ok(trade(1, 2, "10", 1, unit="loose_m3"))
    assert not ok(trade(1, 2, "10", 1, grade="ENplus A2"))
    assert counts(trade(1, 2, "10", 1, grade="Industrial"), "EUR", "FCA", None)


def test_weeks_due_are_the_ended_iso_weeks_after_the_last_stored():
    thursday = datetime(2026, 11, 26, 9, tzinfo=UTC)  # week of Monday 23 November
    assert weeks_due(date(2026, 11, 9), thursday) == [date(2026, 11, 16)]
    assert weeks_due(date(2026, 11, 16), thursday) == []
    first = weeks_due(None, thursday)
    assert (len(first), first[0], first[-1]) == (26, date(2026, 5, 25), date(2026, 11, 16))


def test_the_change_is_on_the_week_before():
    assert change_percent(21000, 20000) == Decimal("0.05")
    assert change_percent(21000, None) is None
