"""Billing details asked once per party, VAT numbers checked per country, and the VAT treatment
a sale falls under."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from core.accounts import billing
from core.accounts.billing import Billing, checked_rate
from core.accounts.vat import (
    REVERSE_CHARGE_TEXT,
    VatKind,
    added_vat,
    included_vat,
    treatment,
)
from core.accounts.vat_ids import check_vat_id
from core.errors import DomainError
from core.money.model import Money
from tests.catalog.helpers import make_account

# Valid numbers from python-stdnum's own documentation.
VALID = [("LV", "LV 4000 3521 600", "LV40003521600"), ("DE", "DE 136,695 976", "DE136695976"),
         ("PL", "PL 8567346215", "PL8567346215"), ("SE", "SE 123456789701", "SE123456789701"),
         ("GR", "EL 094259216", "EL094259216"), ("LV", "40003521600", "LV40003521600")]


@pytest.mark.parametrize(("country", "typed", "kept"), VALID)
def test_a_valid_vat_number_is_kept_in_its_standard_form(country, typed, kept):
    assert check_vat_id(country, typed) == kept


@pytest.mark.parametrize(("country", "typed", "said"), [
    ("LV", "LV4000352160", "A Latvian VAT number is LV followed by 11 digits; LV4000352160 is not"),
    ("LV", "LV40003521601", "LV40003521601 is not a valid Latvian VAT number"),
    ("DE", "DE136695978", "DE136695978 is not a valid German VAT number"),
    ("DE", "DE12345", "A German VAT number is DE followed by 9 digits"),
    ("PL", "PL 8567346216", "PL8567346216 is not a valid Polish VAT number"),
    ("SE", "SE123456789101", "SE123456789101 is not a valid Swedish VAT number"),
    ("SE", "SE1234", "A Swedish VAT number is SE followed by 12 digits ending in 01"),
    ("GR", "EL12345", "A Greek VAT number is EL followed by 9 digits"),
])
def test_an_invalid_vat_number_is_refused_naming_the_country(country, typed, said):
    with pytest.raises(DomainError) as refused:
        check_vat_id(country, typed)
    assert said in str(refused.value)


def test_a_vat_number_of_another_country_is_refused_saying_which_one_the_address_needs():
    with pytest.raises(DomainError) as refused:
        check_vat_id("LV", "DE136695976")
    assert str(refused.value) == ("That VAT number starts with DE, but the address is in Latvia. "
                                  "A Latvian VAT number is LV followed by 11 digits.")


def test_a_vat_number_outside_the_eu_is_checked_by_its_country_rules_where_known():
    assert check_vat_id("GB", "GB 980 7806 84") == "GB980780684"
    assert check_vat_id("NO", "NO 995 525 828 MVA") == "NO995525828MVA"
    with pytest.raises(DomainError, match="United Kingdom"):
        check_vat_id("GB", "GB 123")


async def test_billing_details_are_missing_until_given_and_then_kept_on_the_account(app):
    janis = await make_account(app, "janis")
    async with app.uow() as uow:
        assert await billing.missing(uow, janis.id)
        assert await billing.billing_of(uow, janis.id) is None
        await billing.set_billing(uow, janis.id, legal_name="  SIA  Bērziņš   Bioenerģija ",
                                  street="Brīvības iela 1", postcode="LV-1010", town="Rīga",
                                  country="lv", vat_id="LV 4000 3521 600")
        await uow.commit()
    async with app.uow() as uow:
        assert not await billing.missing(uow, janis.id)
        assert await billing.billing_of(uow, janis.id) == Billing(
            "SIA Bērziņš Bioenerģija", "Brīvības iela 1", "LV-1010", "Rīga", "LV", "LV40003521600")
        party = await billing.party_of(uow, janis.id)
    assert party.block() == ("SIA Bērziņš Bioenerģija\nBrīvības iela 1\nLV-1010 Rīga\nLatvia\n"
                             "VAT ID: LV40003521600")


async def test_a_private_person_gives_billing_details_without_a_vat_number(app):
    anna = await make_account(app, "anna", country="PL")
    async with app.uow() as uow:
        kept = await billing.set_billing(uow, anna.id, legal_name="Anna Nowak",
                                         street="ul. Piotrkowska 1", postcode="90-001",
                                         town="Łódź", country="PL", vat_id=" ")
        assert (kept.vat_id, kept.is_business) == (None, False)


GOOD_BILLING = {"legal_name": "SIA Bērziņš", "street": "Brīvības iela 1", "postcode": "LV-1010",
                "town": "Rīga", "country": "LV", "vat_id": None}


@pytest.mark.parametrize(("change", "said"), [
    ({"country": "XX"}, "two-letter code"),
    ({"postcode": ""}, "addresses in Latvia have one"),
    ({"postcode": "LV#1010"}, "letters, digits, spaces and hyphens"),
    ({"legal_name": " "}, "Please give the legal name"),
    ({"street": "x" * 201}, "The street is too long"),
    ({"vat_id": "LV123"}, "A Latvian VAT number is LV followed by 11 digits"),
])
def test_wrong_billing_details_are_refused_saying_what_to_fix(change, said):
    details = {**GOOD_BILLING, **change}
    with pytest.raises(DomainError, match=said):
        billing.check(**details)


async def test_refused_billing_details_are_not_kept(app):
    janis = await make_account(app, "janis")
    async with app.uow() as uow:
        with pytest.raises(DomainError, match="two-letter code"):
            await billing.set_billing(uow, janis.id, **{**GOOD_BILLING, "country": "XX"})
        assert await billing.missing(uow, janis.id)


async def test_a_party_without_billing_details_is_named_as_registered(app):
    sam = await make_account(app, "sam")
    async with app.uow() as uow:
        assert (await billing.party_of(uow, sam.id)).block() == "Sam\nsam@ex.com"
        assert (await billing.party_of(uow, None)).name == "Agora (platform)"


# --- VAT treatment ----------------------------------------------------------------------------


def firm(country: str, vat: str | None = None) -> Billing:
    return Billing("Firm", "Street 1", "1000", "Town", country, vat)


LV_FIRM, DE_FIRM = firm("LV", "LV40003521600"), firm("DE", "DE136695976")


@pytest.mark.parametrize(("seller", "buyer", "supply", "kind", "says"), [
    (LV_FIRM, firm("LV", "LV40003521600"), "goods", VatKind.DOMESTIC,
     "Domestic sale in Latvia: VAT 21% charged by the seller"),
    (LV_FIRM, firm("LV"), "goods", VatKind.DOMESTIC, "in Latvia: VAT 21%"),
    (firm("LV"), firm("LV"), "goods", VatKind.DOMESTIC, "not registered for VAT"),
    (LV_FIRM, DE_FIRM, "goods", VatKind.REVERSE_CHARGE, "Article 138"),
    (LV_FIRM, DE_FIRM, "services", VatKind.REVERSE_CHARGE, REVERSE_CHARGE_TEXT),
    (LV_FIRM, firm("DE"), "goods", VatKind.B2C, "VAT 21% charged by the seller under Latvian"),
    (firm("LV"), DE_FIRM, "goods", VatKind.B2C, "not registered for VAT"),
    (LV_FIRM, firm("NO", "NO995525828MVA"), "goods", VatKind.EXPORT, "Article 146"),
    (LV_FIRM, firm("GB"), "services", VatKind.EXPORT, "Articles 44 and 59"),
    (firm("NO", "NO995525828MVA"), DE_FIRM, "goods", VatKind.IMPORT, "due in Germany"),
    (firm("GB", "GB980780684"), DE_FIRM, "services", VatKind.REVERSE_CHARGE, "Article 196"),
    (firm("GB", "GB980780684"), firm("DE"), "services", VatKind.OUTSIDE_EU, "local tax"),
    (firm("GB"), firm("NO"), "goods", VatKind.OUTSIDE_EU, "Outside the scope of EU VAT"),
])
def test_the_vat_treatment_follows_the_parties_countries_and_vat_numbers(
        seller, buyer, supply, kind, says):
    found = treatment(seller, buyer, supply)
    assert found.kind == kind and says in found.text


@pytest.mark.parametrize(("seller", "buyer", "category", "rate"), [
    (LV_FIRM, firm("LV"), "S", Decimal(21)),  # the country's standard rate
    (replace(LV_FIRM, vat_rate=Decimal(12)), firm("LV"), "S", Decimal(12)),  # the seller's own
    (replace(DE_FIRM, country="DE"), firm("LV"), "S", Decimal(19)),  # no reverse charge
    (firm("LV"), firm("LV"), "O", None),  # not registered: no VAT, no VAT numbers
    (LV_FIRM, DE_FIRM, "K", None),
    (replace(LV_FIRM, vat_rate=Decimal(0)), firm("LV"), "Z", Decimal(0)),  # zero rated
    (firm("NO", "NO995525828MVA"), firm("NO"), None, None),  # outside the EU, no rate given
    (replace(firm("NO", "NO995525828MVA"), vat_rate=Decimal(25)), firm("NO"), "S", Decimal(25)),
])
def test_the_seller_charges_vat_at_its_own_rate_else_its_countrys_standard_rate(
        seller, buyer, category, rate):
    found = treatment(seller, buyer, "goods")
    assert (found.category, found.rate) == (category, rate)


@pytest.mark.parametrize(("country", "typed", "kept"), [
    ("LV", "", None), ("LV", None, None), ("FI", "25,5", Decimal("25.5")), ("DE", "7 %", Decimal(7)),
    ("PL", "0", Decimal(0)), ("NO", "", None),  # outside the EU: unknown until given
])
def test_a_sellers_vat_rate_is_optional_in_the_eu_and_read_as_people_type_it(country, typed, kept):
    assert checked_rate(country, typed) == kept


@pytest.mark.parametrize(("country", "typed", "said"), [
    ("LV", "31", "0 to 30 percent"), ("LV", "-5", "0 to 30 percent"), ("LV", "nan", "0 to 30 percent"),
    ("LV", "21.125", "0 to 30 percent"), ("LV", "twenty", "0 to 30 percent"),
])
def test_a_wrong_vat_rate_is_refused_saying_what_a_rate_is(country, typed, said):
    with pytest.raises(DomainError, match=said):
        checked_rate(country, typed)


def test_vat_is_added_to_a_net_price_and_found_in_a_gross_one_rounded_half_up():
    assert added_vat(Money(2_200_000, "EUR"), Decimal(21)) == Money(462_000, "EUR")
    assert added_vat(Money(250, "EUR"), Decimal("25.5")) == Money(64, "EUR")  # 63.75 → 64
    assert added_vat(Money(1, "EUR"), Decimal(21)) == Money(0, "EUR")
    assert included_vat(Money(121, "EUR"), Decimal(21)) == Money(21, "EUR")


def test_cross_border_goods_between_eu_businesses_print_the_reverse_charge_with_its_articles():
    assert treatment(LV_FIRM, DE_FIRM).text == (
        "VAT reverse charge: intra-Community supply of goods, exempt under Article 138, "
        "Council Directive 2006/112/EC; the buyer accounts for the VAT (Article 200)")
