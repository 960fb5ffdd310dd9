"""The sandbox provider: the default, no keys, clearly test mode; money moves on the ledger only.

Test cards behave like Stripe's: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined,
4000 0000 0000 9995 has insufficient funds. Saved for later, a card that is declined now is not
saved; 4000 0000 0000 0341 is saved (Stripe attaches it to the customer) but every later charge
or authorisation with it is declined, as Stripe documents for that card.
"""

from __future__ import annotations

from core.i18n import N_, _
from core.money.model import Money
from payments.providers.base import (
    Authorised,
    BankAccount,
    Charge,
    Checkout,
    Funding,
    ProviderError,
    Setup,
)

SUCCEEDS = "4242424242424242"
DECLINES = {"4000000000000002": N_("Your card was declined."),
            "4000000000009995": N_("Your card has insufficient funds."),
            "4000000000000069": N_("Your card has expired.")}


DECLINES_LATER = "4000000000000341"  # attaches fine, every later charge is declined
LATER_DECLINED = N_("Your card was declined.")
# The saved method's reference names its behaviour, like Stripe's test payment methods
# (pm_card_visa, pm_card_chargeCustomerFail).
DECLINES_LATER_REF = "sbx_pm_card_chargeCustomerFail"


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2)
                for i, d in enumerate(digits))
    return total % 10 == 0


def card_outcome(card_number: str) -> str | None:
    """None when the test card succeeds, else the decline message (in English: shown as `_()`)."""
    number = "".join(ch for ch in card_number if ch.isdigit())
    if len(number) < 12 or not luhn_ok(number):
        raise ProviderError(_("That card number is incorrect. In test mode use 4242 4242 4242 4242."))
    if number in DECLINES:
        return DECLINES[number]
    return None


def saved_card(card_number: str) -> tuple[str, str]:
    """The sandbox payment method a test card saves as, and its last four digits; a card that
    is declined now is not saved (ProviderError)."""
    declined = card_outcome(card_number)
    if declined:
        raise ProviderError(_("{declined} The card was not saved.", declined=_(declined)))
    number = "".join(ch for ch in card_number if ch.isdigit())
    ref = DECLINES_LATER_REF if number == DECLINES_LATER else f"sbx_pm_card_{number[-4:]}"
    return ref, number[-4:]


# The sandbox's receiving account: the IBAN of the standard's own examples, clearly a test one.
TEST_BANK = BankAccount("Agora Escrow (TEST)", "DE89370400440532013000", "COBADEFFXXX")


class SandboxProvider:
    """Payments in test mode: a local payment page; every other call succeeds at once."""

    name = "sandbox"
    test_mode = True
    idempotent = True
    takes_transfers = True  # to one test account, matched by Agora's creditor reference
    # The test card, typed in chat or on the local page; a bank transfer "sent" on that page.
    payment_methods = ("card", "customer_balance")

    def __init__(self, public_url: str) -> None:
        self.public_url = public_url.rstrip("/")
        self.calls: list[tuple[str, str]] = []

    async def checkout(self, charge: Charge) -> Checkout:
        # Agora's own page: it shows, and takes, only the ways the payee takes.
        return Checkout(None, f"{self.public_url}/pay/{charge.pay_token}")

    async def refund(self, key: str, charge: Charge, amount: Money) -> str:
        return self._done("refund", key)

    async def cancel(self, key: str, charge: Charge) -> str:
        return self._done("cancel", key)

    async def capture(self, key: str, charge: Charge, amount: Money) -> str:
        return self._done("capture", key)

    async def transfer(self, key: str, charge: Charge, amount: Money,
                       destination: str | None) -> str:
        return self._done("transfer", key)

    async def setup(self, key: str, payer_id: int, reference: str, token: str,
                    customer_ref: str | None) -> Setup:
        # The same TEST MODE page, in its "save a card" mode.
        return Setup(customer_ref or f"sbx_cus_{payer_id}", f"{self.public_url}/pay/{token}")

    async def authorise_saved(self, key: str, charge: Charge, customer_ref: str | None,
                              method_ref: str) -> Authorised:
        self.calls.append(("authorise_saved", key))
        if method_ref == DECLINES_LATER_REF:
            raise ProviderError(_(LATER_DECLINED))
        return Authorised(f"sbx_pi_{key}", f"sbx_ch_{key}")

    async def charge_saved(self, key: str, charge: Charge, customer_ref: str | None,
                           method_ref: str) -> Authorised:
        self.calls.append(("charge_saved", key))
        if method_ref == DECLINES_LATER_REF:
            raise ProviderError(_(LATER_DECLINED))
        return Authorised(f"sbx_pi_{key}", f"sbx_ch_{key}")

    async def onboarding_link(self, account_id: int, external_id: str | None) -> tuple[str, str]:
        return f"sbx_acct_{account_id}", f"{self.public_url}/healthz"

    async def transfer_account(self, key: str, charge: Charge, payer_id: int) -> BankAccount:
        return TEST_BANK  # one account for every payment: no per-payment reference

    async def transfers_received(self, account: BankAccount) -> list[Funding]:
        return []  # each test transfer is matched as it is "sent" (send_test_transfer)

    async def close_transfers(self, key: str, account: BankAccount) -> None:
        return None

    async def return_transfer(self, key: str, charge: Charge, amount: Money,
                              account: BankAccount | None) -> str:
        return self._done("return", key)

    def _done(self, what: str, key: str) -> str:
        # The same key gives the same reference, like a provider's idempotency keys.
        self.calls.append((what, key))
        return f"sbx_{what}_{key}"
