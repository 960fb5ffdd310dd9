"""Money tables (ledger accounts, journals, entries, escrows, operations, invoices), on the shared Base."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.tables import Base
from core.storage.types import BigId


class LedgerAccount(Base):
    """One ledger account: an owner's money for one purpose in one currency."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (UniqueConstraint("owner", "purpose", "reference", "currency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(40))  # "platform", "world:sandbox", "account:12"
    purpose: Mapped[str] = mapped_column(String(24))  # escrow, payable, paid_out, commission, …
    reference: Mapped[str] = mapped_column(String(40), default="")  # e.g. the escrow id
    currency: Mapped[str] = mapped_column(String(3))


class LedgerJournal(Base):
    """One movement of money; its entries sum to zero per currency. The key makes it idempotent."""

    __tablename__ = "ledger_journals"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    escrow_id: Mapped[int | None] = mapped_column(ForeignKey("escrows.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class LedgerEntry(Base):
    """An immutable leg of a journal: positive into the account, negative out of it."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_account", "account_id", "journal_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("ledger_journals.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class Escrow(Base):
    """Money for one deal, session or charge; `state` only moves by conditional updates."""

    __tablename__ = "escrows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # goods | session | charge | deposit | package
    market: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(64), unique=True)  # "deal:12", "booking:3"
    payer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    payee_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    refunded: Mapped[int] = mapped_column(BigInteger, default=0)
    commission: Mapped[int] = mapped_column(BigInteger, default=0)  # what the platform keeps
    # What moved on to parts of this escrow, each released on its own (a session package's
    # sessions as they are used: EscrowService.release_part).
    drawn: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # A redeemed loyalty discount taken off the commission at release or capture (minor units).
    discount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The VAT the amount includes, at the seller's rate (percent, "21"), when the seller
    # charges VAT on the sale: added to goods priced excluding VAT (core.accounts.vat).
    vat: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    vat_rate: Mapped[str | None] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(24))
    payout_state: Mapped[str] = mapped_column(String(12), default="none")
    provider: Mapped[str] = mapped_column(String(12))
    provider_ref: Mapped[str | None] = mapped_column(String(80), index=True)
    charge_ref: Mapped[str | None] = mapped_column(String(80))
    pay_token: Mapped[str] = mapped_column(String(40), unique=True)
    pay_url: Mapped[str | None] = mapped_column(String(500))
    changed_by: Mapped[str] = mapped_column(String(80))
    change_reason: Mapped[str] = mapped_column(String(200))
    # When each party chose to arrange payment directly (goods only; both → arranged_directly).
    direct_payer_at: Mapped[datetime | None]
    direct_payee_at: Mapped[datetime | None]
    # When the payer first asked to pay by bank transfer (the payment then waits for transfer times).
    transfer_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class IncomingTransfer(Base):
    """A bank transfer received for an escrow, once per bank transaction (`bank_ref`), and what
    it did: counted towards the payment, the rest returned to the sender."""

    __tablename__ = "incoming_transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_ref: Mapped[str] = mapped_column(String(80), unique=True)  # the bank's transaction id
    escrow_id: Mapped[int] = mapped_column(ForeignKey("escrows.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    applied: Mapped[int] = mapped_column(BigInteger)
    back: Mapped[int] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(String(8))  # short | paid | over | late | returned
    returned_ref: Mapped[str | None] = mapped_column(String(80))  # the return, once sent
    received_at: Mapped[datetime]
    # when its return was last asked of a provider taking no idempotency key (a lease: one
    # worker asks at a time; payments.crypto_payments)
    return_asked_at: Mapped[datetime | None]


class TransferAccount(Base):
    """Where the payer of one escrow transfers to, when the provider gives an account per payment
    and matches what arrives itself (Stripe: a Customer's virtual IBAN and a `customer_balance`
    PaymentIntent with its own reference); asked for once, kept so the payer sees the same."""

    __tablename__ = "transfer_accounts"

    escrow_id: Mapped[int] = mapped_column(ForeignKey("escrows.id"), primary_key=True)
    provider: Mapped[str] = mapped_column(String(12))
    holder: Mapped[str] = mapped_column(String(140))
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str] = mapped_column(String(11))
    reference: Mapped[str] = mapped_column(String(64))  # the provider's, as the payer writes it
    provider_ref: Mapped[str] = mapped_column(String(80), unique=True)  # the PaymentIntent
    customer_ref: Mapped[str | None] = mapped_column(String(80), index=True)  # its Customer
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]  # the payment closed otherwise: cancelled at the provider


class CryptoInvoice(Base):
    """A crypto invoice made for an escrow at the crypto provider (BTCPay Server, or the
    sandbox's test invoice): what it asked, how much of it Agora counted so far (`counted`,
    moved only forward by a conditional update), and whether it still takes payments."""

    __tablename__ = "crypto_invoices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    escrow_id: Mapped[int] = mapped_column(ForeignKey("escrows.id"), index=True)
    provider: Mapped[str] = mapped_column(String(12))
    invoice_ref: Mapped[str] = mapped_column(String(80), unique=True)  # the provider's id
    url: Mapped[str] = mapped_column(String(500))  # where the payer pays it
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)  # what it asked (minor units)
    counted: Mapped[int] = mapped_column(BigInteger)  # what Agora counted from it so far
    status: Mapped[str] = mapped_column(String(12))  # new | settled | expired | invalid
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    seen_at: Mapped[datetime | None]  # when a payment was first seen still confirming (told once)


class OperationStatus(StrEnum):
    """A payment operation: pending while its provider call is under way, then done with its
    journal, or failed (the provider refused it and the escrow is as it was)."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class PaymentOperation(Base):
    """A provider call on an escrow: written before the call, completed with its ledger journal."""

    __tablename__ = "payment_operations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # also the provider idempotency key
    escrow_id: Mapped[int] = mapped_column(ForeignKey("escrows.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # release, refund, split, void, capture, payout
    amount: Mapped[int] = mapped_column(BigInteger)  # money to the payer (refund) or the payee
    commission: Mapped[int] = mapped_column(BigInteger, default=0)
    refund: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(12))  # OperationStatus
    provider_ref: Mapped[str | None] = mapped_column(String(80))
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    # when its call was last asked of a provider taking no idempotency key (a lease: one
    # worker asks at a time; payments.crypto_payments)
    asked_at: Mapped[datetime | None]


class SavedMethod(Base):
    """A payment method the payer saves now for an authorisation made later without them (a
    session booked far ahead): asked for once per reference, then `awaiting_method → saved →
    authorising → used | declined`, each move a conditional update."""

    __tablename__ = "saved_methods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)  # "booking:3"
    payer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    provider: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(16))
    token: Mapped[str] = mapped_column(String(40), unique=True)  # the save page's address
    save_url: Mapped[str | None] = mapped_column(String(500))
    customer_ref: Mapped[str | None] = mapped_column(String(80))  # Stripe: the Customer
    method_ref: Mapped[str | None] = mapped_column(String(80))  # the saved PaymentMethod
    setup_ref: Mapped[str | None] = mapped_column(String(80))  # the SetupIntent that saved it
    last4: Mapped[str | None] = mapped_column(String(4))
    failure: Mapped[str | None] = mapped_column(String(200))  # why authorising with it failed
    changed_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PayoutAccount(Base):
    """A payee's account at the provider (Stripe Connect Express) and whether it can be paid."""

    __tablename__ = "payout_accounts"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    provider: Mapped[str] = mapped_column(String(12))
    external_id: Mapped[str] = mapped_column(String(80), unique=True)
    ready: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime]


class ProviderEvent(Base):
    """A provider webhook already processed: (source, id) is unique, so a replay is a no-op."""

    __tablename__ = "provider_events"

    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]  # when the current claim was taken (a lease)
    done_at: Mapped[datetime | None]  # processed; a row without it is being processed


class InvoiceCounter(Base):
    """The next invoice number per series, moved by a conditional update."""

    __tablename__ = "invoice_counters"

    series: Mapped[str] = mapped_column(String(8), primary_key=True)
    next_number: Mapped[int] = mapped_column(Integer)


class Invoice(Base):
    """A document of one money movement — receipt, payout statement, commission invoice or
    credit note — one of each kind per journal; the PDF is rendered from this row on demand."""

    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("journal_id", "kind", name="uq_invoices_journal_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(24), unique=True)  # given after commit
    journal_id: Mapped[int] = mapped_column(ForeignKey("ledger_journals.id"))
    escrow_id: Mapped[int] = mapped_column(ForeignKey("escrows.id"), index=True)
    # payment | payout | charge | commission | credit_note (older rows: refund)
    kind: Mapped[str] = mapped_column(String(12))
    # A credit note's original document (the payment receipt it credits).
    refers_to_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    # Why a credit note credits; a commission invoice's VAT treatment, as issued.
    note: Mapped[str | None] = mapped_column(Text)
    payer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    payee_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    currency: Mapped[str] = mapped_column(String(3))
    lines: Mapped[list[Any]]  # [[description, minor units], …]
    commission: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime]


__all__ = ["Base", "Escrow", "Invoice", "InvoiceCounter", "LedgerAccount", "LedgerEntry",
           "LedgerJournal", "PaymentOperation", "PayoutAccount", "ProviderEvent", "SavedMethod",
           "TransferAccount"]
