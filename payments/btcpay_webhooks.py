"""BTCPay Server's webhooks (Greenfield): the `BTCPay-Sig` signature checked, each delivery
processed once (a redelivery — `isRedelivery`, naming its `originalDeliveryId` — is the same
event), and every handler safe to run again: what an invoice was paid is read back from the
provider and only what is new is counted (payments.crypto_payments)."""

from __future__ import annotations

import json
import logging
from typing import Any

from payments import crypto_rules
from payments.service import PaymentsService
from payments.webhook_claims import EventClaims

log = logging.getLogger(__name__)
# Events that may bring money (a payment seen, a payment confirmed, the invoice settled).
PAYMENTS = {"InvoiceReceivedPayment", "InvoicePaymentSettled", "InvoiceProcessing",
            "InvoiceSettled"}
CLOSING = {"InvoiceExpired": "expired", "InvoiceInvalid": "invalid"}


def _well_formed(event: Any) -> bool:
    """What the handler reads: a delivery id, a type, the store and the invoice, as text."""
    return (isinstance(event, dict)
            and all(isinstance(event.get(k), str) and 0 < len(event[k]) <= 80
                    for k in ("deliveryId", "type", "invoiceId"))
            and isinstance(event.get("storeId", ""), str)
            and isinstance(event.get("originalDeliveryId") or "", str)
            and len(event.get("originalDeliveryId") or "") <= 80)


class BTCPayWebhooks(EventClaims):
    """Handles POST /btcpay/webhook bodies; returns (HTTP status, JSON body)."""

    source = "btcpay"

    def __init__(self, secret: str, store_id: str, payments: PaymentsService) -> None:
        self.secret = secret
        self.store_id = store_id
        self.payments = payments

    async def handle(self, payload: bytes, signature: str | None) -> tuple[int, dict[str, Any]]:
        """Verify, skip what was delivered before, dispatch by type, then remember it."""
        if not crypto_rules.signed(self.secret, payload, signature):
            return 400, {"error": "bad signature"}
        try:
            event = json.loads(payload)
        except (ValueError, RecursionError):
            event = None
        if not _well_formed(event):
            return 400, {"error": "not a BTCPay event"}
        if event.get("storeId") and event["storeId"] != self.store_id:
            log.info("BTCPay delivery %s is for another store", event["deliveryId"])
            return 200, {"ignored": True}
        # A redelivery (from BTCPay's retries or its "Redeliver" button) is the same event.
        key = event.get("originalDeliveryId") or event["deliveryId"]
        claim = await self._claim(key, event["type"], event)
        if claim != "claimed":
            return (200, {"duplicate": True}) if claim == "done" else (409, {"busy": True})
        try:
            await self._dispatch(event)
        except Exception:
            await self._release(key)  # BTCPay's retry runs it again
            raise
        await self._done(key)
        return 200, {"received": True}

    async def _dispatch(self, event: dict[str, Any]) -> None:
        kind, invoice = event["type"], event["invoiceId"]
        if kind in PAYMENTS:
            await self.payments.crypto_update(invoice)
        elif kind in CLOSING:
            await self.payments.crypto_closed(invoice, CLOSING[kind])
        else:
            log.info("BTCPay event %s (%s) acknowledged, not used", event["deliveryId"], kind)
