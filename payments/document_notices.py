"""A notice that carries a document: the invoice's PDF attached, with a button that downloads
it again (and any further steps, such as paying it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.actions import Action, ActionRows
from core.i18n import N_, _
from core.money.intents import MoneyIntent
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork
from payments import invoices, xrechnung_phone
from payments.tables import Invoice


def receipt_button(invoice: Invoice) -> ActionRows:
    # Numbers are given right after commit, so the button names the invoice by its token.
    label = N_("🧾 Invoice") if invoice.kind == "terms" else N_("🧾 Receipt")
    return [[Action(MoneyIntent.RECEIPT, label, invoice.token)]]


async def with_receipt(uow: UnitOfWork, account_id: int, text: str | Callable[[], str],
                       invoice: Invoice | None, steps: Sequence[list[Action]] = ()) -> None:
    """A notice with the invoice's PDF attached (once per chat: the outbox keeps it to one) and
    its Receipt button, which downloads it again, after `steps`; a plain notice when there is
    no document. A text given as a function is written for the recipient (their money
    format). A seller whose German buyer's XRechnung wants its phone is asked for it here
    (payments.xrechnung_phone)."""
    asked = await xrechnung_phone.phone_wanted(uow, account_id, invoice)
    if asked:
        steps = [*steps, xrechnung_phone.phone_step()]
    # Written inside the recipient's reading: the text and the buttons' labels alike.
    async with addressed_to(uow, account_id):
        written = text() if callable(text) else text
        if asked:
            written = f"{written}\n{_(xrechnung_phone.ASK)}"
        if invoice is None:
            await notify(uow, account_id, written, buttons=list(steps) or None)
            return
        row = await notify(uow, account_id, written, buttons=[*steps, *receipt_button(invoice)],
                           attachment=invoices.attachment(invoice), once_per_chat=True)
    if row is not None and row.channel == "email":
        # By email, the receipt email (invoices.email_parties) already carries this PDF.
        row.payload = {k: v for k, v in row.payload.items() if k != "attachments"}
