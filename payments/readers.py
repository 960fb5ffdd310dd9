"""Who may read a payment document (its PDF, its EN 16931 e-invoice, its line among a deal's
documents): a party it concerns (payments.issued.concerned), and — for a company's finance —
a colleague of a deal's buyer who may see the company's deal (finance and admins every one, an
approver those she approved: core.deals.company_deals.sees), who reads the documents that
concern the buyer's side, never the seller's payout statement. Anyone else finds nothing."""

from __future__ import annotations

from core.deals import company_deals, deals
from core.deals.tables import Deal
from core.storage.uow import UnitOfWork
from payments.issued import concerned
from payments.tables import Escrow, Invoice


async def may_read(uow: UnitOfWork, invoice: Invoice, account_id: int) -> bool:
    """Whether the account may read this document."""
    if account_id in concerned(invoice):
        return True
    escrow = await uow.get(Escrow, invoice.escrow_id)
    deal = await deals.of_reference(uow, escrow.reference) if escrow is not None else None
    return await _buyers_colleague(uow, deal, account_id) and _buyers(invoice, deal)


async def readable(uow: UnitOfWork, reference: str, documents: list[Invoice],
                   account_id: int) -> list[Invoice]:
    """The documents of the escrow named `reference` this account may read."""
    deal = await deals.of_reference(uow, reference)
    colleague = await _buyers_colleague(uow, deal, account_id)
    return [d for d in documents
            if account_id in concerned(d) or (colleague and _buyers(d, deal))]


async def _buyers_colleague(uow: UnitOfWork, deal: Deal | None, account_id: int) -> bool:
    """Whether the account, not a party, may see the deal as a colleague of its buyer."""
    return deal is not None and account_id not in (deal.buyer_id, deal.seller_id) \
        and await company_deals.sees(uow, deal, account_id)


def _buyers(invoice: Invoice, deal: Deal | None) -> bool:
    return deal is not None and deal.buyer_id in concerned(invoice)
