"""Agora's price indices as data, the way the catalogue's taxonomy is: each index names a
product (and grade), a region of countries, a delivery basis and the currency it is published
in. Regions are groups of the countries listings are loaded in (the seller's country: on an
FCA basis the goods are handed over there)."""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog.taxonomy import product
from core.i18n import N_, _


@dataclass(frozen=True)
class Region:
    code: str
    label: str  # N_: the reader's language at use
    countries: tuple[str, ...]


REGIONS: dict[str, Region] = {r.code: r for r in (
    Region("baltic", N_("Baltic"), ("EE", "LV", "LT")),
    Region("nordic", N_("Nordic"), ("DK", "FI", "IS", "NO", "SE")),
    Region("central", N_("Central Europe"), ("AT", "CH", "CZ", "DE", "HU", "PL", "SK", "SI")),
)}


@dataclass(frozen=True)
class IndexDef:
    """One index. `number` is its stable id in chat links (`index-1`); `code` its address."""

    code: str
    number: int
    product_type: str
    grade: str | None  # the listing's grade exactly; None: every grade of the product
    region: str
    basis: str = "FCA"  # the one delivery term counted; deals on other terms are left out
    currency: str = "EUR"  # deals in other currencies are left out (no exchange rates kept)

    @property
    def countries(self) -> tuple[str, ...]:
        return REGIONS[self.region].countries

    def name(self) -> str:
        """“Wood pellets ENplus A1, Baltic, FCA” in the current reader's language."""
        goods = _(product(self.product_type).label)
        what = f"{goods} {self.grade}" if self.grade else goods  # a grade's name is not translated
        return _("{what}, {region}, {basis}", what=what, region=_(REGIONS[self.region].label),
                 basis=self.basis)


INDICES: dict[str, IndexDef] = {i.code: i for i in (
    IndexDef("pellets-a1-baltic-fca", 1, "pellets", "ENplus A1", "baltic"),
    IndexDef("pellets-a1-central-fca", 2, "pellets", "ENplus A1", "central"),
    IndexDef("pellets-nordic-fca", 3, "pellets", None, "nordic"),
    IndexDef("chips-nordic-fca", 4, "chips", None, "nordic"),
    IndexDef("chips-baltic-fca", 5, "chips", None, "baltic"),
)}
BY_NUMBER = {i.number: i for i in INDICES.values()}
