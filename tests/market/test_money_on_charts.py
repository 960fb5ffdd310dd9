"""Amounts on charts read as money in the reader's format, never as floats (“6600.0”)."""

from __future__ import annotations

from dataclasses import dataclass

from core.money.reading import money_ticks, reading


@dataclass
class Reader:
    language: str | None
    country: str | None


def test_a_price_axis_tick_reads_as_money_in_the_readers_format():
    tick = money_ticks("EUR")
    assert tick(6600.0, 0) == "€6,600.00"  # no reader: English
    with reading(Reader("en", "LV")):
        assert tick(6600.0, 0) == "6\xa0600,00\xa0€"
    assert money_ticks("JPY")(30000.0, 0) == "¥30,000"
