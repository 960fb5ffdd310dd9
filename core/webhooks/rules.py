"""The webhooks' rules on plain values: the event types a company's endpoint may take, which
URLs are accepted, the retry schedule with its jitter, and the signature (as Stripe signs:
`t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`) with its check, for receivers and tests alike."""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from core.errors import DomainError
from core.i18n import N_, _


class DeliveryStatus(StrEnum):
    """A delivery: pending (due at `next_at`) → sending (claimed, under a lease until
    `lease_until`) → delivered, or back to pending for its next try, or failed once the
    retries are spent (a re-send makes it pending again)."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


# Every event type an endpoint may choose, with what it tells (the admin reads the words).
EVENT_TYPES = {
    "deal.agreed": N_("a deal was agreed"),
    "deal.paid": N_("a deal was paid into escrow"),
    "deal.shipped": N_("a deal's goods were shipped"),
    "deal.delivered": N_("a deal's goods were delivered"),
    "deal.quality_reported": N_("a deal's quality was reported"),
    "deal.completed": N_("a deal was completed (delivery and quality confirmed)"),
    "deal.disputed": N_("a deal was disputed"),
    "deal.cancelled": N_("a deal was cancelled"),
    "deal.refunded": N_("a deal was refunded"),
    "request.offer_received": N_("a request for supply received an offer"),
    "request.awarded": N_("a request for supply was awarded"),
    "document.issued": N_("an invoice, receipt or credit note was issued"),
    "contract.signed": N_("a framework contract was signed"),
}
MAX_URL = 500
SIGNATURE_HEADER = "Agora-Signature"
EVENT_ID_HEADER = "Agora-Event-Id"
TOLERANCE = timedelta(minutes=5)  # how old a signed timestamp a receiver should accept
# The wait after each failed try (Stripe's shape: quick at first, then hours): ten tries over
# about three days and six hours; each wait is stretched or shortened by up to JITTER.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                timedelta(hours=2), timedelta(hours=5), timedelta(hours=10),
                timedelta(hours=12), timedelta(hours=24), timedelta(hours=24))
TRIES = len(RETRY_DELAYS) + 1
JITTER = 0.1
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def check_url(url: str, *, local_http: bool) -> str:
    """An endpoint's URL: HTTPS; plain HTTP only to this machine where `local_http` (tests and
    the sandbox, config's `webhooks_local_http`)."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL or not parts.hostname or parts.username or parts.password:
        raise DomainError(_("That is not a web address, like https://example.com/agora."))
    if parts.scheme == "https" or (
            local_http and parts.scheme == "http" and parts.hostname in LOCAL_HOSTS):
        return url
    raise DomainError(_("A webhook's address starts with https://."))


def check_types(types: list[str]) -> list[str]:
    """The event types chosen: at least one, each known, in the list's order."""
    chosen = [t for t in EVENT_TYPES if t in set(types)]
    if not chosen or len(chosen) != len(set(types)):
        raise DomainError(_("Choose at least one of the event types offered."))
    return chosen


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(24)


def retry_after(tries_made: int, rng: random.Random | None = None) -> timedelta:
    """The wait before the next try, after `tries_made` failed tries (from 1), with jitter."""
    base = RETRY_DELAYS[min(tries_made, len(RETRY_DELAYS)) - 1]
    spread = (rng or random).uniform(-JITTER, JITTER)
    return base * (1 + spread)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Agora-Signature` header's value for a body sent at `timestamp` (Unix seconds)."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: int,
           tolerance: timedelta = TOLERANCE) -> bool:
    """A receiver's check: some `v1` of the header is the body's signature with `secret`, and
    its timestamp is within `tolerance` of `now` (Unix seconds) — a replay later fails."""
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    timestamp = int(stamps[0])
    if abs(now - timestamp) > tolerance.total_seconds():
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return any(hmac.compare_digest(expected, v) for k, v in parts if k == "v1")
