"""BTCPay Server's Greenfield API: crypto invoices priced in the payment's currency, read back,
and refunded; its webhooks are handled in payments.btcpay_webhooks.

Endpoints used (Greenfield v1, `Authorization: token <API key>`):
`POST /api/v1/stores/{store}/invoices` (amount as a decimal string, currency, metadata.orderId,
checkout.expirationMinutes and redirectURL), `GET /api/v1/stores/{store}/invoices?orderId=…`
(an invoice made before with the same key: Greenfield takes no idempotency key, so the key is
the invoice's orderId and a retry finds it), `GET …/invoices/{id}` and
`GET …/invoices/{id}/payment-methods` (each method's payments, rate and due), and
`POST …/invoices/{id}/refund` (a pull payment the payer claims to an address of their own),
and `GET /api/v1/stores/{store}/pull-payments?includeArchived=true` (the store's pull payments:
the refund takes no idempotency key either, so the key is the pull payment's description —
and its name — and a refund is asked only when no pull payment carries its key yet).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import httpx

from core.i18n import _
from core.money.model import Money, exponent
from payments import crypto_rules
from payments.providers.base import (
    Charge,
    CryptoReturn,
    CryptoState,
    Invoiced,
    ProviderError,
    ProviderUnsure,
)

log = logging.getLogger(__name__)
STATUSES = {"New": "new", "Processing": "processing", "Settled": "settled",
            "Expired": "expired", "Invalid": "invalid"}


def decimal_amount(amount: Money) -> str:
    """An amount as Greenfield takes it: a decimal string in major units ("250.00")."""
    return str(Decimal(amount.amount).scaleb(-exponent(amount.currency)))


class BTCPayProvider:
    """Crypto payments through a BTCPay Server store."""

    name = "btcpay"
    test_mode = False
    # Greenfield takes no idempotency key: a refund is found again by its key in the pull
    # payment's description, and asked by one worker at a time (payments.crypto_payments).
    idempotent = False

    def __init__(self, url: str, api_key: str, store_id: str, public_url: str,
                 timeout: float = 20.0) -> None:
        self.base = url.rstrip("/")
        self.store_id = store_id
        self.public_url = public_url.rstrip("/")
        self.http = httpx.AsyncClient(base_url=self.base, timeout=timeout, headers={
            "Authorization": f"token {api_key}", "Content-Type": "application/json"})

    def _path(self, tail: str = "") -> str:
        return f"/api/v1/stores/{self.store_id}/invoices{tail}"

    async def _call(self, method: str, path: str, *, unsure: bool = False, **kwargs: Any) -> Any:
        """One Greenfield call. `unsure`: a call that may have been done although its answer
        was lost (sent, then a timeout or a dropped connection) says so (ProviderUnsure)."""
        try:
            answer = await self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            log.warning("BTCPay %s %s failed: %s", method, path, exc)
            if unsure and not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
                raise ProviderUnsure(_("The crypto payment service did not answer in time; "
                                       "the refund is checked again shortly.")) from exc
            raise ProviderError(_("The crypto payment service (BTCPay Server) cannot be "
                                  "reached just now; try again in a moment.")) from exc
        if answer.status_code >= 400:
            log.warning("BTCPay %s %s answered %s: %s", method, path, answer.status_code,
                        answer.text[:300])
            raise ProviderError(_("The crypto payment service refused: {status}.",
                                  status=answer.status_code))
        return answer.json()

    async def create_invoice(self, key: str, charge: Charge, amount: Money, minutes: int
                             ) -> Invoiced:
        made = await self._call("GET", self._path(), params={"orderId": key})
        if isinstance(made, list) and made:  # made before (a retry): the same invoice
            return Invoiced(str(made[0]["id"]), str(made[0]["checkoutLink"]))
        invoice = await self._call("POST", self._path(), json={
            "amount": decimal_amount(amount), "currency": amount.currency,
            "metadata": {"orderId": key, "reference": charge.reference,
                         "payToken": charge.pay_token},
            "checkout": {"expirationMinutes": minutes,
                         "redirectURL": f"{self.public_url}/pay/{charge.pay_token}"}})
        return Invoiced(str(invoice["id"]), str(invoice["checkoutLink"]))

    async def invoice_state(self, ref: str, amount: Money) -> CryptoState:
        invoice = await self._call("GET", self._path(f"/{ref}"))
        methods = await self._call("GET", self._path(f"/{ref}/payment-methods"))
        paid = crypto_rules.paid_in(methods if isinstance(methods, list) else [], amount.amount,
                                    exponent(amount.currency))
        return CryptoState(STATUSES.get(str(invoice.get("status")), "new"), paid.settled,
                           paid.confirming)

    async def return_crypto(self, key: str, invoice_ref: str, amount: Money) -> CryptoReturn:
        # The payer claims the refund to an address of their own, in the crypto they paid
        # with, at the rate of the day of the claim ("Custom": this amount in euros). Asked
        # before (a crash or a lost answer after the request reached BTCPay): that one.
        made = await self.return_made(key)
        if made is not None:
            return made
        methods = await self._call("GET", self._path(f"/{invoice_ref}/payment-methods"))
        used = [m for m in methods if m.get("payments")] if isinstance(methods, list) else []
        method = str((used or methods or [{}])[0].get("paymentMethodId")
                     or (used or methods or [{}])[0].get("paymentMethod") or "BTC-CHAIN")
        pull = await self._call("POST", self._path(f"/{invoice_ref}/refund"), json={
            "name": key[:50], "description": key, "paymentMethod": method,
            "refundVariant": "Custom", "customAmount": decimal_amount(amount),
            "customCurrency": amount.currency}, unsure=True)
        return CryptoReturn(str(pull.get("id")), pull.get("viewLink"))

    async def return_made(self, key: str) -> CryptoReturn | None:
        """The pull payment a refund with `key` made, if one was (archived ones included: an
        archived refund was asked all the same, and is not asked again)."""
        pulls = await self._call("GET", f"/api/v1/stores/{self.store_id}/pull-payments",
                                 params={"includeArchived": "true"})
        for pull in pulls if isinstance(pulls, list) else []:
            if pull.get("description") == key:
                return CryptoReturn(str(pull["id"]), pull.get("viewLink"))
        return None

    async def aclose(self) -> None:
        await self.http.aclose()
