"""What a payment document is drawn from (payments.invoice_pdf, payments.einvoice_facts,
payments.member_sales): the accounts, the escrow and the documents it names, and how each party
is billed. Only reads: a document's PDF and its e-invoice are made of these facts, so what they
say is tested on the tests' in-memory `MemoryPapers` (tests/payments/fakes.py) and the contract
(tests/payments/test_papers_contract.py) holds it to the SQL store (payments.sql_papers)."""

from __future__ import annotations

from typing import Protocol

from core.accounts.billing import Billing, Party
from core.accounts.tables import Account
from payments.tables import Escrow, Invoice, TransferAccount


class Papers(Protocol):
    async def account(self, account_id: int) -> Account | None:
        """The account, or None."""
        ...

    async def escrow(self, escrow_id: int) -> Escrow | None:
        """The escrow a document was issued for, or None."""
        ...

    async def invoice(self, invoice_id: int) -> Invoice | None:
        """Another document (the receipt a credit note credits), or None."""
        ...

    async def commission_number(self, journal_id: int) -> str | None:
        """The number of the commission invoice issued with a journal (a payout's), if any."""
        ...

    async def paid_into(self, escrow_id: int) -> TransferAccount | None:
        """The account of its own a transfer for the escrow arrived in (a provider's
        per-payment IBAN), or None: paid another way (a card)."""
        ...

    async def billed(self, account_id: int) -> Billing | None:
        """The billing details an account's documents carry: its company's, else its own."""
        ...

    async def parties(self, *account_ids: int | None) -> tuple[Party, ...]:
        """How documents name each account (its company for a member; the platform for
        None), in the order asked."""
        ...
