"""What a member's carbon records add up to, as plain functions (no database): the CO₂e
avoided by what they bought, and by what they supplied, this year (in their own time zone), all
time and by product. The presenter writes the figures (`core.i18n.present.co2e`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from core.catalog.taxonomy import COMPARATOR_G_MJ, carbon_saving_kg, product
from core.clock import zone

BUYER, SELLER = "buyer", "seller"


@dataclass(frozen=True)
class CarbonEntry:
    """One completed deal's carbon record: the figure and the method's values it was made by."""

    deal_id: int
    buyer_id: int
    seller_id: int
    product_type: str
    quantity: Decimal
    unit: str
    energy_mwh_per_unit: Decimal
    end_use: str
    comparator_g_mj: Decimal
    product_g_mj: Decimal
    avoided_kg: Decimal
    completed_at: datetime

    @property
    def energy_mwh(self) -> Decimal:
        return self.quantity * self.energy_mwh_per_unit


def entry_for(deal_id: int, buyer_id: int, seller_id: int, product_type: str,
              quantity: Decimal, unit: str, energy_mwh_per_unit: Decimal, completed_at: datetime
              ) -> CarbonEntry:
    """The record of a deal completed now, by the taxonomy's RED II method as the carbon
    receipt computes it (`core.catalog.taxonomy.carbon_saving_kg`)."""
    kind = product(product_type)
    comparator = COMPARATOR_G_MJ[kind.end_use]
    avoided = carbon_saving_kg(kind.code, quantity * energy_mwh_per_unit)
    return CarbonEntry(deal_id, buyer_id, seller_id, kind.code, quantity, unit,
                       energy_mwh_per_unit, kind.end_use, comparator, kind.ghg_g_mj, avoided,
                       completed_at)


@dataclass(frozen=True)
class ProductTotal:
    product_type: str
    avoided_kg: Decimal
    deals: int


@dataclass(frozen=True)
class CarbonTotals:
    """A member's running total on one side of their deals (bought or supplied)."""

    role: str  # buyer: avoided by what they bought; seller: by what they supplied
    year: int  # "this year", in the member's time zone
    this_year_kg: Decimal
    all_time_kg: Decimal
    deals: int
    by_product: tuple[ProductTotal, ...]  # all time, the largest first

    @property
    def empty(self) -> bool:
        return self.deals == 0


@dataclass(frozen=True)
class MemberCarbon:
    """Both sides of a member's carbon: what they bought and what they supplied."""

    bought: CarbonTotals
    supplied: CarbonTotals

    @property
    def empty(self) -> bool:
        return self.bought.empty and self.supplied.empty


def year_of(entry: CarbonEntry, timezone: str | None) -> int:
    """The calendar year a deal completed in, in the member's time zone."""
    return entry.completed_at.astimezone(zone(timezone)).year


def totals(entries: Iterable[CarbonEntry], account_id: int, role: str, timezone: str | None,
           now: datetime) -> CarbonTotals:
    """The member's totals on one side: their entries as buyer (or seller) only."""
    mine = [e for e in entries if (e.buyer_id if role == BUYER else e.seller_id) == account_id]
    year = now.astimezone(zone(timezone)).year
    by: dict[str, list[Decimal]] = {}
    for entry in mine:
        by.setdefault(entry.product_type, []).append(entry.avoided_kg)
    products = sorted((ProductTotal(code, sum(kgs, Decimal(0)), len(kgs))
                       for code, kgs in by.items()), key=lambda p: (-p.avoided_kg, p.product_type))
    return CarbonTotals(role, year,
                        sum((e.avoided_kg for e in mine if year_of(e, timezone) == year),
                            Decimal(0)),
                        sum((e.avoided_kg for e in mine), Decimal(0)), len(mine),
                        tuple(products))


def member_carbon(entries: Sequence[CarbonEntry], account_id: int, timezone: str | None,
                  now: datetime) -> MemberCarbon:
    return MemberCarbon(totals(entries, account_id, BUYER, timezone, now),
                        totals(entries, account_id, SELLER, timezone, now))


def years(entries: Iterable[CarbonEntry], timezone: str | None) -> list[int]:
    """The years the member has records in, the newest first."""
    return sorted({year_of(e, timezone) for e in entries}, reverse=True)


def in_year(entries: Iterable[CarbonEntry], year: int, timezone: str | None
            ) -> list[CarbonEntry]:
    """The entries of one calendar year in the member's zone, oldest first."""
    return sorted((e for e in entries if year_of(e, timezone) == year),
                  key=lambda e: (e.completed_at, e.deal_id))
