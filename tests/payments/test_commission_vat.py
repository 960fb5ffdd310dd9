"""The VAT on Agora's commission, a service sold to the payee: a plain rule, no database."""

from __future__ import annotations

from decimal import Decimal

from core.accounts.service_vat import commission_vat
from core.accounts.vat import included_vat
from core.money.model import Money

FEE = Money(500, "EUR")  # €5.00 commission, as the money layer took it
RATE = Decimal("21")


def test_a_payee_in_agoras_own_country_pays_domestic_vat_included_in_the_commission():
    vat = commission_vat("LV", RATE, "LV", "LV40003521600", FEE)
    assert vat.kind == "domestic" and vat.rate == RATE
    assert (vat.net, vat.vat) == (Money(413, "EUR"), Money(87, "EUR"))  # 500 x 21/121 = 86.78
    assert vat.net + vat.vat == FEE and "VAT 21% included" in vat.text


def test_a_business_in_another_member_state_is_reverse_charged_under_article_196():
    vat = commission_vat("LV", RATE, "DE", "DE136695976", FEE)
    assert vat.kind == "reverse_charge" and vat.vat == Money(0, "EUR") and vat.net == FEE
    assert "reverse charge" in vat.text and "Article 196" in vat.text
    assert "Directive 2006/112/EC" in vat.text


def test_a_payee_outside_the_eu_is_not_subject_to_eu_vat():
    vat = commission_vat("LV", RATE, "US", None, FEE)
    assert vat.kind == "outside_eu" and vat.vat == Money(0, "EUR")
    assert vat.text.startswith("Not subject to EU VAT")


def test_a_payee_in_another_member_state_without_a_vat_number_pays_agoras_vat():
    vat = commission_vat("LV", RATE, "DE", None, FEE)
    assert vat.kind == "eu_private" and vat.vat == Money(87, "EUR")
    assert "Article 45" in vat.text


def test_the_included_vat_rounds_half_up_to_the_minor_unit():
    assert included_vat(Money(121, "EUR"), RATE) == Money(21, "EUR")
    assert included_vat(Money(0, "EUR"), RATE) == Money(0, "EUR")
