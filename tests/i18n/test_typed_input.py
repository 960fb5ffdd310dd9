"""Numbers and dates are read as the person writes them: “1.234,5 t” from a German, “1 234,5”
from a Finn, “24.12.2026” and “12/24/2026”; what two conventions read differently is asked
again with an example in the person's own format, never guessed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from conversations.fields import FieldError
from conversations.flows.consulting.booking_fields import TimeField
from conversations.flows.market.amount_and_date_fields import DateField, PriceField, QuantityField
from conversations.number_and_date_fields import DecimalField, IntegerField
from core.i18n.typed import Ambiguous, Unreadable, date_example, read_date, read_number
from core.money.reading import reading
from tests.catalog.helpers import answer_form
from tests.catalog.in_memory import market, member
from tests.support.languages import said

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("typed", "locale", "number"), [
    ("1.234,5", "de_DE", "1234.5"), ("1,234.5", "en", "1234.5"), ("1 234,5", "fi_FI", "1234.5"),
    ("1\u00a0234,5", "fr_FR", "1234.5"), ("1\u202f234,5", "sv_SE", "1234.5"),
    ("1.234", "de_DE", "1234"), ("1,234", "en", "1234"), ("1,234", "de_DE", "1.234"),
    ("1.234", "en", "1.234"), ("12,5", "en", "12.5"), ("12.5", "de_DE", "12.5"),
    ("0,500", "en", "0.500"), ("1.234.567", "de_DE", "1234567"), ("1 234 567", "lv_LV", "1234567"),
    ("230,50", "pl_PL", "230.50"), ("-3", "en", "-3"), ("−3,5", "lt_LT", "-3.5"),
    ("1.234,5", "lv_LV", "1234.5"), ("1,234.5", "et_EE", "1234.5"),
])
def test_a_number_is_read_by_the_readers_conventions(typed, locale, number):
    assert read_number(typed, locale) == Decimal(number)


@pytest.mark.parametrize("locale", ["fi_FI", "sv_SE", "fr_FR", "pl_PL", "lv_LV", "lt_LT", "et_EE"])
def test_a_dot_before_three_digits_is_asked_again_where_spaces_group_digits(locale):
    with pytest.raises(Ambiguous) as asked:
        read_number("1.234", locale)
    assert asked.value.example in ("1\u00a0234,5", "1\u202f234,5")  # French: a narrow space


@pytest.mark.parametrize("typed", ["lots", "1e5", "NaN", "12,", "1.2.3", "١٢", "12 5", "",
                                   "1,23,456", "9" * 41])
def test_what_is_no_number_in_any_convention_is_refused(typed):
    with pytest.raises(Unreadable):
        read_number(typed, "de_DE")


@pytest.mark.parametrize(("typed", "locale", "day"), [
    ("24.12.2026", "de_DE", date(2026, 12, 24)), ("24.12.", "lv_LV", date(2026, 12, 24)),
    ("24/12/2026", "de_DE", date(2026, 12, 24)), ("12/24/2026", "en", date(2026, 12, 24)),
    ("03/04/2026", "en", date(2026, 3, 4)), ("03/04/2026", "en_IE", date(2026, 4, 3)),
    ("03/04/2026", "fr_FR", date(2026, 4, 3)), ("2026-12-24", "sv_SE", date(2026, 12, 24)),
    ("24. Dezember 2026", "de_DE", date(2026, 12, 24)), ("24 grudnia", "pl_PL", date(2026, 12, 24)),
    ("24 décembre 2026", "fr_FR", date(2026, 12, 24)), ("Dec 24", "de_DE", date(2026, 12, 24)),
    ("24. joulukuuta 2026", "fi_FI", date(2026, 12, 24)), ("24.12.26", "et_EE", date(2026, 12, 24)),
])
def test_a_date_is_read_by_the_readers_conventions(typed, locale, day):
    assert read_date(typed, locale, TODAY) == day


def test_a_slashed_date_two_ways_is_asked_again_where_the_locale_writes_no_slashes():
    with pytest.raises(Ambiguous) as asked:
        read_date("03/04/2026", "de_DE", TODAY)
    assert asked.value.example == "24.12.2026"
    assert [date_example(loc) for loc in ("en", "en_IE", "sv_SE", "lt_LT")] == [
        "12/24/2026", "24/12/2026", "2026-12-24", "2026-12-24"]


def test_fields_answer_in_the_readers_format(monkeypatch):
    german = type("Reader", (), {"language": "de", "country": "DE"})()
    finn = type("Reader", (), {"language": "fi", "country": "FI"})()
    with reading(german):
        assert QuantityField("quantity", "Quantity", places=3, units=("t",)).parse_raw(
            "1.234,5 t").others == {"unit": "t"}
        price = PriceField("price", "Price", maximum=Decimal("21999.99"))
        assert price.parse_raw("230,50 €").value == "230.50"
        with pytest.raises(FieldError, match=r"0 .*21\.999,99"):
            price.parse_raw("30.000")
        assert IntegerField("n", "Count").parse_raw("1.000") == 1000
        day = DateField("from", "Available from", today=TODAY, earliest=0, latest=730)
        assert day.parse_raw("24.12.2026") == "2026-12-24"
        with pytest.raises(FieldError, match=r"24\.12\.2026"):
            day.parse_raw("03/04/2027")
        with pytest.raises(FieldError, match=r"23\.11\.2026"):
            day.parse_raw("1.1.2026")
        time = TimeField("t", "Time 1")
        time.today = TODAY
        assert time.parse_raw("3.12. 14.30") == "2026-12-03T14:30"
    with reading(finn):
        with pytest.raises(FieldError) as asked:
            DecimalField("quantity", "Quantity").parse_raw("1.234")
        assert "1\u00a0234,5" in str(asked.value)


async def test_a_german_seller_lists_with_german_numbers_and_dates():
    chat, stock = market()  # the catalogue in memory (tests/catalog/in_memory.py)
    jonas = member(chat, stock, "jonas", country="DE", city="Munich", language="de")
    await jonas.say("/sell")
    await jonas.tap(said("de", "Wood pellets"))
    await answer_form(jonas, ["1.234,5 t", "230,50 €", said("de", "Fixed price"), "München",
                              [said("de", "Pickup"), "EXW"], "Hafen München"], "de")
    await jonas.tap(said("de", "➕ Add details / ✏ Edit a field"))
    await jonas.tap(said("de", "Valid until"))
    await jonas.say("03/04/2027")
    assert said("de", "{label}: “{text}” reads two ways. Type it like {example}.",
                label=said("de", "Valid until"), text="03/04/2027",
                example="24.12.2026") in jonas.texts()
    await jonas.say("24.12.2026")
    [listing] = stock.listings.values()
    assert (listing.quantity_milli, listing.price_minor, listing.currency) == (
        1_234_500, 23_050, "EUR")
    assert listing.city == "Munich" and listing.valid_until.date() == date(2026, 12, 24)
