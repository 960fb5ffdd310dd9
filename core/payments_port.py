"""The payments port: what core (deals, bookings, promotions) asks of money, and what it hears back.

`payments/` implements it; the composition root wires it. Each operation is a state transition
guarded in the database, records who asked and why, and emits one of the events below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal, Protocol

from core.money.model import Money
from core.storage.uow import UnitOfWork

# deposit: a bid security; package: a session package's payment, released a part at a time
Kind = Literal["goods", "session", "charge", "deposit", "package"]
Market = Literal["bioenergy", "consulting", "platform"]


class EscrowState(StrEnum):
    """An escrow's state (`payments.tables.Escrow.state`, `EscrowView.state`). Goods, deposits
    and packages: awaiting_payment → held → released | refunded | settled (a split, or drawn
    part by part); a session: awaiting_authorisation → authorised → captured | voided; a charge:
    awaiting_payment → paid. `settling` while a provider call is under way; a goods escrow may
    be arranged_directly by both parties, or cancelled with its deal before payment."""

    AWAITING_PAYMENT = "awaiting_payment"
    AWAITING_AUTHORISATION = "awaiting_authorisation"
    HELD = "held"
    AUTHORISED = "authorised"
    PAID = "paid"
    SETTLING = "settling"
    RELEASED = "released"
    REFUNDED = "refunded"
    SETTLED = "settled"
    CAPTURED = "captured"
    VOIDED = "voided"
    ARRANGED_DIRECTLY = "arranged_directly"
    CANCELLED = "cancelled"


class SavedMethodState(StrEnum):
    """A saved payment method's state (`SavedMethodView.state`): awaiting_method → saved →
    authorising → used | declined."""

    AWAITING_METHOD = "awaiting_method"
    SAVED = "saved"
    AUTHORISING = "authorising"
    USED = "used"
    DECLINED = "declined"


@dataclass(frozen=True)
class Vat:
    """The VAT an amount to pay includes, at the seller's rate (percent)."""

    rate: Decimal
    amount: Money


@dataclass(frozen=True)
class Actor:
    """Who asked for a money operation and why (kept with the operation)."""

    who: str  # "account:12", "system:webhook", "admin:terminal:root"
    reason: str


@dataclass(frozen=True)
class EscrowView:
    id: int
    kind: str
    market: str
    reference: str
    state: str
    payer_id: int
    payee_id: int | None
    amount: Money
    commission: Money  # what the platform keeps on the amount now due to the payee
    refunded: Money
    pay_url: str | None
    vat: Vat | None = None  # the VAT the amount includes, when the seller charges it
    # "Arrange payment directly" (goods only): who chose it, and whether both did, in which case
    # Agora holds nothing, charges no commission and offers no buyer protection.
    direct: bool = False
    direct_payer: bool = False
    direct_payee: bool = False
    # The payer asked how to pay by bank transfer (the payment may have its own transfer account).
    by_transfer: bool = False


@dataclass(frozen=True)
class SavedMethodView:
    """A payment method the payer saves now for an authorisation made later without them.

    `state`: awaiting_method (asked for, not saved yet) → saved → authorising → used, or
    declined (the provider refused the authorisation; `failure` says why)."""

    id: int
    reference: str
    payer_id: int
    state: str
    save_url: str | None
    last4: str | None = None
    failure: str | None = None


@dataclass(frozen=True)
class TransferView:
    """How to pay an escrow by bank transfer, and what has arrived so far."""

    escrow_id: int
    reference: str  # what it pays for ("deal:12")
    amount: Money  # the whole payment
    received: Money  # counted towards it so far
    missing: Money
    holder: str
    iban: str
    bic: str
    bank_reference: str  # the creditor reference, grouped as banks print it
    arrive_by: datetime | None  # when the transfer must have arrived (the deal's deadline)
    test_mode: bool


@dataclass(frozen=True)
class CryptoView:
    """How to pay an escrow in crypto: the invoice's page, and what has arrived so far."""

    escrow_id: int
    reference: str  # what it pays for ("deal:12")
    amount: Money  # the whole payment
    received: Money  # counted towards it so far (by transfer or in crypto)
    missing: Money  # what the invoice asks
    url: str  # where the payer pays the invoice (the provider's page, or the sandbox's)
    expires_at: datetime  # when the invoice stops taking payments
    test_mode: bool


@dataclass(frozen=True)
class TransferOutcome:
    """What one incoming transfer did: outcome short | paid | over | late."""

    outcome: str
    received: Money
    applied: Money
    back: Money
    missing: Money
    escrow: EscrowView


@dataclass(frozen=True)
class OffSessionOutcome:
    """An authorisation made with a saved method: the escrow afterwards, and the provider's
    message when it was declined (then the payer is asked to authorise themselves)."""

    escrow: EscrowView
    declined: str | None = None


@dataclass(frozen=True)
class DocumentView:
    """A payment document of an escrow (a receipt, an invoice, a payout statement, a credit
    note), as one of the parties it concerns may download it: `url` carries its secret token."""

    kind: str  # payment | payout | refund | charge | commission | credit_note | terms
    title: str  # what the document is called, untranslated (its reader's presenter says it)
    number: str | None  # given right after the commit that issued it
    total: Money
    issued_at: datetime
    url: str


@dataclass(frozen=True)
class Movement:
    when: date  # the day it moved
    text: str
    amount: Money


@dataclass(frozen=True)
class Wallet:
    held: list[Money]  # you paid, still in escrow or authorised
    incoming: list[Money]  # paid to you, still in escrow
    pending: list[Money]  # released to you, waiting for payout
    paid_out: list[Money]
    movements: list[Movement]
    payouts_ready: bool


class PaymentsPort(Protocol):
    """Escrow for goods, pre-authorisation for sessions, plain charges for promotions."""

    async def open(self, kind: Kind, market: Market, reference: str, payer_id: int,
                   payee_id: int | None, amount: Money, actor: Actor, vat: Vat | None = None
                   ) -> EscrowView: ...

    # Methods with `uow` join the caller's transaction (the caller commits). The others call the
    # provider and run their own transactions: call them outside one.

    async def get(self, escrow_id: int, uow: UnitOfWork | None = None) -> EscrowView: ...

    async def by_reference(self, reference: str, uow: UnitOfWork | None = None
                           ) -> EscrowView | None: ...

    async def payable(self, escrow_id: int, account_id: int,
                      uow: UnitOfWork | None = None) -> EscrowView:
        """The escrow if this account may pay it now (NotAllowed, Conflict otherwise)."""
        ...

    async def pay_with_test_card(self, escrow_id: int, card_number: str,
                                 uow: UnitOfWork | None = None) -> EscrowView: ...

    async def release(self, escrow_id: int, actor: Actor) -> EscrowView: ...

    async def release_part(self, escrow_id: int, part_reference: str, amount: Money,
                           actor: Actor) -> EscrowView:
        """Release `amount` of a held package payment as a part of its own, once per
        `part_reference` (a session used)."""
        ...

    # Paying goods by bank transfer: the account and reference to send it with (asking for
    # them gives the payment the time a transfer takes), and, in test mode, a transfer "sent".

    @property
    def takes_transfers(self) -> bool: ...

    async def transfer_details(self, escrow_id: int, account_id: int,
                               uow: UnitOfWork | None = None) -> TransferView | None:
        """How its payer pays this escrow by transfer; None when transfers are not taken."""
        ...

    async def receive_transfer(self, bank_ref: str, reference: str, amount: Money
                               ) -> TransferOutcome:
        """A transfer arrived (once per `bank_ref`): matched by its reference."""
        ...

    async def send_test_transfer(self, escrow_id: int, account_id: int, amount: Money,
                                 bank_ref: str, uow: UnitOfWork | None = None
                                 ) -> TransferOutcome:
        """Test mode only: the payer "sends" a transfer of `amount` with the right reference."""
        ...

    # Paying goods in crypto: an invoice at the crypto provider (BTCPay Server, or the
    # sandbox's test invoice), paid on its page; in test mode, a crypto payment "sent".

    @property
    def takes_crypto(self) -> bool: ...

    async def crypto_invoice(self, escrow_id: int, account_id: int,
                             uow: UnitOfWork | None = None) -> CryptoView | None:
        """The crypto invoice its payer pays this escrow with (the open one, or a new one for
        what is missing); None when crypto is not taken."""
        ...

    async def send_test_crypto(self, escrow_id: int, account_id: int, amount: Money,
                               payment_ref: str, uow: UnitOfWork | None = None
                               ) -> TransferOutcome:
        """Test mode only: the payer "pays" `amount` on the escrow's test invoice."""
        ...

    # Saving a payment method now for an authorisation later (a session booked far ahead):
    # the payer saves it on a page (or, in test mode, with a test card in chat); the system
    # later authorises an escrow of the same reference with it, off-session, once.

    async def save_method(self, reference: str, payer_id: int, actor: Actor) -> SavedMethodView:
        """Ask the payer to save a payment method for `reference` (once per reference)."""
        ...

    async def saved_method(self, reference: str, uow: UnitOfWork | None = None
                           ) -> SavedMethodView | None: ...

    async def savable(self, saved_id: int, account_id: int, uow: UnitOfWork | None = None
                      ) -> SavedMethodView:
        """The request if this account may save a method on it now (NotAllowed, Conflict)."""
        ...

    async def save_with_test_card(self, saved_id: int, card_number: str,
                                  uow: UnitOfWork | None = None) -> SavedMethodView: ...

    async def authorise_saved(self, escrow_id: int, actor: Actor) -> OffSessionOutcome:
        """Authorise a session escrow with the method saved for its reference, off-session
        (Conflict when there is none ready, or another call is using it)."""
        ...

    async def charge_saved(self, escrow_id: int, saved_reference: str, actor: Actor
                           ) -> OffSessionOutcome:
        """Pay a package escrow off-session with the method kept under `saved_reference`
        (a retainer's card), which stays saved."""
        ...

    async def refund(self, escrow_id: int, amount: Money | None, actor: Actor) -> EscrowView: ...

    async def refund_to(self, escrow_id: int, total: Money, actor: Actor) -> EscrowView:
        """Refund what is missing for the held escrow's refunds to reach `total`, once."""
        ...

    async def split(self, escrow_id: int, refund: Money, actor: Actor) -> EscrowView: ...

    async def void(self, escrow_id: int, actor: Actor) -> EscrowView: ...

    async def capture(self, escrow_id: int, amount: Money, actor: Actor) -> EscrowView: ...

    async def wallet(self, account_id: int, uow: UnitOfWork | None = None) -> Wallet: ...

    async def documents(self, reference: str, account_id: int,
                        uow: UnitOfWork | None = None) -> list[DocumentView]:
        """The documents issued for the escrow named `reference` this account may read,
        oldest first: those that concern it, and — a colleague who may see a company's deal
        (core.deals.company_deals.sees) — those of the deal's buyer; none for anyone else."""
        ...

    async def invoice_for(self, number: str, account_id: int,
                          uow: UnitOfWork | None = None) -> tuple[str, bytes]:
        """A document's PDF for one who may read it (as `documents`); NotFound otherwise."""
        ...

    async def einvoice_for(self, number: str, account_id: int, syntax: str = "cii",
                           uow: UnitOfWork | None = None) -> tuple[str, bytes]:
        """A document's EN 16931 e-invoice, as `invoice_for`."""
        ...

    async def onboarding_link(self, account_id: int, uow: UnitOfWork | None = None
                              ) -> str | None: ...

    # Arranging payment directly: each party of a goods escrow awaiting payment may choose it;
    # once both have, nothing is held (`EscrowView.direct`). Declining withdraws the proposal.

    async def choose_direct(self, escrow_id: int, account_id: int,
                            uow: UnitOfWork | None = None) -> EscrowView: ...

    async def decline_direct(self, escrow_id: int, account_id: int,
                             uow: UnitOfWork | None = None) -> EscrowView: ...

    @property
    def direct_allowed(self) -> bool: ...

    @property
    def test_mode(self) -> bool: ...

    @property
    def methods(self) -> tuple[str, ...]:
        """The payment method types the provider accepts (“card”, “sepa_debit”…)."""
        ...

    def commission_for(self, market: Market, amount: Money) -> Money: ...
