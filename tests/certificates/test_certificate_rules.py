"""The rules of a profile's certificates, without a database: each scheme's number format
(leniently typed), validity through the last day, and the day the holder is told."""

from __future__ import annotations

from datetime import date

import pytest

from core.catalog.taxonomy import CERTIFICATIONS
from core.certificates import rules
from core.errors import DomainError


@pytest.mark.parametrize(("scheme", "typed", "kept"), [
    ("enplus", "DE 301 1234", "DE 301 1234"),
    ("enplus", "de3011234", "DE 301 1234"),
    ("enplus", "  at  001 ", "AT 001"),
    ("sbp", "SBP-01-23", "SBP-01-23"),
    ("sbp", "sbp – 01 – 23", "SBP-01-23"),
    ("iscc", "EU-ISCC-Cert-DE100-12345678", "EU-ISCC-Cert-DE100-12345678"),
    ("iscc", "eu iscc cert de100 12345678", "EU-ISCC-Cert-DE100-12345678"),
    ("fsc", "sgsch-coc-123456", "SGSCH-COC-123456"),
    ("fsc", "NC-CW-0123", "NC-CW-0123"),
    ("pefc", "BV-PEFC-COC-123456", "BV-PEFC-COC-123456"),
    ("pefc", "bv/pefc/0123", "BV-PEFC-0123"),
    ("sure", "sure-eu-de-123-45", "SURE-EU-DE-123-45"),
    ("redcert", "REDcert-EU-DE-123-45", "REDcert-EU-DE-123-45"),
    ("redcert", "redcert eu 0001", "REDcert-EU-0001"),
])
def test_a_certificate_number_in_its_schemes_format_is_kept_in_its_usual_spelling(
        scheme, typed, kept):
    assert rules.certificate_number(scheme, typed) == kept


@pytest.mark.parametrize(("scheme", "typed"), [
    ("enplus", "301 1234"),  # no country
    ("enplus", "DE 30 1234"),
    ("sbp", "SBP-1-23"),
    ("sbp", "01-23"),
    ("iscc", "ISCC-DE100-12345678"),
    ("iscc", "EU-ISCC-Cert-DE1-12345678"),
    ("fsc", "SGSCH-123456"),
    ("fsc", "SGSCH-COC-12"),
    ("pefc", "BV-COC-123456"),
    ("sure", "REDcert-EU-1"),
    ("redcert", "SURE-EU-1"),
])
def test_a_number_not_in_the_schemes_format_is_refused_with_an_example(scheme, typed):
    with pytest.raises(DomainError, match=f"{rules.scheme_name(scheme)}.*“") as refused:
        rules.certificate_number(scheme, typed)
    assert rules.EXAMPLES[scheme] in str(refused.value)


def test_every_example_is_a_number_of_its_own_scheme_and_the_schemes_are_the_catalogues():
    for scheme, example in rules.EXAMPLES.items():
        assert rules.certificate_number(scheme, example) == example
    assert set(rules.EXAMPLES) == set(rules.SCHEMES)
    assert {code: CERTIFICATIONS[code] for code in rules.SCHEMES} == rules.SCHEME_NAMES
    with pytest.raises(DomainError):
        rules.check_scheme("red2")  # a claim of compliance, with no certificate of its own


def test_a_certificate_is_valid_through_its_last_day_and_expired_the_day_after():
    last = date(2027, 3, 31)
    assert rules.is_valid(last, date(2027, 3, 31))
    assert not rules.is_valid(last, date(2027, 4, 1))
    with pytest.raises(DomainError):
        rules.check_valid_until(date(2026, 11, 19), date(2026, 11, 20))
    assert rules.check_valid_until(date(2026, 11, 20), date(2026, 11, 20)) == date(2026, 11, 20)


@pytest.mark.parametrize(("last", "told"), [
    (date(2027, 6, 15), date(2027, 5, 15)),
    (date(2027, 3, 31), date(2027, 2, 28)),  # February has no 31st
    (date(2028, 3, 30), date(2028, 2, 29)),  # a leap year
    (date(2027, 1, 10), date(2026, 12, 10)),  # over the year's end
])
def test_the_holder_is_told_a_month_before_the_last_day(last, told):
    assert rules.warn_on(last) == told


def test_the_notice_is_due_from_its_day_to_the_last_day_and_only_once():
    last = date(2027, 6, 15)
    assert not rules.warning_due(last, date(2027, 5, 14), warned=False)
    assert rules.warning_due(last, date(2027, 5, 15), warned=False)
    assert rules.warning_due(last, date(2027, 6, 15), warned=False)
    assert not rules.warning_due(last, date(2027, 6, 16), warned=False)  # expired: nothing
    assert not rules.warning_due(last, date(2027, 5, 20), warned=True)


def test_a_holders_name_is_kept_as_written_in_one_line():
    assert rules.holder_name("  Sam   Pellets  SIA ") == "Sam Pellets SIA"
    with pytest.raises(DomainError):
        rules.holder_name("   ")
