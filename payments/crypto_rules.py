"""Paying an escrow in crypto, as rules without a database: a provider's webhook signature, what
an invoice's payments come to in the invoice's currency, and how long an invoice stays open.

The provider (BTCPay Server) prices each invoice in euros and converts at the moment of payment;
Agora counts only payments the provider settled (confirmed on chain, or a Lightning payment),
converted at the invoice's own rate, and matches the total like bank transfers
(`payments.transfer_rules.match`): short, paid, over, or late.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class CryptoInvoiceState(StrEnum):
    """A crypto invoice's state at Agora (`payments.tables.CryptoInvoice.status`): new (takes
    payments) → settled (paid in full) | expired | invalid (closed by the provider)."""

    NEW = "new"
    SETTLED = "settled"
    EXPIRED = "expired"
    INVALID = "invalid"


# A payment's status at BTCPay Server (Greenfield), BTCPay's words: seen and confirming, or
# confirmed (counted).
PAYMENT_PROCESSING = "Processing"
PAYMENT_SETTLED = "Settled"
# How long a crypto invoice takes payments: the rate it was priced at holds this long.
INVOICE_MINUTES = 60
SIGNATURE_PREFIX = "sha256="
# A refund asked of a provider that takes no idempotency key (BTCPay Server) is asked by one
# worker at a time: it first takes a lease on the row that records it, in its own committed
# transaction (payments.crypto_payments). The whole ask (listing the pull payments, then the
# refund: three HTTP calls of up to 20 s per phase each) is cut off after ASK_WITHIN, so the
# worker holding the lease has finished or given up well before ASK_LEASE runs out; a worker
# that finds the lease run out knows the first ask is over, and its pull payment, if BTCPay
# made one, is listed and adopted. The lease is about the recovery's period (2 minutes), so a
# lost answer is looked at again by the next run but one at the latest.
ASK_WITHIN = timedelta(seconds=60)
ASK_LEASE = timedelta(minutes=2)


def signature(secret: str, body: bytes) -> str:
    """The `BTCPay-Sig` header of a body: sha256= and the hex HMAC-SHA256 with the secret."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` is the body's signature with the webhook's secret (constant time)."""
    if not secret or not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    return hmac.compare_digest(signature(secret, body), header.strip())


def expires_at(now: datetime, minutes: int = INVOICE_MINUTES) -> datetime:
    """When an invoice made now stops taking payments."""
    return now + timedelta(minutes=minutes)


def still_open(status: str, expires: datetime, now: datetime) -> bool:
    """Whether an invoice can still be paid: the provider has not closed it and it has time."""
    return status == CryptoInvoiceState.NEW and now < expires


def _decimal(value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)
    return number if number.is_finite() else Decimal(0)


@dataclass(frozen=True)
class Paid:
    """What an invoice's payments come to: settled (counted) and still confirming, in minor
    units of the invoice's currency."""

    settled: int
    confirming: int


def paid_in(methods: Iterable[Mapping[str, Any]], invoice_minor: int, exponent: int) -> Paid:
    """Add up an invoice's payments by method (Greenfield's `payment-methods`: each payment's
    `value` in the method's currency and `status`, the method's `rate` to the invoice's
    currency and its `due`). A payment counts once settled; the total is rounded to the
    currency's minor unit, and an invoice paid to the last unit (`due` 0) counts exactly."""
    settled = confirming = Decimal(0)
    all_settled, due_zero = True, False
    for method in methods:
        rate = _decimal(method.get("rate"))
        for payment in method.get("payments") or []:
            value = _decimal(payment.get("value")) * rate
            said = str(payment.get("status") or "")
            if said == PAYMENT_SETTLED:
                settled += value
            elif said == PAYMENT_PROCESSING:
                confirming += value
                all_settled = False
        if method.get("payments") and _decimal(method.get("due")) == 0:
            due_zero = True
    scale = Decimal(10) ** exponent
    settled_minor = int((settled * scale).quantize(Decimal(1), ROUND_HALF_UP))
    if due_zero and all_settled and abs(settled_minor - invoice_minor) <= 1:
        settled_minor = invoice_minor  # paid to the last unit: no rounding cent either way
    return Paid(max(settled_minor, 0),
                max(int((confirming * scale).quantize(Decimal(1), ROUND_HALF_UP)), 0))


def new_since(total: int, counted: int) -> int:
    """What an invoice brought since Agora last counted it (never negative: a total the
    provider reports lower, a payment it invalidated, moves no money back by itself)."""
    return max(total - counted, 0)
