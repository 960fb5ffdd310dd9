"""The sandbox provider: the default, no keys, clearly test mode; money moves on the ledger only.

Test cards behave like Stripe's: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined,
4000 0000 0000 9995 has insufficient funds.
"""

from __future__ import annotations

from core.money.model import Money
from payments.providers.base import Charge, Checkout, ProviderError

SUCCEEDS = "4242424242424242"
DECLINES = {"4000000000000002": "Your card was declined.",
            "4000000000009995": "Your card has insufficient funds.",
            "4000000000000069": "Your card has expired."}


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2)
                for i, d in enumerate(digits))
    return total % 10 == 0


def card_outcome(card_number: str) -> str | None:
    """None when the test card succeeds, else the decline message."""
    number = "".join(ch for ch in card_number if ch.isdigit())
    if len(number) < 12 or not luhn_ok(number):
        raise ProviderError("That card number is incorrect. In test mode use 4242 4242 4242 4242.")
    if number in DECLINES:
        return DECLINES[number]
    return None


class SandboxProvider:
    """Payments in test mode: a local payment page; every other call succeeds at once."""

    name = "sandbox"
    test_mode = True

    def __init__(self, public_url: str) -> None:
        self.public_url = public_url.rstrip("/")
        self.calls: list[tuple[str, str]] = []

    async def checkout(self, charge: Charge) -> Checkout:
        return Checkout(None, f"{self.public_url}/pay/{charge.pay_token}")

    async def refund(self, key: str, charge: Charge, amount: Money) -> str:
        return self._done("refund", key)

    async def cancel(self, key: str, charge: Charge) -> str:
        return self._done("cancel", key)

    async def capture(self, key: str, charge: Charge, amount: Money) -> str:
        return self._done("capture", key)

    async def transfer(self, key: str, charge: Charge, amount: Money, destination: str) -> str:
        return self._done("transfer", key)

    async def onboarding_link(self, account_id: int, external_id: str | None) -> tuple[str, str]:
        return f"sbx_acct_{account_id}", f"{self.public_url}/healthz"

    def _done(self, what: str, key: str) -> str:
        # The same key gives the same reference, like a provider's idempotency keys.
        self.calls.append((what, key))
        return f"sbx_{what}_{key}"
