"""Asking a seller, once it is needed, for the phone its German buyers' XRechnungs name as the
seller contact (BR-DE-6; payments.xrechnung): the notice that hands the seller a receipt or an
invoice on terms of a sale to a buyer billed in Germany says so, with a button to give it,
while the seller has given none. Until then the buyer's e-invoice is the EN 16931 one; each
XML is drawn when asked for, so once the phone is given the same links give the XRechnung."""

from __future__ import annotations

from core.accounts.intents import AccountIntent
from core.accounts.tables import Account
from core.actions import Action
from core.companies.billing import billed
from core.i18n import N_
from core.storage.uow import UnitOfWork
from payments.tables import Invoice

ASK = N_("📞 Your buyer is billed in Germany and books XRechnung e-invoices, which name a phone "
         "to reach you. Give it once with the button; until then the buyer gets the EN 16931 "
         "e-invoice.")
SALES = ("payment", "terms")  # the documents of a sale the seller is named on


async def phone_wanted(uow: UnitOfWork, account_id: int, invoice: Invoice | None) -> bool:
    """Whether `account_id` is the seller of the document's sale to a buyer billed in Germany
    and has given no phone yet."""
    if invoice is None or invoice.kind not in SALES or invoice.payee_id != account_id:
        return False
    seller = await uow.get(Account, account_id)
    if seller is None or seller.phone:
        return False
    buyer = await billed(uow, invoice.payer_id)
    return buyer is not None and buyer.country == "DE"


def phone_step() -> list[Action]:
    return [Action(AccountIntent.INVOICE_PHONE, N_("📞 Give my phone"))]
