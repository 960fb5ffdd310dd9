"""Stripe webhooks: signature checked, each event processed once, every handler safe to retry."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import stripe
from sqlalchemy import select

from core.payments_port import Actor
from payments.service import PaymentsService
from payments.tables import Escrow
from payments.webhook_claims import CLAIM_LEASE, EventClaims

log = logging.getLogger(__name__)
WEBHOOK = Actor("system:stripe-webhook", "Stripe reported it")
__all__ = ["CLAIM_LEASE", "StripeWebhooks"]


def _well_formed(event: Any) -> bool:
    """What the handlers read: an id, a type, a creation time and a data object whose id,
    metadata (text values, as Stripe keeps them) and payment error have Stripe's types."""
    if not (isinstance(event, dict) and isinstance(event.get("id"), str)
            and isinstance(event.get("type"), str) and len(event["id"]) <= 80
            and isinstance(event.get("created", 0), int) and isinstance(event.get("data"), dict)):
        return False
    obj = event["data"].get("object")
    if not isinstance(obj, dict):
        return False
    metadata = obj.get("metadata") or {}
    return (isinstance(obj.get("id", ""), str) and isinstance(metadata, dict)
            and all(isinstance(v, str) for v in metadata.values())
            and isinstance(obj.get("last_payment_error") or {}, dict))


def _parsed(payload: bytes) -> Any:
    """The body's JSON, or None when it is not JSON a parser can read."""
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json goes
        return None


def _by_transfer(intent: dict[str, Any]) -> bool:
    """A PaymentIntent paid by bank transfer to the customer's balance (`customer_balance`)."""
    types = intent.get("payment_method_types")
    return isinstance(types, list) and "customer_balance" in types


class StripeWebhooks(EventClaims):
    """Handles POST /stripe/webhook bodies; returns (HTTP status, JSON body)."""

    source = "stripe"

    def __init__(self, secret: str, payments: PaymentsService) -> None:
        self.secret = secret
        self.payments = payments

    async def handle(self, payload: bytes, signature: str | None) -> tuple[int, dict[str, Any]]:
        """Verify, skip replays, dispatch by type, then remember the event id."""
        if not signature:
            return 400, {"error": "missing Stripe-Signature"}
        try:
            # Only the signature: construct_event would also build a stripe.Event, and fails
            # with AttributeError on a body that is not an object; `_well_formed` checks that.
            stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature, self.secret,
                                                  stripe.Webhook.DEFAULT_TOLERANCE)
        except (stripe.SignatureVerificationError, ValueError):
            return 400, {"error": "bad signature"}
        event = _parsed(payload)
        if not _well_formed(event):
            return 400, {"error": "not a Stripe event"}
        claim = await self._claim(event["id"], event["type"], event)
        if claim != "claimed":
            # Done before: nothing to do. Being processed elsewhere: Stripe retries later.
            return (200, {"duplicate": True}) if claim == "done" else (409, {"busy": True})
        try:
            await self._dispatch(event)
        except Exception:
            await self._release(event["id"])  # Stripe's retry runs it again
            raise
        await self._done(event["id"])
        return 200, {"received": True}

    async def _dispatch(self, event: dict[str, Any]) -> None:
        handler = getattr(self, "_" + event["type"].replace(".", "_"), None)
        if handler is None or "id" not in event["data"]["object"]:
            log.info("Stripe event %s (%s) acknowledged, not used", event["id"], event["type"])
            return
        await handler(event["data"]["object"], event)

    async def _escrow_of(self, intent: dict[str, Any]) -> int | None:
        token = (intent.get("metadata") or {}).get("pay_token")
        async with self.payments.uow() as uow:
            return (await uow.session.execute(select(Escrow.id).where(
                (Escrow.pay_token == token) | (Escrow.provider_ref == intent["id"])))).scalar()

    async def _paid(self, intent: dict[str, Any]) -> None:
        escrow_id = await self._escrow_of(intent)
        if escrow_id is None:
            log.warning("payment intent %s belongs to no escrow", intent["id"])
            return
        charge = intent.get("latest_charge")
        if isinstance(charge, dict):  # expanded
            charge = charge.get("id")
        charge = charge if isinstance(charge, str) else None
        await self.payments.confirm_payment(escrow_id, charge, WEBHOOK, provider_ref=intent["id"])

    async def _payment_intent_succeeded(self, intent: dict[str, Any], _: dict[str, Any]) -> None:
        if _by_transfer(intent):  # a bank transfer PaymentIntent, funded in full
            await self.payments.transfers_arrived(provider_ref=intent["id"])
        elif intent.get("capture_method") == "manual":  # a session we captured
            await self._finish(intent, "capture")
        else:
            await self._paid(intent)

    async def _payment_intent_canceled(self, intent: dict[str, Any], _: dict[str, Any]) -> None:
        if not _by_transfer(intent):  # a transfer's, we cancelled: nothing pending on it
            await self._finish(intent, "void")

    async def _payment_intent_partially_funded(self, intent: dict[str, Any],
                                               _: dict[str, Any]) -> None:
        """Stripe applied a transfer to a bank transfer PaymentIntent, not yet in full."""
        if _by_transfer(intent):
            await self.payments.transfers_arrived(provider_ref=intent["id"])

    async def _customer_cash_balance_transaction_created(self, txn: dict[str, Any],
                                                         _: dict[str, Any]) -> None:
        """A transfer reached a payment's Customer: also one Stripe could not apply (the
        payment closed, or more than was due), which stays on the cash balance."""
        customer = txn.get("customer")
        if txn.get("type") == "funded" and isinstance(customer, str):
            await self.payments.transfers_arrived(customer_ref=customer)

    async def _finish(self, intent: dict[str, Any], kind: str) -> None:
        """Complete our pending capture or void if the crash came before its ledger write."""
        escrow_id = await self._escrow_of(intent)
        key = await self.payments.pending_operation(escrow_id, kind) if escrow_id else None
        if key:
            await self.payments.complete(key, intent["id"])

    async def _payment_intent_amount_capturable_updated(self, intent: dict[str, Any],
                                                        _: dict[str, Any]) -> None:
        await self._paid(intent)

    async def _payment_intent_payment_failed(self, intent: dict[str, Any], _: dict[str, Any]) -> None:
        if _by_transfer(intent):
            return
        escrow_id = await self._escrow_of(intent)
        if escrow_id is not None:
            error = (intent.get("last_payment_error") or {}).get("message")
            error = error if isinstance(error, str) and error else "The card was declined."
            await self.payments.declined(escrow_id, error)

    async def _setup_intent_succeeded(self, intent: dict[str, Any], _: dict[str, Any]) -> None:
        """A card saved through a setup-mode Checkout Session (for a later authorisation)."""
        token = (intent.get("metadata") or {}).get("save_token")
        method = intent.get("payment_method")
        if isinstance(method, dict):  # expanded
            method = method.get("id")
        if not token or not isinstance(method, str):
            log.info("setup intent %s saves nothing of ours", intent.get("id"))
            return
        customer = intent.get("customer")
        await self.payments.method_saved(token, method, customer if isinstance(customer, str)
                                         else None, intent.get("id"))

    async def _refund_created(self, refund: dict[str, Any], _: dict[str, Any]) -> None:
        await self._operation_done(refund)

    async def _refund_updated(self, refund: dict[str, Any], _: dict[str, Any]) -> None:
        if refund.get("status") == "succeeded":
            await self._operation_done(refund)

    async def _transfer_created(self, transfer: dict[str, Any], _: dict[str, Any]) -> None:
        await self._operation_done(transfer)

    async def _operation_done(self, obj: dict[str, Any]) -> None:
        key = (obj.get("metadata") or {}).get("operation")
        if key:
            await self.payments.complete(key, obj["id"])

    async def _account_updated(self, account: dict[str, Any], event: dict[str, Any]) -> None:
        ready = bool(account.get("charges_enabled") and account.get("payouts_enabled"))
        at = datetime.fromtimestamp(int(event.get("created") or 0), UTC)
        await self.payments.account_updated(account["id"], ready, at)
