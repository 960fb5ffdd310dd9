"""A company's webhooks, one function per use case: register an endpoint (its secret shown
once), list them, rotate a secret, disable or enable one, read an endpoint's deliveries with
their attempts, and re-send one (a new attempt of the same event, under the same event id).
Only the company's admins (`manage`) act; the operator console reads and re-sends as support."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update

from core.companies.seats import company_row, seat_may
from core.companies.sql_roster import roster_of
from core.errors import Conflict, NotFound
from core.i18n import _, present
from core.operators.roles import require
from core.storage.uow import UnitOfWork
from core.webhooks import addresses, rules
from core.webhooks.keys import Keys
from core.webhooks.tables import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

ENDPOINTS_MAX = 10  # a company's enabled endpoints
SHOWN = 20  # deliveries listed, newest first


@dataclass(frozen=True)
class EndpointView:
    id: int
    url: str
    types: tuple[str, ...]
    enabled: bool
    created_at: datetime
    failed: int  # deliveries failed for good


@dataclass(frozen=True)
class Registered:
    """An endpoint just made or rotated, with its signing secret: shown this once."""

    endpoint: EndpointView
    secret: str


@dataclass(frozen=True)
class AttemptView:
    number: int
    started_at: datetime
    status_code: int | None
    excerpt: str
    error: str | None
    millis: int


@dataclass(frozen=True)
class DeliveryView:
    id: int
    event_id: str  # the public "evt_…"
    type: str
    status: DeliveryStatus
    created_at: datetime
    next_at: datetime
    attempts: tuple[AttemptView, ...]


async def _company(uow: UnitOfWork, actor_id: int) -> int:
    seat = await seat_may(uow, actor_id, "manage")
    return seat.company.id


async def _view(uow: UnitOfWork, row: WebhookEndpoint) -> EndpointView:
    failed = (await uow.session.execute(select(func.count()).where(
        WebhookDelivery.endpoint_id == row.id,
        WebhookDelivery.status == DeliveryStatus.FAILED))).scalar_one()
    return EndpointView(row.id, row.url, tuple(row.types), row.enabled, row.created_at, failed)


async def register(uow: UnitOfWork, actor_id: int, keys: Keys, url: str,
                   types: list[str]) -> Registered:
    """A new endpoint of the actor's company (as its admin), with a new secret."""
    return await _make(uow, await _company(uow, actor_id), actor_id, keys, url, types)


async def _make(uow: UnitOfWork, company_id: int, actor_id: int, keys: Keys, url: str,
                types: list[str]) -> Registered:
    url = rules.check_url(url, local_http=keys.local_http)
    await addresses.reachable(keys.resolver, url, loopback=keys.local_http)  # public only
    count = (await uow.session.execute(select(func.count()).where(
        WebhookEndpoint.company_id == company_id,
        WebhookEndpoint.enabled.is_(True)))).scalar_one()
    if count >= ENDPOINTS_MAX:
        raise Conflict(_("A company keeps at most {count} webhook endpoints; disable one it no "
                         "longer uses before adding another.",
                         count=present.number(ENDPOINTS_MAX)))
    now, secret = uow.clock.now(), rules.new_secret()
    row = WebhookEndpoint(company_id=company_id,
                          url=url,
                          types=rules.check_types(types), secret_sealed=keys.sealer.seal(secret),
                          enabled=True, created_by=actor_id, created_at=now, updated_at=now)
    uow.session.add(row)
    await uow.session.flush()
    await _audit(uow, row, actor_id, "webhook_added", url=row.url)
    return Registered(await _view(uow, row), secret)


async def _audit(uow: UnitOfWork, row: WebhookEndpoint, actor_id: int, action: str,
                 **detail: object) -> None:
    """The company's decisions (`/company` → 📋 Decisions) keep who changed its webhooks."""
    await roster_of(uow).audit(row.company_id, actor_id, action, f"webhook:{row.id}", **detail)


async def endpoints(uow: UnitOfWork, actor_id: int) -> list[EndpointView]:
    """The endpoints of the actor's company, oldest first."""
    return await _endpoints_of(uow, await _company(uow, actor_id))


async def _endpoints_of(uow: UnitOfWork, company_id: int) -> list[EndpointView]:
    rows = (await uow.session.execute(select(WebhookEndpoint).where(
        WebhookEndpoint.company_id == company_id).order_by(WebhookEndpoint.id))).scalars()
    return [await _view(uow, row) for row in rows]


async def _own(uow: UnitOfWork, actor_id: int, endpoint_id: int) -> WebhookEndpoint:
    company_id = await _company(uow, actor_id)
    row = await uow.session.get(WebhookEndpoint, endpoint_id)
    if row is None or row.company_id != company_id:
        raise NotFound(_("That webhook endpoint is not your company's."))
    return row


async def endpoint(uow: UnitOfWork, actor_id: int, endpoint_id: int) -> EndpointView:
    return await _view(uow, await _own(uow, actor_id, endpoint_id))


async def rotate(uow: UnitOfWork, actor_id: int, keys: Keys, endpoint_id: int) -> Registered:
    """A new secret for the endpoint: the old one signs nothing from now on."""
    row = await _own(uow, actor_id, endpoint_id)
    secret = rules.new_secret()
    row.secret_sealed, row.updated_at = keys.sealer.seal(secret), uow.clock.now()
    await uow.session.flush()
    await _audit(uow, row, actor_id, "webhook_secret")
    return Registered(await _view(uow, row), secret)


async def set_enabled(uow: UnitOfWork, actor_id: int, endpoint_id: int,
                      enabled: bool) -> EndpointView:
    """Disable an endpoint (nothing new is queued for it) or enable it again."""
    row = await _own(uow, actor_id, endpoint_id)
    row.enabled, row.updated_at = enabled, uow.clock.now()
    await uow.session.flush()
    await _audit(uow, row, actor_id, "webhook_enabled" if enabled else "webhook_disabled")
    return await _view(uow, row)


async def deliveries(uow: UnitOfWork, actor_id: int, endpoint_id: int) -> list[DeliveryView]:
    """The endpoint's latest deliveries, newest first, each with its attempts."""
    row = await _own(uow, actor_id, endpoint_id)
    return await _deliveries_of(uow, row.id)


async def _deliveries_of(uow: UnitOfWork, endpoint_id: int) -> list[DeliveryView]:
    d = WebhookDelivery
    found = (await uow.session.execute(
        select(d, WebhookEvent.public_id, WebhookEvent.type)
        .join(WebhookEvent, WebhookEvent.id == d.event_id)
        .where(d.endpoint_id == endpoint_id).order_by(d.id.desc()).limit(SHOWN)
        .execution_options(populate_existing=True))).all()  # a re-send just updated one
    tried: dict[int, list[AttemptView]] = {}
    for a in (await uow.session.execute(select(WebhookAttempt).where(
            WebhookAttempt.delivery_id.in_([row.id for row, *__ in found]))
            .order_by(WebhookAttempt.number))).scalars():
        tried.setdefault(a.delivery_id, []).append(AttemptView(
            a.number, a.started_at, a.status_code, a.excerpt, a.error, a.millis))
    return [DeliveryView(row.id, public_id, type_, DeliveryStatus(row.status), row.created_at,
                         row.next_at, tuple(tried.get(row.id, ())))
            for row, public_id, type_ in found]


async def resend(uow: UnitOfWork, actor_id: int, delivery_id: int) -> DeliveryView:
    """Send a delivery again now: one more attempt of the same event (same event id)."""
    row = await uow.session.get(WebhookDelivery, delivery_id)
    if row is None:
        raise NotFound(_("There is no such delivery."))
    await _own(uow, actor_id, row.endpoint_id)
    return await _resend(uow, row)


async def _resend(uow: UnitOfWork, row: WebhookDelivery) -> DeliveryView:
    """Pending now, with at least one try left (a delivery that failed for good gets one);
    never one a worker is sending at this moment."""
    d = WebhookDelivery
    endpoint = await uow.session.get(WebhookEndpoint, row.endpoint_id)
    if endpoint is None or not endpoint.enabled:
        raise Conflict(_("That endpoint is disabled: enable it to send again."))
    again = await uow.session.execute(update(d).where(
        d.id == row.id, d.status != DeliveryStatus.SENDING).values(
        status=DeliveryStatus.PENDING, next_at=uow.clock.now(),
        retries_left=case((d.retries_left < 1, 1), else_=d.retries_left))
        .execution_options(synchronize_session=False))
    if again.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That delivery is being sent right now."))
    return next(v for v in await _deliveries_of(uow, row.endpoint_id) if v.id == row.id)


# The operator console: a company's endpoints and deliveries, read and re-sent by support.


async def company_endpoints(uow: UnitOfWork, operator_id: int, company_id: int
                            ) -> list[tuple[EndpointView, list[DeliveryView]]]:
    """Every endpoint of the company with its latest deliveries, for the console."""
    await require(uow, operator_id, "handle_support")
    return [(e, await _deliveries_of(uow, e.id)) for e in await _endpoints_of(uow, company_id)]


async def console_resend(uow: UnitOfWork, operator_id: int, delivery_id: int) -> DeliveryView:
    """Support re-sends a delivery (a new attempt of the same event)."""
    await require(uow, operator_id, "handle_support")
    row = await uow.session.get(WebhookDelivery, delivery_id)
    if row is None:
        raise NotFound(_("There is no such delivery."))
    return await _resend(uow, row)


async def console_register(uow: UnitOfWork, operator_id: int, company_id: int, keys: Keys,
                           url: str, types: list[str]) -> Registered:
    """Support registers an endpoint for a company (helping its admins set one up); the
    secret is shown once, to the operator, to hand on."""
    await require(uow, operator_id, "handle_support")
    await company_row(uow, company_id)  # NotFound for a company that is not there
    return await _make(uow, company_id, operator_id, keys, url, types)
