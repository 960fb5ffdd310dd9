"""Stripe: Checkout for the payer, PaymentIntents (manual capture for sessions), Connect transfers.

Goods are charged at once and held on the platform (separate charges and transfers, the deal as
`transfer_group`); release is a transfer with `source_transaction`, the commission staying on the
platform. Sessions authorise with `capture_method=manual`; void cancels, capture takes
`amount_to_capture`. Goods paid by bank transfer are a PaymentIntent of `customer_balance` for a
Customer of that payment's own (its virtual IBAN, and Stripe's reference), confirmed at once:
Stripe matches what arrives and applies it; what it cannot apply (too much, too late) stays on
the Customer's cash balance and goes back by a Refund with `origin=customer_balance`. A card
saved for later is a Checkout Session in setup mode for a Customer (its SetupIntent for
off-session use); the authorisation 24 h before a far session is a
PaymentIntent confirmed off-session with that method, manual capture. Every call carries the
operation's key as Stripe's idempotency key.

Checkout offers only the configured method types that pay in the ways the payee takes
(`Charge.ways`, core.deals.accepted): `CHECKOUT_WAYS` maps each of Agora's ways to Stripe's
types; a configured type in no way's list is offered only where every way is taken.
"""

from __future__ import annotations

from typing import Any

import stripe

from core.i18n import _
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

# A bank-transfer PaymentIntent that can still take money (cancelling it puts what it took back
# on the Customer's cash balance).
OPEN_INTENT = ("requires_payment_method", "requires_confirmation", "requires_action")

# Agora's ways to pay (core.deals.accepted.ESCROW_WAYS) and the Checkout payment method types
# that pay in each. "card": a card, and Link, which pays with the payer's saved cards (Apple
# Pay and Google Pay come with `card`). "transfer" is none of Checkout's: Agora's bank
# transfers are a virtual IBAN per payment (`transfer_account`, matched by Stripe), so a
# `customer_balance` configured for Checkout is not a second way in. "crypto" is the crypto
# provider's invoice. A configured type in no way's list (`customer_balance`, a debit such as
# `sepa_debit`, a bank redirect, another wallet) is offered only where every way is taken.
CHECKOUT_WAYS: dict[str, tuple[str, ...]] = {"card": ("card", "link")}


class StripeProvider:
    """Payments through Stripe with the official SDK (async calls, idempotency keys)."""

    name = "stripe"
    idempotent = True  # every call carries Stripe's Idempotency-Key
    needs_onboarding = True

    def __init__(self, secret_key: str, public_url: str, api_base: str | None = None,
                 payment_methods: tuple[str, ...] = ("card",),
                 transfer_country: str | None = None) -> None:
        addresses: Any = {"api": api_base, "connect": api_base} if api_base else None
        self.client = stripe.StripeClient(secret_key, base_addresses=addresses,
                                          max_network_retries=2)
        self.public_url = public_url.rstrip("/")
        self.test_mode = secret_key.startswith("sk_test_")
        self.payment_methods = list(payment_methods)
        # The SEPA country of the virtual IBANs (`eu_bank_transfer`); None: no bank transfers.
        self.transfer_country = transfer_country
        self.takes_transfers = transfer_country is not None

    def checkout_methods(self, ways: tuple[str, ...] | None) -> list[str]:
        """The configured method types that pay in `ways` (None: every configured one), in the
        configured order."""
        if ways is None:
            return list(self.payment_methods)
        types = {kind for way in ways for kind in CHECKOUT_WAYS.get(way, ())}
        return [kind for kind in self.payment_methods if kind in types]

    async def checkout(self, charge: Charge) -> Checkout | None:
        methods = self.checkout_methods(charge.ways)
        if not methods:  # the payee takes no way Checkout offers: no Checkout at all
            return None
        intent: dict[str, Any] = {"metadata": {"reference": charge.reference,
                                               "pay_token": charge.pay_token}}
        if charge.kind == "session":
            intent["capture_method"] = "manual"
        # Paid out by transfers later: a forfeited deposit to the buyer, a package in parts.
        if charge.kind in ("goods", "deposit", "package"):
            intent["transfer_group"] = charge.reference
        params: dict[str, Any] = {
            "mode": "payment", "payment_method_types": methods,
            "line_items": [{"quantity": 1, "price_data": {
                "currency": charge.amount.currency.lower(), "unit_amount": charge.amount.amount,
                "product_data": {"name": f"Agora {charge.reference}"}}}],
            "payment_intent_data": intent, "client_reference_id": charge.pay_token,
            "success_url": f"{self.public_url}/pay/{charge.pay_token}",
            "cancel_url": f"{self.public_url}/pay/{charge.pay_token}"}
        session = await self._call(self.client.v1.checkout.sessions.create_async, params,
                                   f"checkout:{charge.reference}")
        return Checkout(None, str(session.url))

    async def setup(self, key: str, payer_id: int, reference: str, token: str,
                    customer_ref: str | None) -> Setup:
        if customer_ref is None:
            customer = await self._call(self.client.v1.customers.create_async, {
                "metadata": {"agora_account": str(payer_id)}}, f"customer:{key}")
            customer_ref = str(customer.id)
        params: dict[str, Any] = {
            "mode": "setup", "customer": customer_ref, "payment_method_types": self.payment_methods,
            "setup_intent_data": {"metadata": {"reference": reference, "save_token": token}},
            "client_reference_id": token,
            "success_url": f"{self.public_url}/pay/{token}",
            "cancel_url": f"{self.public_url}/pay/{token}"}
        session = await self._call(self.client.v1.checkout.sessions.create_async, params, key)
        return Setup(customer_ref, str(session.url))

    async def authorise_saved(self, key: str, charge: Charge, customer_ref: str | None,
                              method_ref: str) -> Authorised:
        intent = await self._off_session(key, charge, customer_ref, method_ref,
                                         {"capture_method": "manual"})
        if intent.status != "requires_capture":
            raise ProviderError(_("The saved card could not be authorised "
                                  "(the payment is {status}).", status=str(intent.status).replace('_', ' ')))
        return _authorised(intent)

    async def charge_saved(self, key: str, charge: Charge, customer_ref: str | None,
                           method_ref: str) -> Authorised:
        intent = await self._off_session(key, charge, customer_ref, method_ref,
                                         {"transfer_group": charge.reference})
        if intent.status != "succeeded":
            raise ProviderError(_("The saved card could not be charged (the payment is "
                                  "{status}).", status=str(intent.status).replace('_', ' ')))
        return _authorised(intent)

    async def _off_session(self, key: str, charge: Charge, customer_ref: str | None,
                           method_ref: str, extra: dict[str, Any]) -> Any:
        """A PaymentIntent confirmed off-session on a saved method (the payer is not there)."""
        params: dict[str, Any] = {
            "amount": charge.amount.amount, "currency": charge.amount.currency.lower(),
            "payment_method": method_ref, "payment_method_types": self.payment_methods,
            "off_session": True, "confirm": True, **extra,
            "metadata": {"reference": charge.reference, "pay_token": charge.pay_token}}
        if customer_ref:
            params["customer"] = customer_ref
        return await self._call(self.client.v1.payment_intents.create_async, params, key)

    async def refund(self, key: str, charge: Charge, amount: Money) -> str:
        params = {"payment_intent": _intent(charge), "amount": amount.amount,
                  "metadata": {"operation": key}}
        refund = await self._call(self.client.v1.refunds.create_async, params, key)
        return str(refund.id)

    async def cancel(self, key: str, charge: Charge) -> str:
        intent = await self._call(self.client.v1.payment_intents.cancel_async, _intent(charge),
                                  key, positional=True)
        return str(intent.id)

    async def capture(self, key: str, charge: Charge, amount: Money) -> str:
        capture = self.client.v1.payment_intents.capture_async
        intent = await self._call(capture, _intent(charge), key, positional=True,
                                  params={"amount_to_capture": amount.amount})
        return str(intent.id)

    async def transfer(self, key: str, charge: Charge, amount: Money,
                       destination: str | None) -> str:
        params: dict[str, Any] = {"amount": amount.amount, "currency": amount.currency.lower(),
                                  "destination": destination, "transfer_group": charge.reference,
                                  "metadata": {"operation": key}}
        if charge.charge_ref:
            params["source_transaction"] = charge.charge_ref
        transfer = await self._call(self.client.v1.transfers.create_async, params, key)
        return str(transfer.id)

    async def onboarding_link(self, account_id: int, external_id: str | None) -> tuple[str, str]:
        if external_id is None:
            account = await self._call(self.client.v1.accounts.create_async, {
                "type": "express", "metadata": {"agora_account": str(account_id)},
                "capabilities": {"transfers": {"requested": True}}}, f"connect:{account_id}")
            external_id = str(account.id)
        link = await self._call(self.client.v1.account_links.create_async, {
            "account": external_id, "type": "account_onboarding",
            "refresh_url": f"{self.public_url}/healthz", "return_url": f"{self.public_url}/healthz"},
            None)
        return external_id, str(link.url)

    async def transfer_account(self, key: str, charge: Charge, payer_id: int) -> BankAccount:
        """A Customer for this payment and its `customer_balance` PaymentIntent, confirmed: its
        bank transfer instructions are the IBAN, BIC, holder and reference the payer uses."""
        if self.transfer_country is None:
            raise ProviderError(_("Bank transfers are not taken through Stripe here."))
        customer = await self._call(self.client.v1.customers.create_async, {
            "metadata": {"agora_account": str(payer_id), "reference": charge.reference}},
            f"{key}:customer")
        params: dict[str, Any] = {
            "amount": charge.amount.amount, "currency": charge.amount.currency.lower(),
            "customer": str(customer.id), "confirm": True,
            "payment_method_types": ["customer_balance"],
            "payment_method_data": {"type": "customer_balance"},
            "payment_method_options": {"customer_balance": {
                "funding_type": "bank_transfer", "bank_transfer": {
                    "type": "eu_bank_transfer",
                    "eu_bank_transfer": {"country": self.transfer_country}}}},
            "metadata": {"reference": charge.reference, "bank_transfer": "1"}}
        if charge.kind in ("goods", "deposit", "package"):
            params["transfer_group"] = charge.reference
        intent = await self._call(self.client.v1.payment_intents.create_async, params, key)
        shown = _instructions(intent)
        iban = next((a.iban for a in shown.financial_addresses or [] if a.type == "iban" and a.iban),
                    None)
        if iban is None or not shown.reference:
            raise ProviderError(_("Stripe gave no IBAN for this payment; try again later."))
        return BankAccount(str(iban.account_holder_name), str(iban.iban), str(iban.bic),
                           str(shown.reference), str(intent.id), str(customer.id))

    async def transfers_received(self, account: BankAccount) -> list[Funding]:
        """Every transfer that reached this payment's Customer (its `funded` cash balance
        transactions), oldest first: Stripe applied what it could to the PaymentIntent."""
        if not account.customer_ref:
            return []
        page = await self.client.v1.customers.cash_balance_transactions.list_async(
            account.customer_ref, {"limit": 100})
        funded = [Funding(str(txn.id), Money(int(txn.net_amount), str(txn.currency).upper()))
                  async for txn in page.auto_paging_iter() if txn.type == "funded"]
        return funded[::-1]  # Stripe lists the newest first

    async def close_transfers(self, key: str, account: BankAccount) -> None:
        """Cancel the PaymentIntent while it can still take money: what it took goes back to
        the cash balance, and a transfer arriving later stays there (to be returned)."""
        if not account.provider_ref:
            return
        intent = await self.client.v1.payment_intents.retrieve_async(account.provider_ref)
        if intent.status in OPEN_INTENT:
            await self._call(self.client.v1.payment_intents.cancel_async, account.provider_ref,
                             key, positional=True)

    async def return_transfer(self, key: str, charge: Charge, amount: Money,
                              account: BankAccount | None) -> str:
        """A Refund from the Customer's cash balance back to the account it came from."""
        if account is None or not account.customer_ref:
            raise ProviderError(_("Bank transfers are not taken through Stripe here."))
        refund = await self._call(self.client.v1.refunds.create_async, {
            "origin": "customer_balance", "customer": account.customer_ref,
            "amount": amount.amount, "currency": amount.currency.lower(),
            "metadata": {"transfer_return": key, "reference": charge.reference}}, key)
        return str(refund.id)

    async def balance_transactions(self) -> list[dict[str, Any]]:
        """Every balance transaction, refunds resolved to their charge (for reconcile)."""
        charge_of: dict[str, str] = {}
        refunds = await self.client.v1.refunds.list_async({"limit": 100})
        async for refund in refunds.auto_paging_iter():
            charge_of[str(refund.id)] = str(refund.charge)
        out = []
        page = await self.client.v1.balance_transactions.list_async({"limit": 100})
        async for txn in page.auto_paging_iter():
            source = str(txn.source)
            out.append({"id": txn.id, "type": txn.type, "amount": txn.amount, "source": source,
                        "currency": str(txn.currency).upper(), "charge": charge_of.get(source)})
        return out

    async def _call(self, method: Any, first: Any, key: str | None, positional: bool = False,
                    params: dict[str, Any] | None = None) -> Any:
        options: Any = {"idempotency_key": key} if key else {}
        try:
            if positional:
                return await method(first, params or {}, options)
            return await method(first, options)
        except stripe.CardError as exc:
            raise ProviderError(exc.user_message or _("The card was declined.")) from exc
        except stripe.InvalidRequestError as exc:
            raise ProviderError(_("Stripe refused the request: {reason}",
                                  reason=exc.user_message or exc)) from exc


def _instructions(intent: Any) -> Any:
    """The bank transfer instructions of a confirmed `customer_balance` PaymentIntent."""
    action = intent.next_action
    shown = getattr(action, "display_bank_transfer_instructions", None) if action else None
    if shown is None:
        raise ProviderError(_("Stripe gave no bank transfer instructions for this payment "
                              "(the payment is {status}).", status=str(intent.status)))
    return shown


def _intent(charge: Charge) -> str:
    if not charge.provider_ref:
        raise ProviderError(_("This payment has not been made yet."))
    return charge.provider_ref


def _authorised(intent: Any) -> Authorised:
    """The intent and its charge, as the escrow keeps them."""
    latest = intent.latest_charge
    charge_ref = latest if isinstance(latest, str) or latest is None else str(latest.id)
    return Authorised(str(intent.id), charge_ref)
