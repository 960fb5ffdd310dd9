"""An inspection's rules, with no database: its states and the moves between them, when a
deal may book one, how long the inspector has, which figures the lab enters (the terms' own
and the usual three), how a calorific value given in kWh/kg reads in MJ/kg, and which
inspectors are offered for goods in a country."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, TypeVar

from core.deals.after_sale.quality_report import MEASURABLE
from core.process.deals import DealState


class Serves(Protocol):
    """An inspector as `serving` reads them: the countries (ISO codes) they sample in."""

    @property
    def countries(self) -> tuple[str, ...]: ...


Served = TypeVar("Served", bound=Serves)

CATEGORY = "sampling-lab"  # the consultants' category an inspector offers (profiles.taxonomy)
# From booking: the results are in by then, or the fee is given back. A card hold lapses after
# about a week, and the money layer voids any older than five days (`settle_expiring`), so the
# deadline falls before that, counted from the booking, which comes before the authorisation.
DELIVER_DAYS = 5
MJ_PER_KWH = Decimal("3.6")
# The deal's states in which a party may book one: paid, not yet quality-confirmed.
BOOKABLE_DEAL_STATES = (DealState.TO_SHIP, DealState.SHIPPED, DealState.DELIVERED)


class InspectionState(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"  # booked; the fee waits for its authorisation
    BOOKED = "booked"  # the fee is authorised; the inspector accepts or declines
    ACCEPTED = "accepted"  # the inspector samples and enters the lab's figures
    DELIVERED = "delivered"  # the figures are in: the fee is captured
    DECLINED = "declined"  # by the inspector: the authorisation is voided
    LAPSED = "lapsed"  # no results by the deadline: the authorisation is voided


# Where each move may start from (guards of the conditional updates).
MOVES: dict[InspectionState, tuple[InspectionState, ...]] = {
    InspectionState.BOOKED: (InspectionState.AWAITING_PAYMENT,),
    InspectionState.ACCEPTED: (InspectionState.BOOKED,),
    InspectionState.DECLINED: (InspectionState.BOOKED,),
    InspectionState.DELIVERED: (InspectionState.ACCEPTED,),
    InspectionState.LAPSED: (InspectionState.AWAITING_PAYMENT, InspectionState.BOOKED,
                             InspectionState.ACCEPTED),
}
OPEN = MOVES[InspectionState.LAPSED]  # one open inspection per deal at a time
VOIDED = (InspectionState.DECLINED, InspectionState.LAPSED)  # the fee goes back


def bookable(deal_status: str) -> bool:
    """A deal paid and not yet quality-confirmed (no report, no completion) may book one."""
    return deal_status in BOOKABLE_DEAL_STATES


def serving(offers: Sequence[Served], country: str | None) -> tuple[list[Served], bool]:
    """The inspectors to offer for goods in `country`: those serving it, and True; when none
    does (or the country is not known), every one, and False — a party may still book one
    who travels, told that none lists the country."""
    local = [o for o in offers if country is not None and country in o.countries]
    return (local, True) if local else (list(offers), False)


def due_at(booked_at: datetime) -> datetime:
    return booked_at + timedelta(days=DELIVER_DAYS)


def parameters(spec_names: list[str]) -> list[str]:
    """What the lab enters: moisture, ash and NCV, then any other figure the terms limit."""
    return [*MEASURABLE, *(name for name in spec_names if name not in MEASURABLE)]


def in_mj_per_kg(value: Decimal, unit: str) -> Decimal:
    """A calorific value in MJ/kg, the terms' unit, from MJ/kg or kWh/kg."""
    return value * MJ_PER_KWH if unit == "kWh/kg" else value


def reference(inspection_id: int) -> str:
    """How the money layer names an inspection's fee."""
    return f"inspection:{inspection_id}"


def inspection_of(ref: str) -> int | None:
    head, _sep, rest = ref.partition(":")
    return int(rest) if head == "inspection" and rest.isdigit() else None
