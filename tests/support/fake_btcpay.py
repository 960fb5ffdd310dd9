"""BTCPay Server for tests: the Greenfield endpoints Agora calls, kept in memory, and the
store's webhook, signed as BTCPay signs it and sent to Agora over HTTP.

What it answers, as Greenfield documents it (`Authorization: token <API key>`, else 401):
`POST /api/v1/stores/{store}/invoices` (amount a decimal string, currency, metadata.orderId,
checkout.expirationMinutes/redirectURL; answers `id`, `checkoutLink`, `status` "New"),
`GET …/invoices?orderId=` (a list), `GET …/invoices/{id}`, `GET …/invoices/{id}/payment-methods`
(one on-chain method: `rate` to the invoice's currency, `amount`, `paymentMethodPaid`,
`totalPaid`, `due` in BTC, and its `payments`, each `value` and `status` Processing or Settled)
`POST …/invoices/{id}/refund` (a pull payment: `id`, `viewLink`, the request's `name` and
`description`) and `GET /api/v1/stores/{store}/pull-payments` (the store's pull payments, as
Greenfield's PullPaymentData: `id`, `name`, `description`, `currency`, `amount`, `archived`,
`viewLink`…; archived ones only with `includeArchived=true`). Faults: `refunds_failing` refuses
the next refunds (503); `refunds_lost` makes the next refunds, then answers too late for the
client (its answer lost); `on_refund` is awaited once a refund is made, before it is answered
(a test cuts Agora's database connections there); `on_refund_request` is awaited when a refund
request arrives, before it is made (a test holds it there: the first call in flight, its pull
payment not listed yet). The payer's side is
played by `pay` (a payment seen, settled at once or later by `confirm`); `expire` closes an
invoice; `send` delivers a webhook (and `redeliver` the same delivery again, as BTCPay's
"Redeliver" button does: a new deliveryId, `isRedelivery`, the first one's id as
`originalDeliveryId`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from payments import crypto_rules

API_KEY = "btcpay-test-api-key"
STORE = "StoreAgoraTest"
SECRET = "btcpay-webhook-test-secret"
RATE = Decimal("50000")  # euros per bitcoin: 250.00 € is 0.005 BTC exactly
SATS = Decimal("0.00000001")
_ids = itertools.count(1)


class FakeBTCPay:
    def __init__(self) -> None:
        self.base = ""  # set once served
        self.agora_url = ""  # where the store's webhook goes
        self.secret = SECRET
        self.invoices: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, list[dict[str, Any]]] = {}
        self.refunds: list[dict[str, Any]] = []
        self.deliveries: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str]] = []
        self.refunds_failing = 0  # the next refunds refused (503), as a BTCPay being restarted
        self.refunds_lost = 0  # the next refunds made, their answers too late (lost)
        self.lost_after = 2.0  # seconds a lost answer takes
        self.pull_payments: dict[str, dict[str, Any]] = {}
        self.on_refund: Callable[[], Awaitable[None]] | None = None
        self.on_refund_request: Callable[[], Awaitable[None]] | None = None
        self.app = FastAPI()
        self.app.add_api_route("/api/v1/stores/{store}/{rest:path}", self.handle,
                               methods=["GET", "POST"])

    async def handle(self, store: str, rest: str, request: Request) -> JSONResponse:
        self.calls.append((request.method, rest))
        if request.headers.get("authorization") != f"token {API_KEY}":
            return JSONResponse({"code": "unauthenticated"}, status_code=401)
        if store != STORE:
            return JSONResponse({"code": "store-not-found"}, status_code=404)
        parts = rest.strip("/").split("/")
        if parts == ["pull-payments"] and request.method == "GET":
            archived = request.query_params.get("includeArchived", "false").lower() == "true"
            return JSONResponse([p for p in self.pull_payments.values()
                                 if archived or not p["archived"]])
        if parts == ["invoices"] and request.method == "POST":
            return JSONResponse(self._create(await request.json()))
        if parts == ["invoices"]:
            order = request.query_params.get("orderId")
            return JSONResponse([i for i in self.invoices.values()
                                 if i["metadata"].get("orderId") == order])
        invoice = self.invoices.get(parts[1]) if len(parts) > 1 else None
        if invoice is None:
            return JSONResponse({"code": "invoice-not-found"}, status_code=404)
        if len(parts) == 2:
            return JSONResponse(invoice)
        if parts[2] == "payment-methods":
            return JSONResponse(self._methods(invoice))
        if parts[2] == "refund" and request.method == "POST":
            if self.refunds_failing:
                self.refunds_failing -= 1
                return JSONResponse({"code": "service-unavailable"}, status_code=503)
            body = await request.json()
            if self.on_refund_request is not None:
                await self.on_refund_request()
            pull = self._pull_payment(invoice, body)
            self.refunds.append({**body, "invoiceId": invoice["id"], "id": pull["id"],
                                 "viewLink": pull["viewLink"]})
            if self.on_refund is not None:
                await self.on_refund()
            if self.refunds_lost:
                self.refunds_lost -= 1
                await asyncio.sleep(self.lost_after)
            return JSONResponse(pull)
        return JSONResponse({"code": "not-found"}, status_code=404)

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        invoice_id = f"Inv{next(_ids):04d}Fake"
        minutes = int((body.get("checkout") or {}).get("expirationMinutes") or 15)
        invoice = {"id": invoice_id, "storeId": STORE, "amount": body["amount"],
                   "currency": body["currency"], "metadata": body.get("metadata") or {},
                   "checkout": body.get("checkout") or {}, "status": "New",
                   "additionalStatus": "None", "checkoutLink": f"{self.base}/i/{invoice_id}",
                   "createdTime": int(time.time()),
                   "expirationTime": int(time.time()) + 60 * minutes}
        self.invoices[invoice_id] = invoice
        self.payments[invoice_id] = []
        return invoice

    def _pull_payment(self, invoice: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        """The pull payment a refund makes (a "Custom" one: its amount in its currency)."""
        pull_id = f"pp_{next(_ids)}"
        custom = body.get("refundVariant") == "Custom"
        pull = {"id": pull_id, "name": body.get("name") or f"Refund {invoice['id']}",
                "description": body.get("description"),
                "currency": body["customCurrency"] if custom else invoice["currency"],
                "amount": body["customAmount"] if custom else invoice["amount"],
                "period": None, "BOLT11Expiration": 30, "autoApproveClaims": custom,
                "archived": False, "startsAt": int(time.time()), "expiresAt": None,
                "viewLink": f"{self.base}/pull-payments/{pull_id}"}
        self.pull_payments[pull_id] = pull
        return pull

    def _methods(self, invoice: dict[str, Any]) -> list[dict[str, Any]]:
        due_btc = (Decimal(invoice["amount"]) / RATE).quantize(SATS)
        paid = sum((Decimal(p["value"]) for p in self.payments[invoice["id"]]
                    if p["status"] != "Invalid"), Decimal(0))
        return [{"paymentMethodId": "BTC-CHAIN", "currency": "BTC", "rate": str(RATE),
                 "amount": str(due_btc), "paymentMethodPaid": str(paid), "totalPaid": str(paid),
                 "due": str(due_btc - paid), "destination": "bcrt1qfakeaddress",
                 "payments": self.payments[invoice["id"]], "activated": True}]

    # The payer's side and the store's events.

    def pay(self, invoice_id: str, euros: str, *, settled: bool = True) -> dict[str, Any]:
        """The payer sends bitcoin worth `euros` to the invoice (seen, or also confirmed)."""
        value = (Decimal(euros) / RATE).quantize(SATS)
        payment = {"id": f"tx{next(_ids)}-0", "value": str(value), "fee": "0",
                   "status": "Settled" if settled else "Processing",
                   "destination": "bcrt1qfakeaddress", "receivedDate": int(time.time())}
        self.payments[invoice_id].append(payment)
        paid = sum(Decimal(p["value"]) for p in self.payments[invoice_id])
        due = (Decimal(self.invoices[invoice_id]["amount"]) / RATE).quantize(SATS)
        if paid >= due and all(p["status"] == "Settled" for p in self.payments[invoice_id]):
            self.invoices[invoice_id]["status"] = "Settled"
            self.invoices[invoice_id]["additionalStatus"] = "PaidOver" if paid > due else "None"
        elif paid >= due:
            self.invoices[invoice_id]["status"] = "Processing"
        return payment

    def confirm(self, invoice_id: str) -> None:
        """Every payment to the invoice got its confirmations."""
        for payment in self.payments[invoice_id]:
            payment["status"] = "Settled"
        paid = sum(Decimal(p["value"]) for p in self.payments[invoice_id])
        if paid >= (Decimal(self.invoices[invoice_id]["amount"]) / RATE).quantize(SATS):
            self.invoices[invoice_id]["status"] = "Settled"

    def expire(self, invoice_id: str) -> None:
        self.invoices[invoice_id]["status"] = "Expired"

    def by_order(self, order_id: str) -> dict[str, Any]:
        return next(i for i in self.invoices.values() if i["metadata"].get("orderId") == order_id)

    async def send(self, type_: str, invoice_id: str, *, secret: str | None = None,
                   **extra: Any) -> httpx.Response:
        """Deliver a webhook of `type_` for the invoice to Agora, signed with the secret."""
        delivery = f"Del{next(_ids):05d}"
        body = {"deliveryId": delivery, "webhookId": "WhAgora", "originalDeliveryId": delivery,
                "isRedelivery": False, "type": type_, "timestamp": int(time.time()),
                "storeId": STORE, "invoiceId": invoice_id,
                "metadata": self.invoices[invoice_id]["metadata"], **extra}
        self.deliveries[delivery] = body
        return await self._post(body, secret)

    async def redeliver(self, delivery: str) -> httpx.Response:
        """The same delivery again, as a redelivery of it."""
        body = {**self.deliveries[delivery], "deliveryId": f"Del{next(_ids):05d}",
                "isRedelivery": True, "timestamp": int(time.time())}
        return await self._post(body, None)

    async def resend(self, delivery: str) -> httpx.Response:
        """The very same delivery again (a retry after a timeout): the same body, byte for byte."""
        return await self._post(self.deliveries[delivery], None)

    async def post_raw(self, raw: bytes, secret: str | None = None) -> httpx.Response:
        """Any body, signed: what a store that is not quite BTCPay might send."""
        return await self._post_bytes(raw, secret)

    async def _post(self, body: dict[str, Any], secret: str | None) -> httpx.Response:
        return await self._post_bytes(json.dumps(body).encode(), secret)

    async def _post_bytes(self, raw: bytes, secret: str | None) -> httpx.Response:
        headers = {"Content-Type": "application/json",
                   "BTCPay-Sig": crypto_rules.signature(secret or self.secret, raw)}
        async with httpx.AsyncClient() as http:
            return await http.post(f"{self.agora_url}/btcpay/webhook", content=raw,
                                   headers=headers)

    def last_delivery(self) -> str:
        return list(self.deliveries)[-1]
