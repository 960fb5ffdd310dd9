"""The payment documents' facts in memory (`MemoryPapers`, payments.papers): accounts, escrows
and documents kept by id, each party billed and named from its own account (no companies
here: a company member's documents are tested on the database). `receipt` issues a paid
escrow's receipt as payments.invoices.issue records it, `payout_statement` and
`commission_invoice` what its payout issues, so what a document says is tested from its facts
alone (the journeys that issue them stay on the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.accounts import billing
from core.accounts.billing import Billing, Party
from core.accounts.service_vat import commission_vat
from core.accounts.tables import Account
from core.issuer import ISSUER
from core.money.model import Money
from payments.commission_invoices import commission_document
from payments.lines import Subject
from payments.settlement_notices import statement_lines
from payments.tables import Escrow, Invoice, TransferAccount

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@dataclass
class MemoryPapers:
    accounts: dict[int, Account] = field(default_factory=dict)
    escrows: dict[int, Escrow] = field(default_factory=dict)
    invoices: dict[int, Invoice] = field(default_factory=dict)
    transfers: dict[int, TransferAccount] = field(default_factory=dict)  # paid into, by escrow

    async def account(self, account_id: int) -> Account | None:
        return self.accounts.get(account_id)

    async def escrow(self, escrow_id: int) -> Escrow | None:
        return self.escrows.get(escrow_id)

    async def invoice(self, invoice_id: int) -> Invoice | None:
        return self.invoices.get(invoice_id)

    async def commission_number(self, journal_id: int) -> str | None:
        return next((i.number for i in self.invoices.values()
                     if i.journal_id == journal_id and i.kind == "commission"), None)

    async def paid_into(self, escrow_id: int) -> TransferAccount | None:
        return self.transfers.get(escrow_id)

    async def billed(self, account_id: int) -> Billing | None:
        account = self.accounts.get(account_id)
        return billing.from_account(account) if account is not None else None

    async def parties(self, *account_ids: int | None) -> tuple[Party, ...]:
        return tuple(billing.PLATFORM if account_id is None
                     else billing.party(self.accounts.get(account_id))
                     for account_id in account_ids)

    def person(self, name: str, **profile: Any) -> int:
        """A registered account as tests/support/accounts.registered makes it: `name` shown
        capitalised, `name@example.com`; `profile` sets its other columns (country…)."""
        profile.setdefault("language", "en")
        account = Account(id=len(self.accounts) + 1, display_name=name.capitalize(),
                          email=f"{name}@example.com", roles=["buyer", "seller"], **profile)
        self.accounts[account.id] = account
        return account.id

    def bill(self, account_id: int, **details: Any) -> None:
        """The account's billing details, checked as `billing.set_billing` keeps them."""
        billing.keep(self.accounts[account_id], billing.check(**details))

    def receipt(self, buyer: int, seller: int, amount: int, reference: str = "deal:7",
                kind: str = "goods", commission: int = 0) -> Invoice:
        """The numbered receipt of a `kind` escrow paid by test card (the sandbox), buyer to
        seller, as payments.invoices.issue records it: one line naming the reference; a
        session's (captured) states the `commission` Agora keeps of it."""
        escrow = Escrow(id=len(self.escrows) + 1, kind=kind, market="bioenergy",
                        reference=reference, payer_id=buyer, payee_id=seller, currency="EUR",
                        amount=amount, refunded=0, discount=0, vat=0, vat_rate=None,
                        commission=commission, provider="sandbox",
                        state="captured" if kind == "session" else "held")
        self.escrows[escrow.id] = escrow
        invoice = Invoice(id=len(self.invoices) + 1, number=f"2026-{len(self.invoices) + 1:06}",
                          journal_id=escrow.id, escrow_id=escrow.id, kind="payment",
                          payer_id=buyer, payee_id=seller, currency="EUR",
                          lines=[list(Subject(reference).line(amount))], commission=commission,
                          total=amount, token=f"token-{escrow.id}", created_at=NOW,
                          refers_to_id=None, note=None)
        self.invoices[invoice.id] = invoice
        return invoice

    def payout_statement(self, receipt: Invoice, commission: int) -> Invoice:
        """The payout statement of the receipt's escrow released with `commission` kept, as
        payments.settlement_notices issues it: to the payee alone, net of the commission."""
        escrow = self.escrows[receipt.escrow_id]
        escrow.commission, escrow.state = commission, "released"
        lines = statement_lines(escrow, Subject(escrow.reference))
        return self._add(Invoice(
            number=f"2026-{len(self.invoices) + 1:06}", journal_id=receipt.journal_id + 1,
            escrow_id=escrow.id, kind="payout", payer_id=receipt.payer_id,
            payee_id=receipt.payee_id, currency="EUR", lines=[list(line) for line in lines],
            commission=0, total=sum(int(line[1]) for line in lines), token=f"po-{escrow.id}",
            created_at=NOW, refers_to_id=None, note=None))

    def _add(self, invoice: Invoice) -> Invoice:
        invoice.id = len(self.invoices) + 1
        self.invoices[invoice.id] = invoice
        return invoice

    def commission_invoice(self, receipt: Invoice, commission: int) -> Invoice:
        """The commission invoice of the receipt's escrow paid out with `commission` kept, as
        payments.commission_invoices.issue records it: the payee pays it, Agora is paid."""
        escrow = self.escrows[receipt.escrow_id]
        escrow.commission = commission
        payee = self.accounts[receipt.payee_id]
        details = billing.from_account(payee)
        issuer = ISSUER["issuer"]
        vat = commission_vat(issuer.country, issuer.vat_rate,
                             details.country if details else payee.country,
                             details.vat_id if details else None, Money(commission, "EUR"))
        lines, note = commission_document(vat, Subject(escrow.reference))
        invoice = Invoice(id=len(self.invoices) + 1, number=f"CI-2026-{len(self.invoices):06}",
                          journal_id=receipt.journal_id, escrow_id=escrow.id, kind="commission",
                          payer_id=receipt.payee_id, payee_id=None, currency="EUR",
                          lines=[list(line) for line in lines], commission=0,
                          total=sum(int(line[1]) for line in lines), token=f"ci-{escrow.id}",
                          created_at=NOW, refers_to_id=None, note=note)
        self.invoices[invoice.id] = invoice
        return invoice
