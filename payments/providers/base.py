"""The provider port: what the escrow service asks of a payment provider."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from core.errors import DomainError
from core.money.model import Money


class ProviderError(DomainError):
    """The provider refused or failed; the message is fit to show."""


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
    """Where a payer sends a bank transfer: the account holder, IBAN and BIC."""

    holder: str
    iban: str
    bic: str


class Provider(Protocol):
    name: str
    test_mode: bool
    payment_methods: Sequence[str]  # the method types a payer may use (Stripe's names)

    async def checkout(self, charge: Charge) -> Checkout: ...

    async def refund(self, key: str, charge: Charge, amount: Money) -> str: ...

    async def cancel(self, key: str, charge: Charge) -> str: ...

    async def capture(self, key: str, charge: Charge, amount: Money) -> str: ...

    async def transfer(self, key: str, charge: Charge, amount: Money, destination: str) -> str: ...

    async def setup(self, key: str, payer_id: int, reference: str, token: str,
                    customer_ref: str | None) -> Setup: ...

    async def authorise_saved(self, key: str, charge: Charge, customer_ref: str | None,
                              method_ref: str) -> Authorised: ...

    async def onboarding_link(self, account_id: int, external_id: str | None
                              ) -> tuple[str, str]: ...

    def bank_account(self) -> BankAccount | None:
        """The account payers transfer to, or None when this provider takes no transfers."""
        ...

    async def return_transfer(self, key: str, charge: Charge, amount: Money) -> str:
        """Send back money a payer transferred (too much, or too late)."""
        ...
