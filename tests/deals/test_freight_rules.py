"""Freight's rules without a database: route matching, a quote's validity, the delivered
total and price per MWh delivered, and which of the haulier's updates each state allows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.deals.freight import rules
from core.deals.freight.rules import FreightState, QuoteTerms
from core.errors import Conflict, InvalidField
from core.money.model import Money

DAY = date(2026, 12, 3)
CLOSES = datetime(2026, 12, 1, tzinfo=UTC)
BEFORE = datetime(2026, 11, 28, tzinfo=UTC)


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


def test_routes_are_read_as_country_codes_and_pairs():
    assert rules.parse_routes("lv, LT; lv – de\nEE") == ("LV", "LT", "LV-DE", "EE")
    for wrong in ("Latvia", "LV-DE-PL", "L1", " , "):
        with pytest.raises(InvalidField):
            rules.parse_routes(wrong)


def test_a_pair_serves_both_ways_and_countries_serve_any_route_between_them():
    assert rules.serves(["LV-DE"], "DE", "LV") and rules.serves(["LV-DE"], "LV", "DE")
    assert rules.serves(["LV", "EE"], "LV", "EE") and rules.serves(["LV"], "LV", "LV")
    assert not rules.serves(["LV"], "LV", "EE")  # one end outside
    assert not rules.serves(["LV-DE"], "LV", "PL")
    assert not rules.serves(["LV"], None, "LV")


def test_a_quote_picks_up_within_the_window_before_the_request_closes():
    good = QuoteTerms(eur("900"), DAY, 2)
    rules.checked_quote(good, "EUR", DAY, date(2026, 12, 9), CLOSES, BEFORE)
    with pytest.raises(Conflict):
        rules.checked_quote(good, "EUR", DAY, date(2026, 12, 9), CLOSES, CLOSES)
    bad = {"price": QuoteTerms(eur("0"), DAY, 2),
           "pickup_on": QuoteTerms(eur("900"), date(2026, 12, 10), 2),
           "transit_days": QuoteTerms(eur("900"), DAY, 31)}
    for field, terms in bad.items():
        with pytest.raises(InvalidField) as caught:
            rules.checked_quote(terms, "EUR", DAY, date(2026, 12, 9), CLOSES, BEFORE)
        assert caught.value.field == field
    with pytest.raises(InvalidField):  # not the deal's currency
        rules.checked_quote(QuoteTerms(Money.parse("900", "SEK"), DAY, 2), "EUR", DAY,
                            date(2026, 12, 9), CLOSES, BEFORE)


def test_a_loading_window_starts_today_or_later_and_is_at_most_sixty_days():
    rules.checked_window(DAY, DAY, DAY)
    for start, end in ((date(2026, 12, 2), DAY), (DAY, date(2026, 12, 2)),
                       (DAY, date(2027, 2, 2))):
        with pytest.raises(InvalidField):
            rules.checked_window(start, end, DAY)


def test_the_delivered_total_adds_the_freight_and_divides_by_the_energy():
    # 100 t at €220 with €1,200 of freight; pellets hold 4.8 MWh a tonne: 480 MWh
    found = rules.delivered(eur("22000"), eur("1200"), Decimal("100"), Decimal("4.8"))
    assert found.total == eur("23200")
    assert found.per_mwh == eur("48.33")  # 23,200 / 480, rounded half up
    assert rules.delivered(eur("22000"), eur("1200"), Decimal("100"), Decimal(0)).per_mwh is None


def test_each_update_fits_only_its_states_and_delivered_needs_the_cmr():
    assert rules.allowed_updates(FreightState.PAID) == ("loaded",)
    assert rules.allowed_updates(FreightState.LOADED) == ("on_the_way", "delivered")
    assert rules.allowed_updates(FreightState.BOOKED) == ()  # unpaid: nothing to load yet
    assert rules.next_state(FreightState.ON_THE_WAY, "on_the_way") == FreightState.ON_THE_WAY
    assert rules.next_state(FreightState.LOADED, "delivered", True) == FreightState.DELIVERED
    with pytest.raises(InvalidField):
        rules.next_state(FreightState.LOADED, "delivered", False)
    with pytest.raises(Conflict):
        rules.next_state(FreightState.OPEN, "loaded")
    with pytest.raises(Conflict):
        rules.next_state(FreightState.DELIVERED, "on_the_way")


def _booked_transport(state: str = FreightState.ON_THE_WAY):
    from core.deals.freight.view import FreightFacts, QuoteFacts

    quote = QuoteFacts(1, "Hugo Haul", 9, eur("1200"), DAY, 2, "accepted")
    return FreightFacts(
        1, 7, state, 3, "EUR", "Riga", "LV", "Tartu", "EE", Decimal("100"), "t", DAY,
        date(2026, 12, 9), "walking_floor", quote,
        rules.delivered(eur("22000"), eur("1200"), Decimal("100"), Decimal("4.8")),
        "Valmiera", date(2026, 12, 6), False, "buyer")


def test_the_deal_card_writes_the_freight_in_the_readers_language_and_format():
    from core.deals.freight.cards import deal_lines, transport_text
    from core.i18n import Visitor
    from core.money.reading import reading

    transport = _booked_transport()
    with reading(Visitor("de", "DE")):
        german = "\n".join(deal_lines(transport))
        card = transport_text(transport)
    assert "Gesamt frei Haus: 23.200,00\xa0€ (≈ 48,33\xa0€/MWh frei Haus)" in german
    assert "Fracht: 1.200,00\xa0€ (Hugo Haul)" in german and "unterwegs" in german
    assert "Schubboden" in card and "Riga, Lettland → Tartu, Estland" in card
    with reading(Visitor("en", "IE")):
        english = "\n".join(deal_lines(transport))
    assert "Delivered total: €23,200.00 (≈ €48.33/MWh delivered)" in english
    assert "Last position: Valmiera" in english and "Expected: 6 Dec 2026" in english
