"""The provider port: what the escrow service asks of a payment provider."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from core.errors import DomainError
from core.money.model import Money


class ProviderError(DomainError):
    """The provider refused or failed; the message is fit to show."""


class ProviderUnsure(DomainError):
    """The call reached the provider but its answer was lost (a timeout, a dropped
    connection): it may have been done. The operation stays pending and its retry, with the
    same key, finds what was done instead of asking again."""


class AskedElsewhere(ProviderUnsure):
    """Another worker is asking a provider that takes no idempotency key for the same thing
    right now (it holds the lease): this one does not ask; a later retry looks."""


@dataclass(frozen=True)
class Checkout:
    """Where the payer pays: the provider's reference and a page to open."""

    provider_ref: str | None
    url: str


@dataclass(frozen=True)
class Charge:
    """One escrow's money at the provider, as the service hands it to a call."""

    kind: str
    reference: str
    amount: Money
    pay_token: str
    provider_ref: str | None
    charge_ref: str | None
    # The ways the payee takes it in (core.deals.accepted.ESCROW_WAYS: "card", "transfer",
    # "crypto"); None: every way. A provider's checkout offers only methods that pay in them.
    ways: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Setup:
    """Where the payer saves a payment method, and the provider's customer it is saved for."""

    customer_ref: str | None
    url: str


@dataclass(frozen=True)
class Authorised:
    """An authorisation the provider made with a saved method: its PaymentIntent and charge."""

    provider_ref: str
    charge_ref: str | None


@dataclass(frozen=True)
class BankAccount:
    """Where a payer sends a bank transfer: the account holder, IBAN and BIC. A provider that
    gives an account per payment and matches what arrives itself (Stripe's `customer_balance`)
    also names its reference and its own objects; one that gives one account for all leaves
    them None, and Agora matches each transfer by the escrow's creditor reference."""

    holder: str
    iban: str
    bic: str
    reference: str | None = None  # the provider's reference for this payment
    provider_ref: str | None = None  # what the provider matches transfers to (a PaymentIntent)
    customer_ref: str | None = None  # whose balance at the provider the money lands on

    @property
    def per_payment(self) -> bool:
        """Whether the provider matches this payment's transfers itself."""
        return self.provider_ref is not None


@dataclass(frozen=True)
class Funding:
    """One transfer the provider received and matched to a payment: its own id and amount."""

    ref: str
    amount: Money


class Provider(Protocol):
    name: str
    test_mode: bool
    # Whether the provider takes an idempotency key, so that two calls with one key do one
    # thing (Stripe, the sandbox). One that does not (BTCPay's refunds) is asked by one worker
    # at a time, under a lease in the database (payments.crypto_payments).
    idempotent: bool

    @property
    def payment_methods(self) -> Sequence[str]:
        """The method types a payer may use (Stripe's names)."""

    async def checkout(self, charge: Charge) -> Checkout | None:
        """The page where the payer pays `charge`; None when none of its methods pays in the
        charge's `ways` (the payer pays in the others: a bank transfer, crypto)."""
        ...

    async def refund(self, key: str, charge: Charge, amount: Money) -> str: ...

    async def cancel(self, key: str, charge: Charge) -> str: ...

    async def capture(self, key: str, charge: Charge, amount: Money) -> str: ...

    # `destination`: None when the payee's account stopped being ready after the payout was
    # recorded (escrow reads it again before the call).
    async def transfer(self, key: str, charge: Charge, amount: Money,
                       destination: str | None) -> str: ...

    async def setup(self, key: str, payer_id: int, reference: str, token: str,
                    customer_ref: str | None) -> Setup: ...

    async def authorise_saved(self, key: str, charge: Charge, customer_ref: str | None,
                              method_ref: str) -> Authorised: ...

    async def charge_saved(self, key: str, charge: Charge, customer_ref: str | None,
                           method_ref: str) -> Authorised:
        """Charge a saved method off-session, captured at once (a retainer's month)."""
        ...

    async def onboarding_link(self, account_id: int, external_id: str | None
                              ) -> tuple[str, str]: ...

    takes_transfers: bool  # whether payers can pay goods by bank transfer

    async def transfer_account(self, key: str, charge: Charge, payer_id: int) -> BankAccount:
        """Where the payer of `charge` transfers to (the same for every call with `key`)."""
        ...

    async def transfers_received(self, account: BankAccount) -> list[Funding]:
        """The transfers the provider matched to a per-payment account, oldest first."""
        ...

    async def close_transfers(self, key: str, account: BankAccount) -> None:
        """The payment closed otherwise: nothing arriving later is applied to it."""
        ...

    async def return_transfer(self, key: str, charge: Charge, amount: Money,
                              account: BankAccount | None) -> str:
        """Send back money a payer transferred (too much, or too late)."""
        ...


@dataclass(frozen=True)
class Invoiced:
    """A crypto invoice the provider made: its id and the page the payer pays it on."""

    ref: str
    url: str


@dataclass(frozen=True)
class CryptoState:
    """An invoice at the provider: its status ("new", "processing", "settled", "expired",
    "invalid") and what its payments come to in the invoice's currency (settled and still
    confirming), in minor units."""

    status: str
    settled: int
    confirming: int


@dataclass(frozen=True)
class CryptoReturn:
    """Money going back to a crypto payer: the provider's reference, and where the payer
    claims it (a refund is claimed to an address of the payer's choosing), if anywhere."""

    ref: str
    claim_url: str | None


class CryptoProvider(Protocol):
    """Payments in crypto: an invoice priced in the payment's currency, paid on the provider's
    page; its payments reported by signed webhooks and read back from the provider."""

    name: str
    test_mode: bool
    idempotent: bool  # as Provider.idempotent: False for BTCPay Server, True for the sandbox

    async def create_invoice(self, key: str, charge: Charge, amount: Money, minutes: int
                             ) -> Invoiced:
        """An invoice for `amount` (the same one for every call with `key`)."""
        ...

    async def invoice_state(self, ref: str, amount: Money) -> CryptoState:
        """What the invoice of `amount` has been paid, read from the provider."""
        ...

    async def return_crypto(self, key: str, invoice_ref: str, amount: Money) -> CryptoReturn:
        """Give back `amount` of what was paid on the invoice (too much, too late, a refund):
        once per `key` — a retry finds the return asked before instead of asking again."""
        ...
