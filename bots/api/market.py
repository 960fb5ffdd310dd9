"""The public market, read: published listings (the chat's one-line search, through the same
search index as the chat and the site), and the open requests for supply, tenders, auctions
and sellers' lots, as the site shows them."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Query

from bots.api import models
from bots.api.auth import KeyUow, Reader
from bots.web.deps import ContainerDep
from core.catalog import query_text
from core.catalog.listing_card import listing_card, viewable_card
from core.deals.requests import auction_rules
from core.public import listings as public
from core.public import requests as public_requests

router = APIRouter(tags=["market"])
PER_PAGE = 50


@router.get("/listings", response_model=models.Listings)
async def listings(container: ContainerDep, key: Reader, uow: KeyUow,
                   q: str = Query("", max_length=200, description="the chat's one-line search"),
                   product: str | None = Query(None, max_length=40),
                   page: int = Query(1, ge=1, le=1000),
                   per_page: int = Query(20, ge=1, le=PER_PAGE)) -> models.Listings:
    """Published listings, newest first (or as `q` sorts them)."""
    query, __ = query_text.parse(q)
    if product:
        query = replace(query, product_type=product)
    if not q:
        query = replace(query, sort="newest")
    assert container.catalog is not None  # wired by the composition root
    found = await public.latest(uow, container.catalog, query, page - 1, per_page)
    return models.Listings(listings=[models.Listing.of(listing_card(r.listing))
                                     for r in found.results],
                           page=models.Page(total=found.total, page=found.page + 1,
                                            pages=found.pages))


@router.get("/listings/{listing_id}", response_model=models.Listing)
async def listing(key: Reader, uow: KeyUow, listing_id: int) -> models.Listing:
    """One listing the key's colleague may see (a published one, or their own)."""
    return models.Listing.of(await viewable_card(uow, listing_id, key.account_id))


@router.get("/requests", response_model=models.Requests)
async def requests(key: Reader, uow: KeyUow) -> models.Requests:
    """Open public requests for supply, tenders, auctions and lots, closing soonest first."""
    found = await public_requests.open_requests(uow)
    return models.Requests(requests=[models.Request.of(r) for r in found])


@router.get("/auctions", response_model=models.Requests)
async def auctions(key: Reader, uow: KeyUow) -> models.Requests:
    """Open auctions — buyers' reverse auctions and sellers' lots — closing soonest first."""
    found = await public_requests.open_requests(uow)
    return models.Requests(requests=[models.Request.of(r) for r in found
                                     if r.mode == auction_rules.AUCTION])


@router.get("/requests/{request_id}", response_model=models.Request)
async def request(key: Reader, uow: KeyUow, request_id: int) -> models.Request:
    """One public request, tender, auction or lot."""
    return models.Request.of(await public_requests.public_request(uow, request_id))
