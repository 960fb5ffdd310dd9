"""Sending the webhooks' outbox: a delivery due is claimed by a conditional UPDATE (pending and
due, or sending under a lease that ran out) that one worker alone wins, in a short transaction
of its own with its attempt's row; it is posted signed, outside any transaction; its answer is
recorded under the same claim. A non-2xx answer or no answer waits its turn of the retry
schedule (core.webhooks.rules); the last failed try marks it failed and tells the company's
admins. Correct on SQLite and PostgreSQL, and with several workers on one database."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import and_, or_, select, update

from core.actions import Action
from core.companies.seats import with_role
from core.i18n import _, n_
from core.notifications.outbox import addressed_to, notify
from core.sealed import Unsealable
from core.storage.uow import UnitOfWork
from core.webhooks import addresses, rules
from core.webhooks.intents import WebhookIntent
from core.webhooks.keys import Keys
from core.webhooks.tables import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # a claim's hold: longer than a post may take (TIMEOUT)
TIMEOUT = 10.0  # seconds a receiver has to answer
EXCERPT = 300  # characters of the answer's body kept


@dataclass(frozen=True)
class Answer:
    """What a receiver answered: its HTTP status and the start of its body, or the error
    (a timeout, a refused connection); how long it took."""

    status: int | None
    excerpt: str = ""
    error: str | None = None
    millis: int = 0

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Poster(Protocol):
    """What sends a webhook: an adapter at the edge (bots.webhook_poster). It connects to
    `address` (checked by core.webhooks.addresses) and to nothing else, while the request names
    the URL's host (its Host header, its TLS server name and certificate check)."""

    async def post(self, url: str, address: str, body: bytes, headers: dict[str, str],
                   limit_seconds: float) -> Answer: ...


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    attempt: int
    url: str
    sealed: str  # the endpoint's secret, opened only to sign
    event_public_id: str
    body: bytes


def body_of(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def headers(claim: Claim, secret: str, timestamp: int) -> dict[str, str]:
    """The signed request's headers; the event id names it for de-duplication (a retry and a
    re-send carry the same)."""
    return {"Content-Type": "application/json", "User-Agent": "Agora-Webhooks/1",
            rules.SIGNATURE_HEADER: rules.signature(secret, timestamp, claim.body),
            rules.EVENT_ID_HEADER: claim.event_public_id,
            "Idempotency-Key": claim.event_public_id,
            "Agora-Delivery-Attempt": str(claim.attempt)}


class Deliverer:
    """One worker's sending of the webhooks' outbox (`worker` names its claims)."""

    def __init__(self, uow: Callable[[], UnitOfWork], poster: Poster, keys: Keys,
                 worker: str, batch: int = 20) -> None:
        self._uow, self._poster, self._keys = uow, poster, keys
        self.worker, self._batch = worker, batch

    async def run_once(self) -> int:
        """Send every delivery due now (a batch); how many were sent, answered or not."""
        async with self._uow() as uow:
            now = uow.clock.now()
            await self._give_up_stale(uow)
            due = list((await uow.session.execute(select(WebhookDelivery.id).where(
                _claimable(now)).order_by(WebhookDelivery.next_at, WebhookDelivery.id)
                .limit(self._batch))).scalars())
            await uow.commit()
        sent = 0
        for delivery_id in due:
            sent += await self.deliver(delivery_id)
        return sent

    async def deliver(self, delivery_id: int) -> bool:
        """Claim, post and record one delivery; False when another worker holds it or it is
        not due."""
        claim = await self._claim(delivery_id)
        if claim is None:
            return False
        await self._record(claim, await self._send(claim))
        return True

    async def _send(self, claim: Claim) -> Answer:
        """Post the claimed try to the address its URL's host resolves to now, when that is
        public (DNS may have changed since the endpoint was registered); else nothing is sent
        and the try is recorded as refused."""
        timestamp = int(self._uow().clock.now().timestamp())  # the signature's, as it leaves
        try:
            signed = headers(claim, self._keys.sealer.open(claim.sealed), timestamp)
        except Unsealable:  # the deployment's secret key changed: a new secret is needed
            log.error("webhook %s: its endpoint's secret cannot be opened", claim.delivery_id)
            return Answer(None, error="secret unreadable: give the endpoint a new secret")
        try:
            address = await addresses.reachable(self._keys.resolver, claim.url,
                                                loopback=self._keys.local_http)
        except addresses.Refused as refused:
            log.warning("webhook %s refused: %s", claim.delivery_id, refused)
            return Answer(None, error=f"refused: {refused}")
        try:
            return await self._poster.post(claim.url, address, claim.body, signed, TIMEOUT)
        except Exception as exc:  # the adapter answers errors itself; anything else too
            log.warning("webhook %s: %r", claim.delivery_id, exc)
            return Answer(None, error=type(exc).__name__)

    async def _claim(self, delivery_id: int) -> Claim | None:
        d = WebhookDelivery
        async with self._uow() as uow:
            now = uow.clock.now()
            won = (await uow.session.execute(
                update(d).where(d.id == delivery_id, _claimable(now))
                .values(status=DeliveryStatus.SENDING, attempts=d.attempts + 1,
                        retries_left=d.retries_left - 1, claimed_by=self.worker,
                        lease_until=now + LEASE)
                .returning(d.attempts, d.endpoint_id, d.event_id)
                .execution_options(synchronize_session=False))).one_or_none()
            if won is None:
                return None  # another worker's, or no longer due
            attempt, endpoint_id, event_id = won
            endpoint = await uow.session.get(WebhookEndpoint, endpoint_id)
            event = await uow.session.get(WebhookEvent, event_id)
            assert endpoint is not None and event is not None  # deleted with their deliveries
            uow.session.add(WebhookAttempt(delivery_id=delivery_id, number=attempt,
                                           started_at=now, excerpt="", millis=0))
            await uow.commit()
        return Claim(delivery_id, attempt, endpoint.url, endpoint.secret_sealed, event.public_id,
                     body_of(event.payload))

    async def _record(self, claim: Claim, answer: Answer) -> None:
        d = WebhookDelivery
        async with self._uow() as uow:
            now = uow.clock.now()
            await uow.session.execute(update(WebhookAttempt).where(
                WebhookAttempt.delivery_id == claim.delivery_id,
                WebhookAttempt.number == claim.attempt).values(
                status_code=answer.status, excerpt=answer.excerpt[:EXCERPT],
                error=(answer.error or None) and answer.error[:200], millis=answer.millis))
            mine = and_(d.id == claim.delivery_id, d.status == DeliveryStatus.SENDING,
                        d.claimed_by == self.worker, d.attempts == claim.attempt)
            row = (await uow.session.execute(select(d).where(mine))).scalar_one_or_none()
            if row is None:  # the lease ran out and another worker took it over meanwhile
                await uow.commit()
                return
            if answer.ok:
                values: dict[str, Any] = {"status": DeliveryStatus.DELIVERED, "delivered_at": now}
            elif row.retries_left > 0:
                wait = rules.retry_after(rules.TRIES - row.retries_left)
                values = {"status": DeliveryStatus.PENDING, "next_at": now + wait}
            else:
                values = {"status": DeliveryStatus.FAILED}
            await uow.session.execute(update(d).where(mine).values(
                last_status=answer.status, lease_until=None, **values)
                .execution_options(synchronize_session=False))
            if values["status"] == DeliveryStatus.FAILED:
                await tell_failed(uow, claim.delivery_id)
            await uow.commit()

    async def _give_up_stale(self, uow: UnitOfWork) -> None:
        """A delivery whose last try's worker died mid-send, with no try left: failed."""
        d = WebhookDelivery
        stale = list((await uow.session.execute(select(d.id).where(
            d.status == DeliveryStatus.SENDING, d.lease_until < uow.clock.now(),
            d.retries_left <= 0))).scalars())
        for delivery_id in stale:
            gone = await uow.session.execute(update(d).where(
                d.id == delivery_id, d.status == DeliveryStatus.SENDING)
                .values(status=DeliveryStatus.FAILED, lease_until=None)
                .execution_options(synchronize_session=False))
            if gone.rowcount == 1:  # type: ignore[attr-defined]
                await tell_failed(uow, delivery_id)


def _claimable(now: Any) -> Any:
    """Due (or under a lease that ran out), with a try left, to an endpoint still enabled."""
    d = WebhookDelivery
    enabled = select(WebhookEndpoint.id).where(WebhookEndpoint.enabled.is_(True))
    return and_(d.retries_left > 0, d.endpoint_id.in_(enabled.scalar_subquery()), or_(
        and_(d.status == DeliveryStatus.PENDING, d.next_at <= now),
        and_(d.status == DeliveryStatus.SENDING, d.lease_until < now)))


async def tell_failed(uow: UnitOfWork, delivery_id: int) -> None:
    """The company's admins hear that a delivery failed for good, with the way to re-send it."""
    found = (await uow.session.execute(
        select(WebhookEndpoint.company_id, WebhookEndpoint.id, WebhookEndpoint.url,
               WebhookEvent.type, WebhookDelivery.attempts)
        .join(WebhookDelivery, WebhookDelivery.endpoint_id == WebhookEndpoint.id)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.id == delivery_id))).one()
    for account_id in await with_role(uow, found.company_id, "manage"):
        async with addressed_to(uow, account_id):
            await notify(uow, account_id, n_(
                "⚠ A webhook could not be delivered: {type} to {url}, after {n} try. Open the "
                "endpoint's deliveries to re-send it.",
                "⚠ A webhook could not be delivered: {type} to {url}, after {n} tries. Open the "
                "endpoint's deliveries to re-send it.", found.attempts,
                type=found.type, url=found.url),
                buttons=[[Action(WebhookIntent.WEBHOOKS, _("🔗 Deliveries"),
                                 f"endpoint:{found.id}")]],
                dedupe_key=f"webhook-failed:{delivery_id}:{found.attempts}")
