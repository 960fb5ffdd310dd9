"""The webhooks' outbox: in the transaction of a domain event, the event as each concerned
company's endpoints receive it (`webhook_events`, once per company and fact) and one delivery
per endpoint that takes its type (`webhook_deliveries`, once per endpoint and event: the
unique keys make a fact heard twice queue nothing more). Committed with the event or not at
all; every worker's delivery job (core.webhooks.delivery, every few seconds) sends them."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import select

from core.events import Event
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert
from core.webhooks import rules
from core.webhooks.payloads import Fact
from core.webhooks.tables import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

E = TypeVar("E", bound=Event)


def envelope(public_id: str, type_: str, created: int, data: dict[str, Any]) -> dict[str, Any]:
    """The JSON body every endpoint receives: the event's id, type, Unix time and data."""
    return {"id": public_id, "object": "event", "type": type_, "created": created, "data": data}


async def record(uow: UnitOfWork, fact: Fact) -> int:
    """Queue `fact` for every enabled endpoint of its companies that takes its type; the number
    of deliveries queued (none when it was queued before)."""
    if not fact.companies:
        return 0
    endpoints = (await uow.session.execute(select(WebhookEndpoint.id, WebhookEndpoint.company_id,
                                                  WebhookEndpoint.types).where(
        WebhookEndpoint.company_id.in_(fact.companies), WebhookEndpoint.enabled.is_(True)))).all()
    queued = 0
    for company_id in fact.companies:
        mine = [e.id for e in endpoints if e.company_id == company_id and fact.type in e.types]
        if mine:
            queued += await _queue(uow, company_id, fact, mine)
    return queued


async def _queue(uow: UnitOfWork, company_id: int, fact: Fact, endpoints: list[int]) -> int:
    now = uow.clock.now()
    public_id = "evt_" + secrets.token_hex(12)
    created = await uow.session.execute(
        dialect_insert(uow, WebhookEvent).values(
            public_id=public_id, company_id=company_id, key=fact.key, type=fact.type,
            payload=envelope(public_id, fact.type, int(now.timestamp()), fact.data),
            created_at=now)
        .on_conflict_do_nothing(index_elements=["company_id", "key"])
        .returning(WebhookEvent.id))
    event_id = created.scalar_one_or_none()
    if event_id is None:  # this fact was queued for this company before
        return 0
    await uow.session.execute(
        dialect_insert(uow, WebhookDelivery).values([
            {"endpoint_id": endpoint_id, "event_id": event_id, "status": DeliveryStatus.PENDING,
             "attempts": 0, "retries_left": rules.TRIES, "next_at": now, "created_at": now}
            for endpoint_id in endpoints])
        .on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"]))
    return len(endpoints)


async def _any_endpoint(uow: UnitOfWork) -> bool:
    """Whether any endpoint is enabled, asked once per transaction: a deployment (or a test)
    where no company uses webhooks pays one small query per transaction, not a read model per
    event."""
    known: dict[str, bool] = uow.kept("webhooks-any-endpoint", dict)
    if "any" not in known:
        known["any"] = (await uow.session.execute(select(WebhookEndpoint.id).where(
            WebhookEndpoint.enabled.is_(True)).limit(1))).first() is not None
    return known["any"]


def handler(build: Callable[[UnitOfWork, E], Awaitable[list[Fact]]]
            ) -> Callable[[Any, E], Awaitable[None]]:
    """An in-transaction handler queueing what `build` makes of its event."""
    async def queue(uow: UnitOfWork, event: E) -> None:
        if not await _any_endpoint(uow):
            return  # no company has one: nothing to read, nothing to queue
        for fact in await build(uow, event):
            await record(uow, fact)
    # Named as what it queues (`core.webhooks.payloads.deal_moved`): tests/test_wiring.py reads it.
    queue.__module__, queue.__qualname__ = build.__module__, build.__qualname__
    return queue
