"""Receipts as notification attachments: the outbox keeps the invoice's token, the PDF is
rendered when the notification leaves."""

from __future__ import annotations

from collections.abc import Callable

from core.notifications.delivery import Attachment, Resolver
from core.storage.uow import UnitOfWork
from payments import invoices, numbering
from payments.invoice_pdf import pdf_of


def resolvers(uow_factory: Callable[[], UnitOfWork]) -> dict[str, Resolver]:
    """The attachment kinds payments renders, for the dispatchers (wired by the composition root)."""

    async def invoice(token: str) -> Attachment:
        return await invoice_file(uow_factory, token)

    return {"invoice": invoice}


async def invoice_file(uow_factory: Callable[[], UnitOfWork], token: str) -> Attachment:
    """The invoice's PDF, numbered: a notification may leave before the after-commit numbering
    pass has run, and a receipt must carry its number."""
    if await _number(uow_factory, token) is None:
        await numbering.after_commit(uow_factory())  # joins a pass already running in this process
    async with uow_factory() as uow:
        invoice = await invoices.find(uow, token, by_token=True)
        if invoice.number is None:  # numbering failed (it logged why): the delivery is retried
            raise RuntimeError(f"invoice {token[:4]}… is not numbered yet")
        return Attachment(f"agora-{invoice.number}.pdf", await pdf_of(uow, invoice),
                          "application/pdf")


async def _number(uow_factory: Callable[[], UnitOfWork], token: str) -> str | None:
    async with uow_factory() as uow:
        return (await invoices.find(uow, token, by_token=True)).number
