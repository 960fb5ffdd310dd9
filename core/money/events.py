"""Money events: past-tense facts of payments, escrows and payouts (handlers send the notices)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.events import Event
from core.money.model import Money


@dataclass(frozen=True)
class EscrowFunded(Event):
    escrow_id: int
    reference: str
    amount: Money
    journal_id: int = 0


@dataclass(frozen=True)
class PaymentAuthorised(Event):
    escrow_id: int
    reference: str
    amount: Money
    journal_id: int = 0


@dataclass(frozen=True)
class PaymentArrangedDirectly(Event):
    """Both parties chose to pay each other directly: Agora holds nothing for this escrow."""

    escrow_id: int
    reference: str
    payer_id: int
    payee_id: int


@dataclass(frozen=True)
class PaymentDeclined(Event):
    escrow_id: int
    reference: str
    message: str = ""


@dataclass(frozen=True)
class EscrowReleased(Event):
    escrow_id: int
    reference: str
    payee_id: int
    net: Money
    commission: Money
    # Set by a release; a split's share leaves it 0, being told with its PaymentSettled.
    journal_id: int = 0
    # Redeemed loyalty points taken off `commission` (already in `net`); None: no discount.
    discount: Money | None = None


@dataclass(frozen=True)
class PaymentRefunded(Event):
    escrow_id: int
    reference: str
    amount: Money


@dataclass(frozen=True)
class AuthorisationVoided(Event):
    escrow_id: int
    reference: str


@dataclass(frozen=True)
class PaymentCaptured(Event):
    escrow_id: int
    reference: str
    amount: Money
    commission: Money


@dataclass(frozen=True)
class PromotionCharged(Event):
    escrow_id: int
    reference: str
    amount: Money
    journal_id: int = 0


@dataclass(frozen=True)
class PayoutSent(Event):
    escrow_id: int
    payee_id: int
    amount: Money
    journal_id: int = 0


@dataclass(frozen=True)
class PaymentSettled(Event):
    """A provider refund, split, void or capture finished and was posted to the ledger."""

    escrow_id: int
    operation_id: int
    journal_id: int


@dataclass(frozen=True)
class PayoutWaiting(Event):
    """Money is ready for the payee, who has not finished setting up payouts."""

    escrow_id: int
    payee_id: int


@dataclass(frozen=True)
class DirectPaymentProposed(Event):
    """One party proposed to pay directly; the other is asked."""

    escrow_id: int
    proposer_id: int


@dataclass(frozen=True)
class LatePaymentRefunded(Event):
    """A provider payment arrived after both chose to pay directly, and was refunded in full."""

    escrow_id: int
    payer_id: int
    amount: Money


@dataclass(frozen=True)
class DirectPaymentDeclined(Event):
    """A party withdrew or refused paying directly: the escrow stays."""

    escrow_id: int
    account_id: int


@dataclass(frozen=True)
class MethodSaved(Event):
    """The payer saved a payment method for a later authorisation of `reference`."""

    saved_id: int
    reference: str
    payer_id: int
    last4: str | None = None


@dataclass(frozen=True)
class BankTransferChosen(Event):
    """The payer asked how to pay by bank transfer, for the first time."""

    escrow_id: int
    reference: str
    arrive_by: datetime | None  # the payment's deadline, moved by the days a transfer takes


@dataclass(frozen=True)
class TransferShort(Event):
    """A bank transfer arrived but the payment is not complete yet."""

    escrow_id: int
    payer_id: int
    received: Money
    missing: Money


@dataclass(frozen=True)
class TransferOverpaid(Event):
    """A bank transfer paid more than due: the payment is made, the extra goes back."""

    escrow_id: int
    payer_id: int
    back: Money


@dataclass(frozen=True)
class TransfersReturned(Event):
    """A payment was cancelled while part of it had arrived by transfer: that part goes back."""

    escrow_id: int
    payer_id: int
    amount: Money


@dataclass(frozen=True)
class CryptoShort(Event):
    """A crypto payment arrived but the payment is not complete yet."""

    escrow_id: int
    payer_id: int
    received: Money
    missing: Money


@dataclass(frozen=True)
class CryptoOverpaid(Event):
    """A crypto payment paid more than due: the payment is made, the extra goes back."""

    escrow_id: int
    payer_id: int
    back: Money


@dataclass(frozen=True)
class CryptoLate(Event):
    """A crypto payment arrived after the payment was closed (paid otherwise, cancelled): it
    goes back in full."""

    escrow_id: int
    payer_id: int
    back: Money


@dataclass(frozen=True)
class CryptoInvoiceClosed(Event):
    """A crypto invoice stopped taking payments before the payment was complete: it expired,
    or the provider found it invalid."""

    escrow_id: int
    payer_id: int
    why: str  # "expired" | "invalid"
    received: Money  # what arrived towards the payment so far (it still counts)
    missing: Money


@dataclass(frozen=True)
class CryptoReturnClaimable(Event):
    """Money going back to a crypto payer waits for them to claim it at the provider."""

    escrow_id: int
    payer_id: int
    amount: Money
    claim_url: str


@dataclass(frozen=True)
class CryptoPaymentSeen(Event):
    """A crypto payment was seen on an invoice and waits for its confirmations (told once)."""

    escrow_id: int
    payer_id: int
    confirming: Money


@dataclass(frozen=True)
class DocumentIssued(Event):
    """A document of a payment (an invoice, receipt, payout statement or credit note: `kind`)
    was issued under its number: emitted in the transaction that numbers it (right after the
    payment's commit, payments.numbering), so whoever hears it has the number. `parties`: the
    accounts it concerns; `link`: where they download its PDF (its secret token in it)."""

    document_id: int
    kind: str
    reference: str  # the escrow's ("deal:12")
    total: Money
    payer_id: int | None
    payee_id: int | None
    parties: tuple[int, ...]
    number: str  # "2026-000042", "CN-2026-000001"
    link: str
