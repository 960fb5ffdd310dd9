"""The colleague's own listings: published through the chat's short listing form (its checks,
its defaults — a title from the product and place, available today, valid for the policy's
days) and the catalogue's services, listed, and paused, resumed, marked sold, renewed or
closed as from 📦 My listings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bots.api import models
from bots.api.auth import KeyUow, Reader, Trader, local_now
from bots.api.idempotency import IdempotencyKey, once
from bots.api.problems import ApiProblem
from bots.web.deps import ContainerDep
from conversations.fields import Raw
from conversations.flows.market import listing_fields as lf
from core.accounts.member import member
from core.catalog import lifecycle, listings
from core.catalog import rules as listing_rules
from core.catalog.listing_card import own_cards, viewable_card
from core.i18n import _
from core.storage.uow import UnitOfWork

router = APIRouter(tags=["listings"])


def _raw(body: models.NewListing) -> dict[str, Raw]:
    """The request as the short listing form reads a whole-form submission."""
    price = f"{body.price} {body.currency.upper()}" if body.currency else str(body.price)
    given: dict[str, Any] = {
        "product_type": body.product_type, "quantity": str(body.quantity), "unit": body.unit,
        "price": price, "negotiable": "yes" if body.negotiable else "no",
        "location": body.location, "delivery": list(body.delivery),
        "incoterm_place": body.incoterm_place, "delivery_radius_km": body.delivery_radius_km}
    return {k: (v if isinstance(v, list) else str(v)) for k, v in given.items()
            if v is not None}


@router.post("/listings", status_code=201, response_model=models.Listing)
async def publish(request: Request, container: ContainerDep, key: Trader, uow: KeyUow,
                  body: models.NewListing, idempotency_key: IdempotencyKey = None) -> Response:
    """Publish a listing (or send it for review where listings are moderated)."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Listing]:
        seller = await member(uow, key.account_id)
        start = await listings.starting_values(uow, seller)
        form = lf.quick_form(None, str(start.get("currency") or "EUR"), seller.country or "")
        values, errors = form.validate_all(_raw(body))
        if errors:
            raise ApiProblem("invalid_field", _("Some fields of the listing need changing."),
                             errors=errors)
        full = listing_rules.with_defaults(values, local_now(key, container.clock.now()),
                                           container.policy.listing_days)
        draft = await listings.create_draft(uow, key.account_id, full)
        await lifecycle.submit(uow, draft.id, key.account_id)
        return 201, models.Listing.of(await viewable_card(uow, draft.id, key.account_id))

    return await once(request, uow, key, idempotency_key, body, work)


@router.get("/listings/mine", response_model=models.OwnListings)
async def mine(key: Reader, uow: KeyUow) -> models.OwnListings:
    """The colleague's own listings, newest first (closed ones left out)."""
    found = await own_cards(uow, key.account_id)
    return models.OwnListings(listings=[models.Listing.of(card) for card in found])


@router.post("/listings/{listing_id}/move", response_model=models.Listing)
async def move(request: Request, key: Trader, uow: KeyUow, listing_id: int,
               body: models.ListingMove, idempotency_key: IdempotencyKey = None) -> Response:
    """Pause, resume, mark sold, renew or close one of the colleague's listings."""

    async def work(uow: UnitOfWork) -> tuple[int, models.Listing]:
        await lifecycle.act(uow, listing_id, key.account_id, body.action)
        return 200, models.Listing.of(await viewable_card(uow, listing_id, key.account_id))

    return await once(request, uow, key, idempotency_key, body, work)
