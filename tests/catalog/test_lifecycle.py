"""A listing's life through its use cases, on the in-memory stock (no database): submitting
under moderation or not, a moderator's approval and rejection, the seller's actions from My
listings. The same steps in chat, on the database: `test_moderation_and_lifecycle.py`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.catalog import lifecycle, listings, views
from core.catalog.events import (
    ListingApproved,
    ListingAwaitsReview,
    ListingChanged,
    ListingPublished,
    ListingRejected,
)
from core.errors import Conflict, DomainError, InvalidField
from tests.catalog.fakes import ROOT, SAM, Audited, published, stocked, values


async def test_with_moderation_on_a_draft_waits_until_a_moderator_approves_it():
    stock = stocked(listing_moderation=True)
    draft = await listings.create_draft(stock, SAM, values())
    assert await lifecycle.submit(stock, draft.id, SAM) == "pending_review"
    listing = stock.listings[draft.id]
    assert (listing.status, listing.published_at) == ("pending_review", None)
    assert ListingAwaitsReview(draft.id) in stock.events
    assert ListingPublished(draft.id) not in stock.events
    card = await lifecycle.approve(stock, draft.id, ROOT)
    assert card.status == "published" and listing.published_at == stock.at
    assert listing.expires_at == listing.valid_until
    assert stock.events[-2:] == [ListingPublished(draft.id), ListingApproved(draft.id)]
    assert stock.audited == [Audited(ROOT, "listing-approved", f"listing:{draft.id}", None)]
    with pytest.raises(Conflict):  # approved already
        await lifecycle.approve(stock, draft.id, ROOT)


async def test_a_rejection_needs_a_reason_the_seller_then_sees_on_the_draft():
    stock = stocked(listing_moderation=True)
    draft = await listings.create_draft(stock, SAM, values())
    await lifecycle.submit(stock, draft.id, SAM)
    with pytest.raises(InvalidField):
        await lifecycle.reject(stock, draft.id, " no ", ROOT)
    assert stock.listings[draft.id].status == "pending_review"
    card = await lifecycle.reject(stock, draft.id, "The certificate number is missing", ROOT)
    assert (card.status, card.reject_reason) == ("draft", "The certificate number is missing")
    assert ListingRejected(draft.id, "The certificate number is missing") in stock.events
    assert stock.audited[-1].reason == "The certificate number is missing"
    assert await lifecycle.submit(stock, draft.id, SAM) == "pending_review"
    assert stock.listings[draft.id].reject_reason is None  # a new submission starts clean


async def test_without_moderation_a_draft_is_published_at_once_and_runs_out_a_day_later_at_least():
    stock = stocked()
    listing_id = await published(stock, SAM, valid_until="2026-11-21")  # midnight
    listing = stock.listings[listing_id]
    assert (listing.status, listing.published_at) == ("published", stock.at)
    assert listing.expires_at == stock.at + timedelta(days=1)
    assert ListingPublished(listing_id) in stock.events


async def test_a_claimed_certification_is_published_only_with_a_document():
    stock = stocked()
    draft = await listings.create_draft(stock, SAM, values(certifications=["enplus"]))
    with pytest.raises(DomainError, match="add the certificate as a document"):
        await lifecycle.submit(stock, draft.id, SAM)
    assert stock.listings[draft.id].status == "draft"
    stock.documents.add(draft.id)
    assert await lifecycle.submit(stock, draft.id, SAM) == "published"


async def test_a_listing_is_published_only_in_a_currency_its_seller_accepts_offers_in():
    stock = stocked()
    stock.accepted_currencies[SAM] = ("SEK", "NOK")
    draft = await listings.create_draft(stock, SAM, values(currency="EUR"))
    with pytest.raises(DomainError, match="You accept offers in SEK, NOK only"):
        await lifecycle.submit(stock, draft.id, SAM)
    in_kronor = await listings.create_draft(stock, SAM, values(currency="SEK"))
    assert await lifecycle.submit(stock, in_kronor.id, SAM) == "published"


async def test_the_seller_pauses_resumes_sells_renews_and_closes_a_listing():
    stock = stocked()
    listing_id = await published(stock, SAM)
    for action, status in (("pause", "paused"), ("resume", "published"), ("sold", "sold_out"),
                           ("renew", "published")):
        assert await lifecycle.act(stock, listing_id, SAM, action) == status
        assert stock.listings[listing_id].status == status
    renewed = stock.listings[listing_id]
    assert renewed.valid_until == renewed.expires_at == stock.at + timedelta(days=30)
    # Renewed from sold out, it is back in search as if new; paused and resumed, it is not.
    assert stock.events[-1] == ListingPublished(listing_id)
    assert ListingChanged(listing_id, "published") in stock.events  # the resume
    with pytest.raises(Conflict):  # only a paused listing resumes
        await lifecycle.act(stock, listing_id, SAM, "resume")
    assert [row.id for row in await views.mine(stock, SAM)] == [listing_id]
    await lifecycle.act(stock, listing_id, SAM, "close")
    assert await views.mine(stock, SAM) == []
    assert stock.events[-1] == ListingChanged(listing_id, "closed")


async def test_a_paused_listing_that_ran_out_is_renewed_not_resumed():
    stock = stocked()
    listing_id = await published(stock, SAM)
    await lifecycle.act(stock, listing_id, SAM, "pause")
    stock.at = stock.listings[listing_id].expires_at + timedelta(minutes=1)
    with pytest.raises(DomainError, match="renew it instead"):
        await lifecycle.act(stock, listing_id, SAM, "resume")
    assert await lifecycle.act(stock, listing_id, SAM, "renew") == "published"
