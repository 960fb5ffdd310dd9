"""Which certification claims search counts, on a given day (in memory): a claim a certificate
on the seller's profile backs counts while that certificate is valid, through its last day; a
claim of the listing's own, proven by its own document, always does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.catalog import lifecycle, listings
from core.catalog.claims import backed_listings_changed
from core.catalog.documents import counted_claims
from core.catalog.events import ListingChanged
from core.catalog.query import SearchQuery
from core.catalog.search import Catalog
from core.catalog.stock import Certified
from core.certificates.events import CertificateChanged
from tests.catalog.fakes import EVE, SAM, published, stocked, values

pytestmark = pytest.mark.unit

ENPLUS = Certified("enplus", date(2026, 12, 1), True, "DE 301 1234")
LAPSED = Certified("enplus", date(2026, 12, 1), False, "DE 301 1234")


def test_a_backed_claim_counts_while_its_certificate_is_valid_and_an_own_claim_always():
    assert counted_claims(["enplus", "sbp"], [ENPLUS]) == ("enplus", "sbp")
    assert counted_claims(["enplus", "sbp"], [LAPSED]) == ("sbp",)  # sbp: the listing's own
    assert counted_claims(["enplus"], []) == ("enplus",)  # no profile certificate: its own
    assert counted_claims([], [ENPLUS]) == ()  # a certificate alone claims nothing


async def _found(catalog: Catalog, stock, **query) -> list[int]:
    return [hit.listing_id for hit in (await catalog.search(stock, SearchQuery(**query))).hits]


async def test_search_stops_counting_a_lapsed_certificates_claim_and_keeps_the_listings_own():
    stock = stocked()
    stock.certificates[SAM] = (ENPLUS,)
    draft = await listings.create_draft(stock, SAM, values(
        title="Wood pellets", grade="A1", certifications=["enplus", "sbp"]))
    stock.documents.add(draft.id)  # the SBP claim's own document
    await lifecycle.submit(stock, draft.id, SAM)
    catalog = Catalog(look_seconds=3600)
    await catalog.load(stock)
    assert await _found(catalog, stock, text="enplus") == [draft.id]
    assert await _found(catalog, stock, certification="enplus") == [draft.id]

    stock.certificates[SAM] = (LAPSED,)  # the day after its last valid day
    await catalog.refresh(stock, {draft.id})
    assert await _found(catalog, stock, text="enplus") == []
    assert await _found(catalog, stock, certification="enplus") == []
    assert await _found(catalog, stock, certification="sbp") == [draft.id]
    assert await _found(catalog, stock, text="sbp") == [draft.id]
    assert await _found(catalog, stock, text="pellets") == [draft.id]  # still for sale

    stock.certificates[SAM] = ()  # removed: the claim is the listing's own again (documented)
    await catalog.refresh(stock, {draft.id})
    assert await _found(catalog, stock, certification="enplus") == [draft.id]


async def test_a_changed_certificate_marks_its_sellers_published_listings_claiming_its_scheme():
    stock = stocked()
    stock.certificates[SAM] = stock.certificates[EVE] = stock.certificates[7] = (ENPLUS,)
    claiming = await published(stock, SAM, certifications=["enplus"])
    await published(stock, SAM)  # claims nothing
    paused = await published(stock, SAM, certifications=["enplus"])
    await lifecycle.act(stock, paused, SAM, "pause")
    colleague = await published(stock, EVE, certifications=["enplus"])
    stranger = await published(stock, 7, certifications=["enplus"])
    stock.events.clear()
    stock.at += timedelta(hours=1)
    marked = await backed_listings_changed(stock, CertificateChanged("enplus", (SAM, EVE)))
    assert marked == [claiming, colleague]
    assert [e for e in stock.events if isinstance(e, ListingChanged)] == [
        ListingChanged(claiming, "published"), ListingChanged(colleague, "published")]
    assert stock.listings[claiming].updated_at == stock.at  # the other workers' sync finds it
    assert stranger not in marked
    assert await backed_listings_changed(stock, CertificateChanged("sbp", (SAM,))) == []
