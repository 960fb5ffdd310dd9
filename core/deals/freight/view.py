"""The read side of freight: a transport as its card shows it (for a deal party or a
haulier told of it), the quotes its asker compares, and what the deal card adds — the freight,
the delivered total and the price per MWh delivered. Read models only, never rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.deals import sale_vat
from core.deals.freight import rules, service
from core.deals.freight.rules import Delivered, FreightState, QuoteState, QuoteTerms
from core.deals.freight.tables import FreightInvite, FreightQuote, FreightRequest, Haulier
from core.deals.tables import Deal
from core.i18n import present
from core.money.model import Money
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class QuoteFacts:
    id: int
    haulier: str
    haulier_id: int
    price: Money
    pickup_on: date
    transit_days: int
    status: str


@dataclass(frozen=True)
class FreightFacts:
    """A transport as its card shows it."""

    id: int
    deal_id: int
    state: str
    asked_by: int
    currency: str  # the deal's, which quotes are in
    from_place: str
    from_country: str
    to_place: str
    to_country: str
    quantity: Decimal
    unit: str
    load_from: date
    load_to: date
    loading_type: str
    booked: QuoteFacts | None  # the accepted quote
    delivered: Delivered | None  # with the deal's goods, once booked
    position: str | None
    eta: date | None
    has_cmr: bool
    role: str  # buyer | seller | haulier (the booked one) | invited


@dataclass(frozen=True)
class HaulierFacts:
    routes: tuple[str, ...]
    loading_types: tuple[str, ...]
    capacity: Decimal
    unit: str
    active: bool


def haulier_facts(row: Haulier) -> HaulierFacts:
    return HaulierFacts(tuple(row.routes or ()), tuple(row.loading_types or ()),
                        present.thousandths(row.capacity_milli), row.unit, row.active)


async def _quote_facts(uow: UnitOfWork, row: FreightQuote) -> QuoteFacts:
    name = await uow.session.scalar(select(Account.display_name).where(
        Account.id == row.haulier_id))
    return QuoteFacts(row.id, name or "?", row.haulier_id, row.price, row.pickup_on,
                      row.transit_days, row.status)


async def facts(uow: UnitOfWork, request: FreightRequest, actor_id: int | None) -> FreightFacts:
    """The read model of a transport, for `actor_id`."""
    deal = await uow.get(Deal, request.deal_id)
    assert deal is not None
    booked_row = await uow.get(FreightQuote, request.quote_id) if request.quote_id else None
    booked = await _quote_facts(uow, booked_row) if booked_row else None
    delivered = None
    if booked is not None:
        listing = await uow.get(Listing, deal.listing_id)
        energy = Decimal(listing.energy_mwh_per_unit or 0) if listing else Decimal(0)
        delivered = rules.delivered(sale_vat.price(deal), booked.price,
                                    present.thousandths(deal.quantity_milli), energy)
    role = "buyer" if actor_id == deal.buyer_id else "seller" if actor_id == deal.seller_id \
        else "haulier" if booked is not None and booked.haulier_id == actor_id else "invited"
    return FreightFacts(
        request.id, request.deal_id, request.status, request.asked_by, request.currency,
        request.from_place,
        request.from_country, request.to_place, request.to_country,
        present.thousandths(request.quantity_milli), request.unit, request.load_from,
        request.load_to, request.loading_type, booked, delivered, request.position, request.eta,
        request.cmr_path is not None, role)


async def transport(uow: UnitOfWork, request_id: int, actor_id: int | None) -> FreightFacts:
    """A transport's card, for the deal's parties and the hauliers told of it."""
    return await facts(uow, await service.get(uow, request_id, actor_id), actor_id)


async def of_deal(uow: UnitOfWork, deal_id: int, actor_id: int | None) -> FreightFacts | None:
    """The deal's transport (active, else the last completed), for the deal's card."""
    request = await service.latest_of(uow, deal_id)
    return await facts(uow, request, actor_id) if request is not None else None


async def quotes(uow: UnitOfWork, request_id: int, actor_id: int) -> list[QuoteFacts]:
    """The transport's open and accepted quotes, cheapest first, for the deal's parties."""
    return [await _quote_facts(uow, row) for row in await service.quotes(uow, request_id, actor_id)]


async def my_quote(uow: UnitOfWork, request_id: int, haulier_id: int) -> QuoteFacts | None:
    """A haulier's own open quote on a transport, if any."""
    row = (await uow.session.execute(select(FreightQuote).where(
        FreightQuote.request_id == request_id, FreightQuote.haulier_id == haulier_id,
        FreightQuote.status == QuoteState.OPEN))).scalar()
    return await _quote_facts(uow, row) if row is not None else None


def party_steps(view: FreightFacts, actor_id: int) -> tuple[str, ...]:
    """What a deal's party may do with the transport now: cancel before loading (its asker),
    confirm the delivery (the receiver)."""
    steps: list[str] = []
    if view.role == "buyer" and view.state == FreightState.DELIVERED:
        steps.append("confirm")
    if view.asked_by == actor_id and view.state in rules.CANCELLABLE:
        steps.append("cancel")
    return tuple(steps)


# The use cases a flow takes, answered with read models (core.deals.freight.service has the
# rules and the rows).

async def profile(uow: UnitOfWork, account_id: int) -> HaulierFacts | None:
    """A member's haulier profile, if they declared one."""
    row = await service.haulier(uow, account_id)
    return haulier_facts(row) if row is not None else None


async def declare(uow: UnitOfWork, account_id: int, routes: str, loading: list[str],
                  capacity: Decimal, unit: str) -> HaulierFacts:
    """`service.declare`, answered with the profile."""
    return haulier_facts(await service.declare(uow, account_id, routes, loading, capacity, unit))


async def ask(uow: UnitOfWork, deal_id: int, actor_id: int, to_place: str, to_country: str,
              quantity: Decimal, unit: str, load_from: date, load_to: date,
              loading_type: str) -> FreightFacts:
    """`service.ask`, answered with the transport's card."""
    request = await service.ask(uow, deal_id, actor_id, to_place, to_country, quantity, unit,
                                load_from, load_to, loading_type)
    return await facts(uow, request, actor_id)


async def quote(uow: UnitOfWork, request_id: int, haulier_id: int, terms: QuoteTerms
                ) -> QuoteFacts:
    """`service.quote`, answered with the quote as the asker will compare it."""
    return await _quote_facts(uow, await service.quote(uow, request_id, haulier_id, terms))


async def accept(uow: UnitOfWork, quote_id: int, actor_id: int) -> FreightFacts:
    """`service.accept`, answered with the booked transport's card."""
    return await facts(uow, await service.accept(uow, quote_id, actor_id), actor_id)


@dataclass(frozen=True)
class CmrFile:
    """Where a transport's CMR photo is kept (the file store's path), and what it is."""

    file_name: str
    path: str
    mime_type: str


async def cmr(uow: UnitOfWork, request_id: int, actor_id: int | None) -> CmrFile | None:
    """The signed CMR of a transport, for the deal's parties and the hauliers told of it."""
    request = await service.get(uow, request_id, actor_id)
    if request.cmr_path is None:
        return None
    mime = request.cmr_mime or "image/jpeg"
    suffix = {"image/png": ".png", "application/pdf": ".pdf"}.get(mime, ".jpg")
    return CmrFile(f"agora-transport-{request.id}-cmr{suffix}", request.cmr_path, mime)


async def hauled_by(uow: UnitOfWork, haulier_id: int, limit: int = 8) -> list[FreightFacts]:
    """A haulier's transports to act on, newest first: those booked with them and under way,
    and those they were told of that still take quotes."""
    booked = select(FreightQuote.request_id).where(
        FreightQuote.haulier_id == haulier_id, FreightQuote.status == QuoteState.ACCEPTED)
    told = select(FreightInvite.request_id).where(FreightInvite.haulier_id == haulier_id)
    rows = (await uow.session.execute(select(FreightRequest).where(
        ((FreightRequest.id.in_(booked)) & FreightRequest.status.in_(rules.ACTIVE))
        | ((FreightRequest.id.in_(told)) & (FreightRequest.status == FreightState.OPEN)))
        .order_by(FreightRequest.id.desc()).limit(limit))).scalars()
    return [await facts(uow, row, haulier_id) for row in rows]
