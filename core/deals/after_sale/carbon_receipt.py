"""A carbon receipt for a completed deal: the CO₂e the buyer avoids by burning or running on
the delivered biofuel instead of the fossil fuel it replaces, by the taxonomy's RED II method
(`core.catalog.taxonomy.carbon_method`), with the working shown."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from core.accounts.billing import Party
from core.catalog.taxonomy import (
    COMPARATOR_G_MJ,
    END_USES,
    UNITS,
    carbon_method,
    carbon_saving_kg,
    product,
)
from core.deals.after_sale.logbook import Logbook
from core.deals.after_sale.sql_logbook import logbook_of
from core.errors import Conflict
from core.i18n import READER_LOCALE, _, present
from core.storage.uow import UnitOfWork

MJ_PER_MWH = Decimal(3600)
ISSUED_FROM = ("completed", "closed")  # delivered and accepted


def carbon_avoided_kg(product_type: str, quantity: Decimal, energy_mwh_per_unit: Decimal
                      ) -> Decimal:
    """kg CO₂e avoided: quantity * energy per unit (MWh) * 3,600 MJ/MWh * (fossil comparator
    minus the product's typical emissions, g CO₂e/MJ) / 1,000, to 0.1 kg."""
    return carbon_saving_kg(product_type, quantity * energy_mwh_per_unit)


@dataclass(frozen=True)
class CarbonReceipt:
    """What a carbon receipt states: the deal, its parties, what was delivered and how much."""

    deal_id: int
    seller: Party
    buyer: Party
    product_type: str
    quantity: Decimal
    unit: str
    energy_mwh_per_unit: Decimal
    issued_on: date

    @property
    def energy_mwh(self) -> Decimal:
        return self.quantity * self.energy_mwh_per_unit

    @property
    def avoided_kg(self) -> Decimal:
        return carbon_avoided_kg(self.product_type, self.quantity, self.energy_mwh_per_unit)


def render_carbon_receipt(receipt: CarbonReceipt) -> bytes:
    """The receipt as a PDF: deal, parties, product, quantity, the result and its method, in
    the current reader's language and number format (not a legal document: no English
    beside it); names and addresses as written."""
    kind = product(receipt.product_type)
    from core.pdf import Document  # loaded when drawing (core.pdf)
    deal = receipt.deal_id
    doc = Document(_("Agora: carbon receipt, deal {deal}", deal=deal),
                   footer=_("Agora · carbon receipt · deal {deal}", deal=deal), legal=False)
    doc.heading(_("Agora — Carbon receipt, deal {deal}", deal=deal))
    doc.fields(((_("Deal"), f"#{deal}"), (_("Issued"), present.day(receipt.issued_on)),
                (_("Seller"), receipt.seller.block(legal=False)),
                (_("Buyer"), receipt.buyer.block(legal=False))))
    doc.section(_("Delivered"))
    unit = _(UNITS[receipt.unit]) if receipt.unit in UNITS else receipt.unit
    doc.fields(((_("Product"), _(kind.label)),
                (_("Quantity"), f"{_num(receipt.quantity)} {unit}"),
                (_("Energy per unit"), f"{_num(receipt.energy_mwh_per_unit)} MWh/{unit}"),
                (_("Energy delivered"), f"{_num(receipt.energy_mwh)} MWh")))
    doc.section(_("CO₂e avoided"))
    doc.fields(_result_rows(receipt))
    doc.ln(3)
    doc.paragraph(carbon_method(receipt.product_type), size=8, grey=True)
    return doc.render()


def _result_rows(receipt: CarbonReceipt) -> list[tuple[str, str]]:
    kind = product(receipt.product_type)
    comparator = COMPARATOR_G_MJ[kind.end_use]
    saving = comparator - kind.ghg_g_mj
    avoided = _kg(receipt.avoided_kg)
    tonnes = _num((receipt.avoided_kg / 1000).quantize(Decimal("0.001")))
    working = (f"{_num(receipt.energy_mwh)} MWh × {_num(MJ_PER_MWH)} MJ/MWh × ({comparator} − "
               f"{kind.ghg_g_mj}) g CO₂e/MJ ÷ {_num(Decimal(1000))} = {avoided} kg")
    return [
        (_("Method"), _("RED II fossil fuel comparator for {end_use}: {comparator} g CO₂e/MJ",
                        end_use=_(END_USES[kind.end_use]), comparator=comparator)),
        (_("Product's emissions"), _("{emissions} g CO₂e/MJ (typical value)",
                                     emissions=kind.ghg_g_mj)),
        (_("Saving"), _("{saving} g CO₂e per MJ", saving=saving)),
        (_("Calculation"), working),
        (_("Avoided"), _("{kg} kg CO₂e ({tonnes} t)", kg=avoided, tonnes=tonnes)),
    ]


def _num(value: Decimal) -> str:
    """A decimal without trailing zeros, grouped, in the reader's format: 126144.000 →
    '126,144' ('126.144' in Germany)."""
    return format_decimal(value.normalize(), locale=READER_LOCALE.get(), decimal_quantization=False)


def _kg(value: Decimal) -> str:
    """Kilograms to a tenth, grouped, in the reader's format: '126,144.0'."""
    return format_decimal(value, format="#,##0.0", locale=READER_LOCALE.get())


async def carbon_receipt(uow: UnitOfWork | Logbook, deal_id: int, actor_id: int | None
                         ) -> CarbonReceipt:
    """The deal's carbon receipt, for its parties and admins once the delivery is accepted."""
    book = logbook_of(uow)
    deal = await book.deal(deal_id, actor_id)
    if deal.status not in ISSUED_FROM:
        raise Conflict(_("A carbon receipt is issued once the delivery is confirmed."))
    listing = await book.listing(deal.listing_id)
    if listing is None:
        raise Conflict(_("That deal's listing is gone, so its energy content is unknown."))
    seller, buyer = await book.parties(deal.seller_id, deal.buyer_id)
    return CarbonReceipt(deal.id, seller, buyer, listing.product_type,
                         Decimal(deal.quantity_milli) / 1000, listing.unit,
                         Decimal(listing.energy_mwh_per_unit), book.now().date())


async def carbon_receipt_pdf(uow: UnitOfWork, deal_id: int, actor_id: int | None) -> bytes:
    """`carbon_receipt` as a PDF, drawn off the event loop (core.pdf.Document)."""
    return await asyncio.to_thread(render_carbon_receipt,
                                   await carbon_receipt(uow, deal_id, actor_id))
