"""A document's facts read alike from memory and from the database: one set of tests
(`PapersContract`) runs against the tests' `MemoryPapers` (no database) and `SqlPapers` (on
SQLite and PostgreSQL), so what a receipt says, tested on the fake
(tests/payments/test_invoice_documents.py), holds on the real one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from core.accounts import billing
from core.accounts.tables import Account
from payments.lines import Subject
from payments.sql_papers import SqlPapers
from payments.tables import Escrow, IncomingTransfer, Invoice, LedgerJournal, TransferAccount
from tests.payments.fakes import MemoryPapers
from tests.support.accounts import person_in

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
IBAN = "DE89370400440532013000"
SUE = {"legal_name": "Sue Handel GmbH", "street": "Hauptstraße 5", "postcode": "10115",
       "town": "Berlin", "country": "DE", "vat_id": "DE136695976"}


class PapersContract:
    """What every document's facts do; a subclass gives `desk`: the papers, and how people,
    their billing details and documents come to be."""

    async def test_what_a_document_names_is_found_by_id_and_nothing_else_is(self, desk):
        bob, sue = await desk.person("bob"), await desk.person("sue")
        receipt = await desk.receipt(bob, sue, 12_300, "deal:7")
        papers = desk.papers
        assert (await papers.invoice(receipt.id)).lines == [list(Subject("deal:7").line(12_300))]
        assert (await papers.escrow(receipt.escrow_id)).reference == "deal:7"
        assert (await papers.account(bob)).display_name == "Bob"
        for missing in (papers.invoice(receipt.id + 100), papers.escrow(receipt.escrow_id + 100),
                        papers.account(sue + 100)):
            assert await missing is None

    async def test_a_journals_commission_invoice_is_found_by_its_number(self, desk):
        bob, sue = await desk.person("bob"), await desk.person("sue")
        receipt = await desk.receipt(bob, sue, 12_300, "deal:8")
        assert await desk.papers.commission_number(receipt.journal_id) is None
        await desk.commission(receipt, "C-2026-000001")
        assert await desk.papers.commission_number(receipt.journal_id) == "C-2026-000001"

    async def test_a_payment_is_paid_into_its_own_account_once_a_transfer_arrived_there(self, desk):
        bob, sue = await desk.person("bob"), await desk.person("sue")
        receipt = await desk.receipt(bob, sue, 12_300, "deal:9")
        await desk.transfer_account(receipt.escrow_id, arrived=False)  # asked for, not used
        assert await desk.papers.paid_into(receipt.escrow_id) is None
        await desk.transfer_account(receipt.escrow_id, arrived=True)
        paid = await desk.papers.paid_into(receipt.escrow_id)
        assert (paid.iban, paid.reference) == (IBAN, "AGORA-9")

    async def test_an_account_is_billed_with_its_own_details_once_given(self, desk):
        sue = await desk.person("sue")
        assert await desk.papers.billed(sue) is None
        await desk.bill(sue, **SUE)
        assert await desk.papers.billed(sue) == billing.check(**SUE)

    async def test_parties_are_named_by_their_details_else_as_registered(self, desk):
        bob, sue = await desk.person("bob", company="Bob Pellets"), await desk.person("sue")
        await desk.bill(sue, **SUE)
        payer, payee, platform = await desk.papers.parties(bob, sue, None)
        assert payer == billing.Party("Bob", ("Bob Pellets", "bob@example.com"))
        assert payee == billing.Party("Sue Handel GmbH",
                                      ("Hauptstraße 5", "10115 Berlin", "Germany"), "DE136695976")
        assert platform == billing.PLATFORM


@dataclass
class MemoryDesk:
    papers: MemoryPapers

    async def person(self, name: str, **profile: Any) -> int:
        return self.papers.person(name, **profile)

    async def bill(self, account_id: int, **details: Any) -> None:
        self.papers.bill(account_id, **details)

    async def receipt(self, buyer: int, seller: int, amount: int, reference: str) -> Invoice:
        return self.papers.receipt(buyer, seller, amount, reference)

    async def commission(self, receipt: Invoice, number: str) -> None:
        invoice = Invoice(id=len(self.papers.invoices) + 1, number=number, kind="commission",
                          journal_id=receipt.journal_id, escrow_id=receipt.escrow_id)
        self.papers.invoices[invoice.id] = invoice


    async def transfer_account(self, escrow_id: int, arrived: bool) -> None:
        if arrived:
            self.papers.transfers[escrow_id] = TransferAccount(
                escrow_id=escrow_id, iban=IBAN, bic="COBADEFFXXX", reference="AGORA-9")


class TestMemoryPapers(PapersContract):
    @pytest.fixture
    def desk(self):
        return MemoryDesk(MemoryPapers())


@dataclass
class SqlDesk:
    """SqlPapers in one open unit of work; what the tests put there rolled back after."""

    uow: Any
    papers: SqlPapers

    async def person(self, name: str, **profile: Any) -> int:
        return await person_in(self.uow, name.capitalize(), **profile)

    async def bill(self, account_id: int, **details: Any) -> None:
        billing.keep(await self.uow.get(Account, account_id), billing.check(**details))
        await self.uow.session.flush()

    async def receipt(self, buyer: int, seller: int, amount: int, reference: str) -> Invoice:
        escrow = Escrow(kind="goods", market="bioenergy", reference=reference, payer_id=buyer,
                        payee_id=seller, currency="EUR", amount=amount, state="held",
                        provider="sandbox", pay_token=f"pay-{reference}", changed_by="test",
                        change_reason="test", created_at=NOW, updated_at=NOW)
        self.uow.add(escrow)
        await self.uow.session.flush()
        journal = LedgerJournal(key=f"paid:{reference}", kind="payment", escrow_id=escrow.id,
                                description="paid", actor="test", reason="test", created_at=NOW)
        self.uow.add(journal)
        await self.uow.session.flush()
        return await self._add(Invoice(
            number=f"2026-{escrow.id:06}", journal_id=journal.id, escrow_id=escrow.id,
            kind="payment", payer_id=buyer, payee_id=seller, currency="EUR",
            lines=[list(Subject(reference).line(amount))], commission=0, total=amount,
            token=f"token-{reference}", created_at=NOW))

    async def commission(self, receipt: Invoice, number: str) -> None:
        await self._add(Invoice(
            number=number, journal_id=receipt.journal_id, escrow_id=receipt.escrow_id,
            kind="commission", payer_id=receipt.payee_id, payee_id=None, currency="EUR",
            lines=[["Platform commission", 615]], commission=0, total=615,
            token=f"token-{number}", created_at=NOW))

    async def transfer_account(self, escrow_id: int, arrived: bool) -> None:
        """The escrow's own account as the provider gave it; `arrived`: a transfer came in."""
        if await self.uow.get(TransferAccount, escrow_id) is None:
            self.uow.add(TransferAccount(
                escrow_id=escrow_id, provider="stripe", holder="Agora SIA", iban=IBAN,
                bic="COBADEFFXXX", reference="AGORA-9", provider_ref=f"pi_{escrow_id}",
                created_at=NOW))
        if arrived:
            self.uow.add(IncomingTransfer(
                bank_ref=f"bank-{escrow_id}", escrow_id=escrow_id, currency="EUR",
                amount=12_300, applied=12_300, back=0, outcome="paid", received_at=NOW))
        await self.uow.session.flush()

    async def _add(self, invoice: Invoice) -> Invoice:
        self.uow.add(invoice)
        await self.uow.session.flush()
        return invoice


class TestSqlPapers(PapersContract):
    @pytest.fixture
    async def desk(self, app):
        async with app.uow() as uow:
            yield SqlDesk(uow, SqlPapers(uow))
