"""A carbon receipt for a completed deal: the CO₂e the buyer avoids by burning or running on
the delivered biofuel instead of the fossil fuel it replaces, by the taxonomy's RED II method
(`core.catalog.taxonomy.carbon_method`), with the working shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.accounts.billing import Party, party_of
from core.catalog.tables import Listing
from core.catalog.taxonomy import COMPARATOR_G_MJ, UNITS, carbon_method, carbon_saving_kg, product
from core.deals import deals
from core.errors import Conflict
from core.i18n import _
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
    """The receipt as a PDF: deal, parties, product, quantity, the result and its method."""
    kind = product(receipt.product_type)
    from core.pdf import Document  # loaded when drawing (core.pdf)
    doc = Document(f"Agora: carbon receipt, deal {receipt.deal_id}",
                   footer=f"Agora · carbon receipt · deal {receipt.deal_id}")
    doc.heading(f"Agora — Carbon receipt, deal {receipt.deal_id}")
    doc.fields((("Deal", f"#{receipt.deal_id}"), ("Issued", receipt.issued_on.isoformat()),
                ("Seller", receipt.seller.block()), ("Buyer", receipt.buyer.block())))
    doc.section("Delivered")
    unit = UNITS.get(receipt.unit, receipt.unit)
    doc.fields((("Product", kind.label), ("Quantity", f"{_num(receipt.quantity)} {unit}"),
                ("Energy per unit", f"{_num(receipt.energy_mwh_per_unit)} MWh/{unit}"),
                ("Energy delivered", f"{_num(receipt.energy_mwh)} MWh")))
    doc.section("CO₂e avoided")
    doc.fields(_result_rows(receipt))
    doc.ln(3)
    doc.paragraph(carbon_method(receipt.product_type), size=8, grey=True)
    return doc.render()


def _result_rows(receipt: CarbonReceipt) -> list[tuple[str, str]]:
    kind = product(receipt.product_type)
    comparator = COMPARATOR_G_MJ[kind.end_use]
    saving = comparator - kind.ghg_g_mj
    avoided = receipt.avoided_kg
    working = (f"{_num(receipt.energy_mwh)} MWh × 3,600 MJ/MWh × ({comparator} − {kind.ghg_g_mj}) "
               f"g CO₂e/MJ ÷ 1,000 = {avoided:,} kg")
    return [
        ("Method", f"RED II fossil fuel comparator for {kind.end_use}: {comparator} g CO₂e/MJ"),
        ("Product's emissions", f"{kind.ghg_g_mj} g CO₂e/MJ (typical value)"),
        ("Saving", f"{saving} g CO₂e per MJ"),
        ("Calculation", working),
        ("Avoided", f"{avoided:,} kg CO₂e ({_num((avoided / 1000).quantize(Decimal('0.001')))} t)"),
    ]


def _num(value: Decimal) -> str:
    """A decimal without trailing zeros, grouped: 126144.000 → '126,144'."""
    return f"{value.normalize():,f}"


async def carbon_receipt(uow: UnitOfWork, deal_id: int, actor_id: int | None) -> CarbonReceipt:
    """The deal's carbon receipt, for its parties and admins once the delivery is accepted."""
    deal = await deals.get(uow, deal_id, actor_id)
    if deal.status not in ISSUED_FROM:
        raise Conflict(_("A carbon receipt is issued once the delivery is confirmed."))
    listing = await uow.session.get(Listing, deal.listing_id)
    if listing is None:
        raise Conflict(_("That deal's listing is gone, so its energy content is unknown."))
    return CarbonReceipt(deal.id, await party_of(uow, deal.seller_id),
                         await party_of(uow, deal.buyer_id), listing.product_type,
                         Decimal(deal.quantity_milli) / 1000, listing.unit,
                         Decimal(listing.energy_mwh_per_unit), uow.clock.now().date())


async def carbon_receipt_pdf(uow: UnitOfWork, deal_id: int, actor_id: int | None) -> bytes:
    """`carbon_receipt` as a PDF."""
    return render_carbon_receipt(await carbon_receipt(uow, deal_id, actor_id))
