"""Requests for supply, on plain values (no database): what a request may ask, how long it takes
quotes, and what a quote on it may offer — never more than is still to be awarded, never above
the buyer's ceiling."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from core.catalog.rules import SPEC_RANGES
from core.catalog.taxonomy import CERTIFICATIONS, SPEC_LABELS, TYPES, UNITS
from core.errors import DomainError
from core.i18n import N_, _, present
from core.money.model import Money
from core.money.reading import shown_number


class RequestState(StrEnum):
    """A request for supply's `status`: open to quotes or bids; awarded (to one or more
    sellers); closed by its buyer or at a close without a winner; cancelled."""

    OPEN = "open"
    AWARDED = "awarded"
    CLOSED = "closed"
    CANCELLED = "cancelled"


# How long sellers have to quote, from the request's publication.
DEADLINES = {"1": N_("1 day"), "3": N_("3 days"), "7": N_("7 days"), "14": N_("14 days")}
MOST_MILLI = 10_000_000_000  # 10 million units: a request, not a typo



def checked_request(product_type: str, quantity: Decimal, unit: str, max_price: Money | None,
                    delivery_from: date | None, delivery_to: date | None,
                    deadline_days: str) -> tuple[int, timedelta]:
    """The quantity in thousandths and how long quotes are taken, if the request may stand."""
    found = TYPES.get(product_type)
    if found is None:
        raise DomainError(_("Choose a product from the list."))
    if unit not in found.units:
        raise DomainError(_("{product} is requested in {units}.", product=_(found.label),
                            units=", ".join(_(UNITS[u]) for u in found.units)))
    milli = int(quantity * 1000)
    if milli <= 0 or milli != quantity * 1000 or milli > MOST_MILLI:
        raise DomainError(_("The quantity must be a positive amount, at most 3 decimals."))
    if max_price is not None and max_price.amount <= 0:
        raise DomainError(_("The price must be more than zero."))
    if delivery_from and delivery_to and delivery_to < delivery_from:
        raise DomainError(_("The delivery window ends before it starts."))
    if deadline_days not in DEADLINES:
        raise DomainError(_("Quotes are taken for 1, 3, 7 or 14 days."))
    return milli, timedelta(days=int(deadline_days))


def checked_quote(milli: int, remaining_milli: int, price: Money, ceiling: Money | None,
                  unit: str) -> None:
    """A quote covers at most what is still to be awarded, at no more than the ceiling."""
    if milli > remaining_milli:
        raise DomainError(_("This request needs at most {quantity} more.",
                            quantity=present.quantity_milli(remaining_milli, unit)))
    if ceiling is not None and price.currency == ceiling.currency \
            and price.amount > ceiling.amount:
        raise DomainError(_("The buyer pays at most {price} per {unit}.", price=ceiling,
                            unit=_(UNITS.get(unit, unit))))


# The buyer collects: a seller anywhere can answer.
COLLECTED = ("EXW", "FCA", "pickup")
# Ways a listing is handed over at the seller's place (or in a radius around it).
AT_SELLER = ("EXW", "FCA", "pickup", "delivery")


def reaches(options: list[str], radius_km: int | None, distance_km: float | None,
            incoterm: str) -> bool:
    """Whether a listing's delivery can answer a request to this place: any listing when the
    buyer collects; a listing delivered on Incoterms (DAP, CIF…) wherever; one delivered within
    a radius when the place lies in it (or its distance is unknown)."""
    if incoterm in COLLECTED or any(o not in AT_SELLER for o in options):
        return True
    if "delivery" not in options:
        return False  # the seller only hands over at their place, the buyer wants delivery
    return distance_km is None or radius_km is None or distance_km <= radius_km


# A request's quality limits, by listing spec: the most a listing may state, or the least.
AT_MOST, AT_LEAST = "max", "min"
LIMITS = {"moisture": AT_MOST, "ash": AT_MOST, "ncv": AT_LEAST}


def checked_limits(limits: dict[str, str], certifications: tuple[str, ...]) -> dict[str, str]:
    """The quality limits a request may ask (lab values in the catalogue's plausible ranges)
    and known certifications; the limits as plain decimal strings."""
    kept = {}
    for key, value in limits.items():
        if key not in LIMITS or value in (None, ""):
            continue
        low, high, __ = SPEC_RANGES[key]
        number = Decimal(str(value))
        if not low <= number <= high:
            raise DomainError(_("{field} must be between {low} and {high}{unit}.",
                                field=_(SPEC_LABELS[key][0]), low=shown_number(low),
                                high=shown_number(high), unit=SPEC_RANGES[key][2]))
        kept[key] = f"{number.normalize():f}"
    unknown = [c for c in certifications if c not in CERTIFICATIONS]
    if unknown:
        raise DomainError(_("Choose certifications from the list."))
    return kept


def unmet(limits: dict[str, str], certifications: list[str], specs: dict[str, object],
          held: list[str], per_mwh_minor: int | None, ceiling_mwh_minor: int | None,
          currency: str) -> list[str]:
    """What a listing lacks to answer a request, in words for its seller: each quality limit
    its stated specs don't meet (a spec it doesn't state can't be shown to meet one), each
    certification it doesn't hold, a price per MWh above the buyer's."""
    found = []
    for key, bound in limits.items():
        stated = specs.get(key)
        label, unit = _(SPEC_LABELS[key][0]), SPEC_RANGES[key][2]
        limit = shown_number(Decimal(bound))
        if stated in (None, ""):
            found.append(_("the buyer asks {field} {limit}{unit} and your listing doesn't state "
                           "it", field=label, limit=_limit_words(key, limit), unit=unit))
            continue
        value = Decimal(str(stated))
        if (value > Decimal(bound)) if LIMITS[key] == AT_MOST else (value < Decimal(bound)):
            found.append(_("{field} is {value}{unit}; the buyer asks {limit}{unit}",
                           field=label, value=shown_number(value),
                           limit=_limit_words(key, limit), unit=unit))
    for code in certifications:
        if code not in held:
            found.append(_("the buyer asks {certification} certification",
                           certification=_(CERTIFICATIONS[code])))
    if ceiling_mwh_minor is not None:
        if per_mwh_minor is None:
            found.append(_("the buyer pays per MWh and your listing states no energy content"))
        elif per_mwh_minor > ceiling_mwh_minor:
            found.append(_("{price} per MWh is above the buyer's {ceiling} per MWh",
                           price=Money(per_mwh_minor, currency),
                           ceiling=Money(ceiling_mwh_minor, currency)))
    return found


def _limit_words(key: str, limit: str) -> str:
    return _("at most {limit}", limit=limit) if LIMITS[key] == AT_MOST else \
        _("at least {limit}", limit=limit)


def limits_words(limits: dict[str, str], certifications: list[str]) -> str:
    """“moisture at most 35 %, NCV at least 10 MJ/kg; ENplus, SBP” for a request's card."""
    parts = [_("{field} {limit}{unit}", field=_(SPEC_LABELS[key][0]),
               limit=_limit_words(key, shown_number(Decimal(value))),
               unit=SPEC_RANGES[key][2]) for key, value in limits.items() if key in LIMITS]
    certified = ", ".join(_(CERTIFICATIONS.get(c, c)) for c in certifications)
    return "; ".join(p for p in (", ".join(parts), certified) if p)
