"""Countries as people type them, without a database: codes, and names in English, in the
members' languages and in the country's own, any case and with or without accents."""

from __future__ import annotations

import pytest

from conversations.fields import FieldError
from conversations.profile_fields import COUNTRIES, CountryField
from core.i18n.countries import close_countries, codes, country_code, matching


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


def test_only_real_countries_are_countries():
    assert len(codes()) == 249  # ISO 3166-1's assigned codes
    assert not codes() & {"XA", "XB", "ZZ", "EU", "EZ", "UN", "QO", "AC", "IC", "EA", "TA"}
    assert country_code("Pseudo-Accents") is None and country_code("European Union") is None


@pytest.mark.parametrize(("typed", "language", "offered"), [
    ("Swed", "en", [("SE", "Sweden")]),
    ("Swe", "en", [("SE", "Sweden")]),
    ("Schw", "de", [("SE", "Schweden"), ("CH", "Schweiz")]),
    ("Szw", "pl", [("CH", "Szwajcaria"), ("SE", "Szwecja")]),
    ("Kingdom", "en", [("GB", "United Kingdom")]),  # a word of the name
    ("Deutsch", "en", [("DE", "Germany")]),  # the start of a name in another language
    ("Grmany", "en", [("DE", "Germany")]),  # a slip of the keys, when nothing starts so
    ("Pseudo", "en", []),
])
def test_the_picker_offers_the_countries_a_typed_start_names_in_the_readers_language(
        typed, language, offered):
    assert matching(typed, language) == offered

