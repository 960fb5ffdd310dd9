"""The VAT treatment of a sale between members that an escrow paid — a deal's goods or a
consultant's session — as its documents state it (payments.einvoices, payments.invoices)."""

from __future__ import annotations

from decimal import Decimal

from core import said as say
from core.accounts.billing import Billing
from core.accounts.vat import STANDARD, VatTreatment, percent, treatment
from core.deals.deals import deal_of
from core.i18n import N_
from core.storage.uow import UnitOfWork
from payments.papers import Papers
from payments.sql_papers import papers_of
from payments.tables import Escrow

CHARGED = N_("VAT {rate} charged by the seller")  # goods whose parties' details changed since
# Goods paid before VAT was added to prices: the seller invoiced its VAT apart.
SEPARATELY = N_("VAT, where the seller charges it, is invoiced by the seller (Agora does not "
                "calculate VAT)")


async def sale_treatment(uow: UnitOfWork | Papers, escrow: Escrow | None, buyer_id: int | None,
                         seller_id: int | None) -> VatTreatment | None:
    """The VAT treatment of a sale between members that an escrow paid — a deal's goods or a
    consultant's session — when both parties have given their billing details."""
    found = await _sale(uow, escrow, buyer_id, seller_id)
    return found[0] if found else None


async def _sale(uow: UnitOfWork | Papers, escrow: Escrow | None, buyer_id: int | None,
                seller_id: int | None) -> tuple[VatTreatment, Billing, Billing] | None:
    """The sale's treatment with the seller's and the buyer's billing details (each looked up
    once). Goods state the VAT the escrow charged (core.deals.sale_vat), whatever the details
    say now; goods paid before VAT was added to prices say the seller invoices it and draw no
    e-invoice (no VAT line)."""
    if escrow is None or buyer_id is None or seller_id is None:
        return None
    papers = papers_of(uow)
    if escrow.kind == "goods" and deal_of(escrow.reference) is not None:
        supply = "goods"
    elif escrow.kind == "session":
        supply = "services"
    else:
        return None
    ours, theirs = await papers.billed(seller_id), await papers.billed(buyer_id)
    if theirs is None and supply == "services":  # a session's client: a private person
        theirs = await _private_person(papers, buyer_id)
    if ours is None or theirs is None:
        return None
    found = treatment(ours, theirs, supply)
    if escrow.vat_rate:
        rate = Decimal(escrow.vat_rate)
        if found.category != STANDARD or found.rate != rate:
            found = VatTreatment(found.kind, say.said(CHARGED, rate=percent(rate)), STANDARD,
                                 rate)
    elif found.category == STANDARD and supply == "goods":  # no VAT line: no e-invoice
        found = VatTreatment(found.kind, say.said(SEPARATELY), None)
    return found, ours, theirs


async def _private_person(papers: Papers, account_id: int) -> Billing | None:
    """A client who never gave billing details, as a consumer's invoice names them: their name
    and country (EN 16931 asks no more of a buyer); None when the country is not known."""
    account = await papers.account(account_id)
    if account is None or not account.country:
        return None
    return Billing(account.display_name, "", "", "", account.country)
