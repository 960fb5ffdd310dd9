"""Listings and the certificates on their seller's profile, on the in-memory stock: a claim a
valid profile certificate backs needs no document of the listing's own; the card says
“certified, valid until …” in the reader's conventions; an expired one is not shown to buyers
as certified, and its seller reads “expired on …”."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from conversations.flows.market.listing_card import card_text
from conversations.flows.market.listing_fields import certifications_field
from core.catalog import lifecycle, listings
from core.catalog.listing_card import card_of
from core.catalog.stock import Certified
from core.errors import DomainError
from core.money.reading import reading
from core.public.listing_words import words
from tests.catalog.fakes import SAM, stocked, values

ENPLUS = Certified("enplus", date(2027, 6, 30), True, "DE 301 1234")
EXPIRED_SBP = Certified("sbp", date(2026, 10, 31), False, "SBP-01-23")


async def test_a_claim_a_valid_profile_certificate_backs_is_published_without_a_document():
    stock = stocked()
    stock.certificates[SAM] = (ENPLUS, EXPIRED_SBP)
    backed = await listings.create_draft(stock, SAM, values(certifications=["enplus"]))
    assert await lifecycle.submit(stock, backed.id, SAM) == "published"
    expired = await listings.create_draft(stock, SAM, values(certifications=["enplus", "sbp"]))
    with pytest.raises(DomainError, match="You claim SBP: add the certificate"):
        await lifecycle.submit(stock, expired.id, SAM)  # the expired one proves nothing


async def test_buyers_read_certified_valid_until_and_never_an_expired_one_as_certified():
    stock = stocked()
    stock.certificates[SAM] = (ENPLUS, EXPIRED_SBP)
    draft = await listings.create_draft(stock, SAM, values(certifications=["enplus", "sbp",
                                                                           "fsc"]))
    card = await card_of(stock, stock.listings[draft.id])
    said = words(card)
    assert said.certified == ("ENplus certified, valid until 30 Jun 2027",)
    assert said.certifications == ("FSC",)  # the listing's own claim, proven by its documents
    assert said.expired == ("SBP expired on 31 Oct 2026",)
    buyer = card_text(card)
    assert "✅ ENplus certified, valid until 30 Jun 2027" in buyer and "SBP" not in buyer
    assert "⚠ SBP expired on 31 Oct 2026" in card_text(card, show_status=True)  # the seller's
    with reading(SimpleNamespace(language="de", country="DE", timezone="Europe/Berlin")):
        assert words(card).certified == ("ENplus zertifiziert, gültig bis 30. Juni 2027",)


def test_the_listing_form_offers_the_profiles_certificates_first_and_every_other_scheme_after():
    field = certifications_field({"enplus": "ENplus · DE 301 1234 · valid until 30 Jun 2027 "
                                            "(your profile)"})
    assert field.choices[0] == ("enplus", "ENplus · DE 301 1234 · valid until 30 Jun 2027 "
                                          "(your profile)")
    assert [code for code, __ in field.choices[1:]] == [
        "sbp", "iscc", "sure", "redcert", "fsc", "pefc", "red2", "other"]
    assert "profile" in field.hint

