"""The documents' facts in the database (payments.papers): the rows by id, and the parties as
the companies' billing reads them."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.billing import Billing, Party
from core.accounts.tables import Account
from core.companies import billing as company_billing
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork
from payments.papers import Papers
from payments.tables import Escrow, IncomingTransfer, Invoice, TransferAccount


class SqlPapers(SqlStore):
    async def account(self, account_id: int) -> Account | None:
        return await self._uow.get(Account, account_id)

    async def escrow(self, escrow_id: int) -> Escrow | None:
        return await self._uow.get(Escrow, escrow_id)

    async def invoice(self, invoice_id: int) -> Invoice | None:
        return await self._uow.get(Invoice, invoice_id)

    async def commission_number(self, journal_id: int) -> str | None:
        number: str | None = await self._uow.session.scalar(select(Invoice.number).where(
            Invoice.journal_id == journal_id, Invoice.kind == "commission"))
        return number

    async def paid_into(self, escrow_id: int) -> TransferAccount | None:
        arrived = select(IncomingTransfer.id).where(IncomingTransfer.escrow_id == escrow_id,
                                                IncomingTransfer.applied > 0)
        found: TransferAccount | None = await self._uow.session.scalar(
            select(TransferAccount).where(TransferAccount.escrow_id == escrow_id,
                                          arrived.exists()))
        return found

    async def billed(self, account_id: int) -> Billing | None:
        return await company_billing.billed(self._uow, account_id)

    async def parties(self, *account_ids: int | None) -> tuple[Party, ...]:
        return await company_billing.parties_for(self._uow, *account_ids)


def papers_of(uow: UnitOfWork | Papers) -> Papers:
    """The documents' facts in this unit of work: the database's, or the papers given (a
    test's in-memory ones)."""
    return store_of(uow, Papers, SqlPapers)
