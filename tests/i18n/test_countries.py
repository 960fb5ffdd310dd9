"""Countries as people type them, without a database: codes, and names in English, in the
members' languages and in the country's own, any case and with or without accents."""

from __future__ import annotations

import pytest

from conversations.fields import FieldError
from conversations.profile_fields import COUNTRIES, CountryField
from core.i18n.countries import close_countries, country_code


@pytest.mark.parametrize(("typed", "code"), [
    ("Deutschland", "DE"), ("deutschland", "DE"), ("DE", "DE"), ("de", "DE"),
    ("Polska", "PL"), ("Latvija", "LV"), ("Suomi", "FI"), ("Eesti", "EE"), ("Lietuva", "LT"),
    ("Sverige", "SE"), ("Österreich", "AT"), ("Osterreich", "AT"), ("Česko", "CZ"),
    ("España", "ES"), ("Niemcy", "DE"), ("Vācija", "DE"), ("Allemagne", "DE"), ("Latvia", "LV"),
])
def test_a_country_is_known_by_its_code_and_its_names_in_the_members_languages(typed, code):
    assert country_code(typed) == code


def test_a_misspelt_name_in_any_language_offers_the_country_first():
    assert close_countries("Deutchland")[0][0] == "DE"
    assert close_countries("Latvja")[0][0] == "LV"
    assert country_code("Deutchland") is None and country_code("Xyz") is None


def _field() -> CountryField:
    return CountryField("country", "Country", choices=COUNTRIES)


def test_the_country_question_takes_a_local_name_and_corrects_a_clear_slip():
    assert _field().match("Deutschland") == "DE"
    assert _field().match("Suomi") == "FI"
    assert _field().match("Deutchland") == "DE"  # one country stands out: taken


def test_an_unknown_country_is_asked_again_with_the_closest_to_tap_or_an_example():
    with pytest.raises(FieldError) as unclear:
        _field().match("Ireland and Iceland")
    assert "Did you mean one of these?" in str(unclear.value)
    with pytest.raises(FieldError) as unknown:
        _field().match("<b>x</b> *y*")
    assert "like Latvia, Latvija or LV" in str(unknown.value)
