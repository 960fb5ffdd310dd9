"""The yearly carbon statement: each completed deal of the year with its figure and the method
it was computed by, and the year's totals (bought and supplied, by product), as a PDF in the
reader's language. The year is the calendar year in the member's time zone."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime

from core.accounts.member import member
from core.catalog.taxonomy import END_USES, product
from core.clock import zone
from core.deals.after_sale.carbon_receipt import MJ_PER_MWH
from core.deals.carbon.book import carbon_book_of
from core.deals.carbon.totals import BUYER, SELLER, CarbonEntry, CarbonTotals, in_year, totals
from core.errors import NotFound
from core.i18n import N_, _, present
from core.storage.uow import UnitOfWork

ROLE_WORDS = {BUYER: N_("bought"), SELLER: N_("supplied")}


@dataclass(frozen=True)
class CarbonStatement:
    """What a yearly statement states: whose, which year, each deal, the year's totals."""

    account_id: int
    name: str
    timezone: str
    year: int
    entries: tuple[CarbonEntry, ...]
    bought: CarbonTotals  # the year's only
    supplied: CarbonTotals
    issued_on: date


async def carbon_statement(uow: UnitOfWork, account_id: int, year: int) -> CarbonStatement:
    """The member's statement for `year` (their own records only); NotFound for a year
    without any."""
    who = await member(uow, account_id)
    book = carbon_book_of(uow)
    entries = in_year(await book.entries(account_id), year, who.timezone)
    if not entries:
        raise NotFound(_("No completed deals with a carbon figure in {year}.", year=year))
    name = " · ".join(part for part in (who.display_name, who.company) if part)
    # The year's totals: "this year" measured at the year's last moment in their zone.
    end = datetime(year, 12, 31, 12, 0, tzinfo=entries[-1].completed_at.tzinfo)
    return CarbonStatement(account_id, name, who.timezone, year, tuple(entries),
                           totals(entries, account_id, BUYER, who.timezone, end),
                           totals(entries, account_id, SELLER, who.timezone, end),
                           book.now().date())


def render_carbon_statement(statement: CarbonStatement) -> bytes:
    """The statement as a PDF in the current reader's language and number format (not a legal
    document: no English beside it)."""
    from core.pdf import Document  # loaded when drawing (core.pdf)

    year = statement.year
    doc = Document(_("Agora: carbon statement {year}", year=year),
                   footer=_("Agora · carbon statement {year} · account #{account}", year=year,
                            account=statement.account_id), legal=False)
    doc.heading(_("Carbon statement {year}", year=year))
    doc.fields(((_("Member"), statement.name),
                (_("Period"), present.days(date(year, 1, 1), date(year, 12, 31))),
                (_("Time zone"), statement.timezone),
                (_("Issued"), present.day(statement.issued_on))))
    doc.section(_("Totals"))
    doc.fields(_totals_rows(statement))
    doc.section(_("Deals"))
    for entry in statement.entries:
        doc.ln(1)
        doc.fields(_deal_rows(entry, statement.account_id, statement.timezone))
    doc.ln(3)
    doc.paragraph(_("Method: CO₂e avoided = energy delivered (MJ) × (the RED II fossil fuel "
                    "comparator for the fuel's end use − the product's typical life-cycle "
                    "emissions, g CO₂e/MJ) ÷ 1,000, as on each deal's carbon receipt; the "
                    "values used are those of the day the deal completed. Assumes the fuel "
                    "displaces the fossil comparator one for one; land-use change and "
                    "site-specific supply chains are not included, so treat it as an "
                    "estimate."), size=8, grey=True)
    return doc.render()


def _totals_rows(statement: CarbonStatement) -> list[tuple[str, str]]:
    rows = []
    for label, side in ((_("Avoided by what you bought"), statement.bought),
                        (_("Avoided by what you supplied"), statement.supplied)):
        if side.empty:
            continue
        rows.append((label, _("{co2e} · deals: {deals}", co2e=present.co2e(side.all_time_kg),
                              deals=present.count(side.deals))))
        rows += [(f"  {_(product(p.product_type).label)}", present.co2e(p.avoided_kg))
                 for p in side.by_product]
    return rows


def _deal_rows(entry: CarbonEntry, account_id: int, timezone: str) -> list[tuple[str, str]]:
    kind = product(entry.product_type)
    role = BUYER if entry.buyer_id == account_id else SELLER
    saving = entry.comparator_g_mj - entry.product_g_mj
    energy = entry.energy_mwh
    working = _("{energy} MWh × {mj} MJ/MWh × ({comparator} − {emissions}) g CO₂e/MJ ÷ "
                "{thousand} = {kg} kg", energy=present.number(energy.normalize()),
                mj=present.number(MJ_PER_MWH), comparator=present.number(entry.comparator_g_mj),
                emissions=present.number(entry.product_g_mj), thousand=present.number(1000),
                kg=present.number(entry.avoided_kg, places=1))
    return [
        (_("Deal #{deal}", deal=entry.deal_id),
         _("{day}, {role}", day=present.day(entry.completed_at.astimezone(zone(timezone))),
           role=_(ROLE_WORDS[role]))),
        (_("Product"), _(kind.label)),
        (_("Quantity"), present.quantity(entry.quantity.normalize(), entry.unit)),
        (_("Method"), _("RED II fossil fuel comparator for {end_use}: {comparator} g CO₂e/MJ; "
                        "product {emissions} g CO₂e/MJ (typical value); saving {saving} g "
                        "CO₂e/MJ", end_use=_(END_USES.get(entry.end_use, entry.end_use)),
                        comparator=present.number(entry.comparator_g_mj),
                        emissions=present.number(entry.product_g_mj),
                        saving=present.number(saving))),
        (_("Calculation"), working),
        (_("Avoided"), present.co2e(entry.avoided_kg)),
    ]


async def carbon_statement_pdf(uow: UnitOfWork, account_id: int, year: int) -> bytes:
    """`carbon_statement` as a PDF, drawn off the event loop (core.pdf.Document)."""
    return await asyncio.to_thread(render_carbon_statement,
                                   await carbon_statement(uow, account_id, year))


def statement_file_name(year: int) -> str:
    return f"agora-carbon-statement-{year}.pdf"


__all__ = ["CarbonStatement", "carbon_statement", "carbon_statement_pdf",
           "render_carbon_statement", "statement_file_name"]

