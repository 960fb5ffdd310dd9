"""What a buyer asks for (`Draft`), and the request's row it makes: the columns of what it
asks (`asked`), of its tender or auction (`bidding`), and the whole row unsaved (`unsaved`),
as a preview shows it and the register stores it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.deals import request_rules
from core.deals.requests import auction_rules
from core.deals.tables import SupplyRequest
from core.money.model import Money


@dataclass(frozen=True)
class Draft:
    """What a buyer asks for."""

    product_type: str
    quantity: Decimal
    unit: str
    place: str
    currency: str = "EUR"
    incoterm: str = "DAP"
    delivery_from: date | None = None
    delivery_to: date | None = None
    max_price: Money | None = None  # per unit
    deadline_days: str = "3"
    payment_method: str = "escrow"
    mode: str = "quotes"  # or a sealed-bid "tender", or a reverse "auction"
    min_step: Money | None = None  # an auction's least step under the best bid
    extend_minutes: int | None = None  # an auction's late-bid extension (3 when None)
    reserve: Money | None = None  # the most awarded at, per unit, hidden from bidders
    deposit_pct: int | None = None  # a bid deposit: this % of the lot at the ceiling
    private: bool = False  # only the sellers in `invite` may answer
    invite: tuple[int, ...] = ()
    max_price_mwh: Money | None = None  # a ceiling per MWh, by each listing's energy content
    quality: tuple[tuple[str, str], ...] = ()  # ("moisture", "35"): request_rules.LIMITS
    certifications: tuple[str, ...] = ()


def unsaved(draft: Draft) -> SupplyRequest:
    """The row a draft would publish, without its number, buyer, deadline or place on the map."""
    return SupplyRequest(
        product_type=draft.product_type, unit=draft.unit, currency=draft.currency,
        quantity_milli=int(draft.quantity * 1000), incoterm=draft.incoterm, place=draft.place,
        delivery_from=draft.delivery_from, delivery_to=draft.delivery_to,
        max_price_minor=draft.max_price.amount if draft.max_price else None,
        payment_method=draft.payment_method, private=draft.private, **asked(draft),
        **bidding(draft))


def asked(draft: Draft) -> dict[str, Any]:
    """The quality, certifications and price per MWh a request asks."""
    return {"quality": request_rules.checked_limits(dict(draft.quality), draft.certifications),
            "certifications": list(dict.fromkeys(draft.certifications)),
            "max_price_mwh_minor": draft.max_price_mwh.amount if draft.max_price_mwh else None}


def bidding(draft: Draft) -> dict[str, Any]:
    """The tender's or auction's own columns of a request."""
    auction = draft.mode == auction_rules.AUCTION
    return {"mode": draft.mode, "reserve_minor": draft.reserve.amount if draft.reserve else None,
            "deposit_pct": draft.deposit_pct if draft.mode in auction_rules.BIDDING else None,
            "min_step_minor": draft.min_step.amount if auction and draft.min_step else None,
            "extend_minutes": (draft.extend_minutes or auction_rules.EXTEND_MINUTES)
            if auction else None}
