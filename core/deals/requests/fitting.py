"""Which of a seller's listings answers a request for supply: the same product in the same unit
and currency, published (`fits`), and what the buyer asked of quality, certification and price
per MWh (`unmet`); of several, the one a quote or a bid comes from (`best_listing`,
`lot_listing`). Quotes (core.deals.requests.quotes) and bids (the register's lots) ask it."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.catalog.taxonomy import price_per_mwh_minor
from core.deals import request_rules
from core.deals.tables import SupplyRequest
from core.errors import DomainError
from core.i18n import _
from core.storage.uow import UnitOfWork


def best_listing(request: SupplyRequest, found: list[Listing]) -> Listing | None:
    """Of a seller's fitting listings, one that meets what the request asks, with the most
    stock (or, when none meets it, the one with the most stock, whose quote says why)."""
    return min(found, key=lambda listing: (bool(unmet(request, listing, listing.price_minor)),
                                           -listing.quantity_milli, listing.id), default=None)


def unmet(request: SupplyRequest, listing: Listing, price_minor: int) -> list[str]:
    """What the listing lacks to answer the request at this price per unit."""
    per_mwh = price_per_mwh_minor(price_minor, Decimal(listing.energy_mwh_per_unit or "0"))
    return request_rules.unmet(request.quality or {}, list(request.certifications or []),
                               dict(listing.specs or {}), [str(c) for c in
                                                           listing.certifications or []],
                               per_mwh, request.max_price_mwh_minor, request.currency)


def check_meets(request: SupplyRequest, listing: Listing, price_minor: int) -> None:
    """Refuse a quote or bid from a listing that doesn't answer what the buyer asked."""
    refuse_unmet(unmet(request, listing, price_minor))


def refuse_unmet(problems: Sequence[str]) -> None:
    """Refuse a quote or bid with what its listing lacks, if it lacks anything."""
    if problems:
        raise DomainError(_("Your listing doesn't answer this request: {problems}.",
                            problems="; ".join(problems)))


def fits(request: SupplyRequest, seller_id: int) -> tuple[Any, ...]:
    """A listing a quote on the request may come from: the seller's, published, the same
    product in the same unit and currency (so quantities and the ceiling compare)."""
    return (Listing.seller_id == seller_id, Listing.product_type == request.product_type,
            Listing.status == ListingState.PUBLISHED, Listing.unit == request.unit,
            Listing.currency == request.currency)


async def lot_listing(uow: UnitOfWork, request: SupplyRequest, seller_id: int) -> Listing | None:
    """The seller's published listing of the product that holds the whole quantity."""
    return best_listing(request, list((await uow.session.execute(select(Listing).where(
        *fits(request, seller_id), Listing.quantity_milli >= request.quantity_milli))).scalars()))
