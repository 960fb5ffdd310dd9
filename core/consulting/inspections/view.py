"""An inspection as its readers see it: a frozen read model (DESIGN 18) with the fee as Money,
the inspector's name, the lab's figures, and — for the inspector — what the deal's frozen
terms say of the goods and their quality, without the parties' names or the price."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType

from core.consulting.inspections.rules import InspectionState
from core.consulting.inspections.tables import Inspection
from core.money.model import Money


@dataclass(frozen=True)
class InspectorOffer:
    """An inspector a deal's party may book: who, for how much, how rated, where they work."""

    account_id: int
    name: str
    fee: Money
    stars: Decimal | None  # the mean of published ratings; None before the first
    countries: tuple[str, ...] = ()  # ISO codes of the countries they sample in


@dataclass(frozen=True)
class Inspectors:
    """The inspectors offered for a deal: those serving its goods' country (`local`), or, when
    none does or the country is unknown, every one."""

    offers: tuple[InspectorOffer, ...]
    country: str | None  # the goods' (the listing's), ISO code
    local: bool


@dataclass(frozen=True)
class InspectionFacts:
    """An inspection: its deal, inspector, fee and state, the figures once delivered, and the
    reader's part in it (buyer, seller, inspector)."""

    id: int
    deal_id: int
    inspector_id: int
    inspector: str
    booked_by: int
    fee: Money
    state: InspectionState
    due_at: datetime
    has_record: bool
    results: Mapping[str, Decimal]
    role: str
    terms: tuple[tuple[str, str], ...] = ()  # the goods and quality clauses, label and text
    parameters: tuple[str, ...] = ()  # what the lab enters


def facts(row: Inspection, inspector: str, role: str,
          terms: tuple[tuple[str, str], ...] = (), parameters: tuple[str, ...] = ()
          ) -> InspectionFacts:
    results = {k: Decimal(str(v)) for k, v in (row.results or {}).items()}
    return InspectionFacts(row.id, row.deal_id, row.inspector_id, inspector, row.booked_by,
                           Money(row.fee_minor, row.currency), InspectionState(row.status),
                           row.due_at, row.record_path is not None,
                           MappingProxyType(results), role, terms, parameters)
