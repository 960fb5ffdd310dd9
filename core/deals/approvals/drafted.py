"""A purchase held for approval keeps its terms as the buyer drafted them: frozen as JSON on
the request's row when it is held, read back when an approver decides (and for its notices
and card), with its total."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from core.deals.offers.facts import Terms
from core.deals.tables import PurchaseRequest
from core.money.model import Money


def total_of(request: PurchaseRequest) -> Money:
    return Money(request.total_minor, request.currency)


def terms_of(request: PurchaseRequest) -> Terms:
    """The terms as the buyer drafted them."""
    data = request.terms
    day = date.fromisoformat
    return Terms(Decimal(data["quantity"]), Money(int(data["price_minor"]), data["currency"]),
                 data.get("incoterm"), data.get("place"),
                 day(data["delivery_from"]) if data.get("delivery_from") else None,
                 day(data["delivery_to"]) if data.get("delivery_to") else None,
                 data.get("payment_method") or "escrow",
                 timedelta(seconds=data["expires_s"]) if data.get("expires_s") else None,
                 data.get("call_offs"), data.get("call_off_every"), data.get("price_index"),
                 Money(int(data["index_premium_minor"]), data["currency"])
                 if data.get("index_premium_minor") is not None else None)

def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _frozen(terms: Terms) -> dict[str, Any]:
    iso = _iso
    return {"quantity": f"{terms.quantity.normalize():f}", "price_minor": terms.price.amount,
            "currency": terms.price.currency, "incoterm": terms.incoterm, "place": terms.place,
            "delivery_from": iso(terms.delivery_from), "delivery_to": iso(terms.delivery_to),
            "payment_method": terms.payment_method,
            "expires_s": int(terms.expires_in.total_seconds()) if terms.expires_in else None,
            "call_offs": terms.call_offs, "call_off_every": terms.call_off_every,
            "price_index": terms.price_index,
            "index_premium_minor": terms.index_premium.amount if terms.index_premium else None}
