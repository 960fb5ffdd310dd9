"""The VAT on a deal's goods. Listings are priced excluding VAT: where the seller charges VAT
on the sale (core.accounts.vat: a domestic sale, or no reverse charge, by a registered
seller), the buyer pays it on top, at the seller's rate, into the same escrow; the seller's
receipt states it. Worked out from both parties' billing details, which each gives before
accepting the terms, and fixed on the deal when both have accepted them (`fix`), so every
later notice, reminder and payment says the same amount whatever the details say later."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.accounts.vat import STANDARD, VatTreatment, added_vat, percent
from core.companies.billing import sale_treatment
from core.deals.rules import line_total
from core.deals.tables import Deal
from core.i18n import _
from core.money.model import Money
from core.payments_port import Vat
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork


class PricedSale(Protocol):
    """A deal's read model (core.deals.facts.DealFacts), as the VAT reads it: the parties and
    the goods' price, which it carries (this module prices the rows it is built from)."""

    @property
    def buyer_id(self) -> int: ...
    @property
    def seller_id(self) -> int: ...
    @property
    def total(self) -> Money: ...


def price(deal: Deal) -> Money:
    """The goods' price: unit price times quantity (`rules.line_total`), without VAT."""
    return line_total(Money(deal.price_minor, deal.currency), deal.quantity_milli)


def fixed(deal: Deal) -> Vat | None:
    """The VAT fixed on the deal when both accepted its terms, if the seller charges any."""
    if not deal.vat_rate:
        return None
    return Vat(Decimal(deal.vat_rate), Money(deal.vat_minor, deal.currency))


async def contract_rate(uow: UnitOfWork, contract_id: int) -> Decimal | None:
    """The VAT rate fixed when a framework contract's terms were accepted (on its first
    call-off), which its later call-offs are paid with."""
    rate = (await uow.session.execute(select(Deal.vat_rate).where(
        Deal.contract_id == contract_id, Deal.call_off == 1))).scalar()
    return Decimal(rate) if rate else None


def with_vat(amount: Money, rate: Decimal | None) -> Money:
    """A price with the VAT at `rate` on it (none: the price)."""
    return amount + added_vat(amount, rate) if rate is not None else amount


async def treatment_of(uow: UnitOfWork, deal: Deal | PricedSale) -> VatTreatment | None:
    """The deal's VAT treatment, once both parties have given their billing details."""
    return await sale_treatment(uow, deal.buyer_id, deal.seller_id, "goods")


def vat_of(deal: Deal | PricedSale, found: VatTreatment | None) -> Vat | None:
    """The VAT the buyer pays on top of the price, when the seller charges it."""
    if found is None or found.category != STANDARD or found.rate is None:
        return None
    return Vat(found.rate, added_vat(_goods(deal), found.rate))


def _goods(deal: Deal | PricedSale) -> Money:
    """The goods' price, of a row or of the read model (which carries it)."""
    return price(deal) if isinstance(deal, Deal) else deal.total


def refund_of(deal: Deal, adjustment_minor: int) -> Money:
    """What a price adjustment gives the buyer back: with the VAT fixed on the deal."""
    return with_vat(Money(adjustment_minor, deal.currency),
                    Decimal(deal.vat_rate) if deal.vat_rate else None)


async def fix(uow: UnitOfWork, deal: Deal) -> None:
    """Fix the deal's VAT as both parties' details give it now (both accepted the terms); a
    later call-off of a contract at the rate its terms were accepted with, as announced."""
    if deal.contract_id is not None and (deal.call_off or 1) > 1:
        rate = await contract_rate(uow, deal.contract_id)
        vat = Vat(rate, added_vat(price(deal), rate)) if rate is not None else None
    else:
        vat = vat_of(deal, await treatment_of(uow, deal))
    values = {"vat_minor": vat.amount.amount if vat else 0,
              "vat_rate": f"{vat.rate.normalize():f}" if vat else None}
    await (await uow.core()).execute(_FIX, {"deal_id": deal.id, **values})
    for name, value in values.items():  # what the row now holds, without reading it again
        set_committed_value(deal, name, value)


# Built once: run as every deal's terms are accepted, on the transaction's connection (the
# session's row is updated by hand).
_FIX = (update(table_of(Deal)).where(table_of(Deal).c.id == bindparam("deal_id"))
        .values(vat_minor=bindparam("vat_minor"), vat_rate=bindparam("vat_rate")))


async def terms_note(uow: UnitOfWork, deal: Deal | PricedSale) -> str:
    """What the terms mean for VAT, said before a party accepts them (`vat_note`), from both
    parties' billing details as they stand."""
    return vat_note(deal, await treatment_of(uow, deal))


def vat_note(deal: Deal | PricedSale, found: VatTreatment | None) -> str:
    """The VAT added and what the buyer pays; the treatment when none is added; or how it will
    be decided (`found` none: a party has not given billing details yet)."""
    vat = vat_of(deal, found)
    if vat is not None:
        return _("Prices exclude VAT: the seller charges VAT {rate} on this sale ({vat}), so "
                 "the buyer pays {gross}.", rate=percent(vat.rate), vat=vat.amount,
                 gross=_goods(deal) + vat.amount)
    if found is not None:
        return _("No VAT is added to the price: {treatment}.", treatment=found.text)
    return _("Prices exclude VAT: a seller who charges VAT adds it at their rate once both "
             "parties have given billing details.")
