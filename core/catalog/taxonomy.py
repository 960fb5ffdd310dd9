"""Product taxonomy: types, trade units, default energy content and density, specs, certifications.

Energy content is kept as MWh per tonne (solids, liquids) or MWh per Nm³ (gases); bulk density
in tonnes per m³. A seller's lab values (net calorific value, bulk density) override the defaults,
so every listing can show a comparable price per MWh.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.i18n import N_, _
from core.i18n.present import UNIT_WORDS

# A listing's lab values: each one's name and the unit it is written in.
SPEC_LABELS = {"moisture": (N_("Moisture"), "%"), "ash": (N_("Ash"), "%"), "ncv": (N_("NCV"), " MJ/kg"),
               "bulk_density": (N_("Bulk density"), " kg/m³"),
               "particle_size": (N_("Particle size"), "")}
# A trade unit's words, kept with the presenter that writes quantities (core.i18n.present).
UNITS = UNIT_WORDS

CERTIFICATIONS = {
    "enplus": "ENplus", "sbp": "SBP", "iscc": "ISCC EU", "sure": "SURE", "redcert": "REDcert",
    "fsc": "FSC", "pefc": "PEFC",
    "red2": N_("RED II compliant"), "other": N_("Other"),
}

DELIVERY = {
    "pickup": N_("Pickup"), "delivery": N_("Delivery within a radius"), "EXW": "EXW", "FCA": "FCA",
    "DAP": "DAP", "CIF": "CIF",
}


@dataclass(frozen=True)
class ProductType:
    code: str
    label: str
    units: tuple[str, ...]
    mwh_per_t: Decimal  # default net calorific value as received
    t_per_m3: Decimal  # default bulk (or liquid) density
    end_use: str  # heat | transport | electricity — the RED II fossil comparator
    ghg_g_mj: Decimal  # typical life-cycle emissions of the biofuel itself, g CO₂e/MJ
    price_mwh: tuple[int, int]  # plausible price per MWh, EUR (whole units)
    grades: tuple[str, ...] = ()
    mwh_per_nm3: Decimal = Decimal(0)
    keywords: str = ""


def _d(value: str) -> Decimal:
    return Decimal(value)


TYPES: dict[str, ProductType] = {t.code: t for t in (
    ProductType("pellets", N_("Wood pellets"), ("t", "kg", "loose_m3", "mwh"), _d("4.8"), _d("0.65"),
                "heat", _d("7"), (15, 150), ("ENplus A1", "ENplus A2", "ENplus B", "Industrial"),
                keywords="pellet pellets wood enplus"),
    ProductType("chips", N_("Wood chips"), ("t", "loose_m3", "mwh"), _d("3.0"), _d("0.25"), "heat",
                _d("3"), (8, 80), ("ISO 17225 A1", "ISO 17225 A2", "ISO 17225 B1", "ISO 17225 B2"),
                keywords="chips woodchips hackschnitzel"),
    ProductType("briquettes", N_("Briquettes"), ("t", "kg", "mwh"), _d("4.7"), _d("0.70"), "heat",
                _d("7"), (20, 160), ("RUF", "Pini Kay", "Nestro"), keywords="briquette briquettes"),
    ProductType("firewood", N_("Firewood"), ("m3", "loose_m3", "t"), _d("4.0"), _d("0.40"), "heat",
                _d("2"), (15, 150), ("Kiln-dried", "Air-dried"), keywords="firewood logs wood"),
    ProductType("agri", N_("Agricultural residues"), ("t", "loose_m3", "mwh"), _d("4.0"), _d("0.15"),
                "heat", _d("4"), (5, 90), ("Straw", "Sunflower husks", "Nut shells", "Olive pits"),
                keywords="straw husks shells residues"),
    ProductType("biogas", N_("Biogas / biomethane"), ("nm3", "mwh"), _d("0"), _d("0"), "electricity",
                _d("20"), (20, 250), ("Raw biogas", "Biomethane (grid quality)"),
                mwh_per_nm3=_d("0.0099"), keywords="biogas biomethane gas rng"),
    ProductType("biodiesel", N_("Biodiesel / FAME"), ("t", "l", "m3", "mwh"), _d("10.3"), _d("0.88"),
                "transport", _d("45"), (50, 400), ("FAME B100", "RME"), keywords="biodiesel fame rme"),
    ProductType("hvo", "HVO", ("t", "l", "m3", "mwh"), _d("12.2"), _d("0.78"), "transport",
                _d("35"), (60, 450), ("HVO100",), keywords="hvo renewable diesel"),
    ProductType("bioethanol", N_("Bioethanol"), ("t", "l", "m3", "mwh"), _d("7.4"), _d("0.79"),
                "transport", _d("30"), (50, 400), ("ED95", "E100 fuel grade"),
                keywords="ethanol bioethanol"),
    ProductType("uco", N_("Used cooking oil"), ("t", "l", "m3"), _d("10.3"), _d("0.92"), "transport",
                _d("14"), (30, 300), ("UCO ISCC",), keywords="uco used cooking oil"),
    ProductType("biochar", N_("Biochar / charcoal"), ("t", "kg", "loose_m3"), _d("8.3"), _d("0.30"),
                "heat", _d("10"), (30, 400), ("EBC", "BBQ charcoal"), keywords="biochar charcoal"),
    ProductType("other", N_("Other"), tuple(UNITS), _d("4.0"), _d("0.5"), "heat", _d("10"),
                (1, 2000), keywords="other"),
)}

COMPARATOR_G_MJ = {"heat": Decimal(80), "electricity": Decimal(183), "transport": Decimal(94)}
# The end uses, in words ("the RED II fossil comparator for heat").
END_USES = {"heat": N_("heat"), "electricity": N_("electricity"), "transport": N_("transport")}
# Plausible quantity ranges per listing, in tonnes-equivalent (or MWh for gases).
MAX_QUANTITY = Decimal(1_000_000)


def product(code: str) -> ProductType:
    """The product type for `code` ("other" when unknown)."""
    return TYPES.get(code, TYPES["other"])


def mwh_per_unit(type_code: str, unit: str, ncv_mj_kg: Decimal | None = None,
                 density_kg_m3: Decimal | None = None) -> Decimal:
    """Energy in one trade unit, using the seller's lab values where given."""
    kind = product(type_code)
    per_t = ncv_mj_kg / Decimal("3.6") if ncv_mj_kg else kind.mwh_per_t
    t_m3 = density_kg_m3 / 1000 if density_kg_m3 else kind.t_per_m3
    return {
        "t": per_t, "kg": per_t / 1000, "m3": per_t * t_m3, "loose_m3": per_t * t_m3,
        "l": per_t * t_m3 / 1000, "mwh": Decimal(1), "nm3": kind.mwh_per_nm3,
    }[unit]


def price_per_mwh_minor(price_minor: int, energy_mwh: Decimal) -> int | None:
    """Price per MWh in minor units, or None when the unit carries no known energy."""
    if energy_mwh <= 0:
        return None
    return int((Decimal(price_minor) / energy_mwh).to_integral_value())


def carbon_saving_kg(type_code: str, energy_mwh: Decimal) -> Decimal:
    """kg CO₂e a buyer avoids per unit against the RED II fossil comparator."""
    kind = product(type_code)
    saving_g_mj = COMPARATOR_G_MJ[kind.end_use] - kind.ghg_g_mj
    return (energy_mwh * 3600 * saving_g_mj / 1000).quantize(Decimal("0.1"))


def carbon_method(type_code: str) -> str:
    """How the carbon estimate is made, in plain words (the reader's language)."""
    kind = product(type_code)
    comparator = COMPARATOR_G_MJ[kind.end_use]
    return _("Carbon estimate for {product}: RED II fossil comparator for {end_use} "
             "{comparator} g CO₂e/MJ, minus a typical life-cycle value of {emissions} g CO₂e/MJ "
             "for this product (RED II Annex V/VI typical values, rounded), times the energy per "
             "unit (1 MWh = 3,600 MJ; the seller's lab values where given, otherwise defaults). "
             "Assumes the fuel displaces the fossil comparator one for one; land-use change and "
             "site-specific supply chains are not included, so treat it as an estimate.",
             product=_(kind.label), end_use=_(END_USES[kind.end_use]), comparator=comparator,
             emissions=kind.ghg_g_mj)
