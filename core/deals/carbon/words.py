"""A member's carbon totals in the reader's words, for every face that shows them (the deals
dashboard in chat, the Slack App Home, the Mini App, the public site): one place, so the
figures read the same everywhere (numbers by the presenter, `core.i18n.present.co2e`)."""

from __future__ import annotations

from core.catalog.taxonomy import product
from core.deals.carbon.records import CarbonStanding
from core.deals.carbon.totals import CarbonTotals
from core.i18n import _, present


def by_product(side: CarbonTotals) -> str:
    """“Wood pellets 126.1 t CO₂e, HVO 2.0 t CO₂e”, the largest first."""
    return ", ".join(_("{product} {co2e}", product=_(product(p.product_type).label),
                       co2e=present.co2e(p.avoided_kg)) for p in side.by_product)


def member_lines(standing: CarbonStanding) -> list[str]:
    """The member's own totals: bought, then supplied (a side with no deals is left out)."""
    lines = []
    bought, supplied = standing.totals.bought, standing.totals.supplied
    if not bought.empty:
        lines.append(_("🌱 CO₂e avoided by what you bought: {this_year} in {year}, {all_time} in "
                       "all ({products})", this_year=present.co2e(bought.this_year_kg),
                       year=bought.year, all_time=present.co2e(bought.all_time_kg),
                       products=by_product(bought)))
    if not supplied.empty:
        lines.append(_("🌱 CO₂e avoided by what you supplied: {this_year} in {year}, {all_time} "
                       "in all ({products})", this_year=present.co2e(supplied.this_year_kg),
                       year=supplied.year, all_time=present.co2e(supplied.all_time_kg),
                       products=by_product(supplied)))
    return lines


def public_lines(standing: CarbonStanding) -> list[str]:
    """What the public site says of a member who allows it: all time, each side they have."""
    lines = []
    if not standing.totals.supplied.empty:
        lines.append(_("The biofuel they supplied through Agora avoided {co2e} against fossil "
                       "fuel (RED II comparator; an estimate).",
                       co2e=present.co2e(standing.totals.supplied.all_time_kg)))
    if not standing.totals.bought.empty:
        lines.append(_("The biofuel they bought through Agora avoided {co2e} against fossil "
                       "fuel (RED II comparator; an estimate).",
                       co2e=present.co2e(standing.totals.bought.all_time_kg)))
    return lines
