"""Freight's use cases: a member declares themselves a haulier; a deal's party asks for
transport and the hauliers who serve the route are told; a haulier quotes (or withdraws); the
party accepts one quote, once (a guarded update), and its freight joins the deal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import select, update

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.deals.freight import rules
from core.deals.freight.events import FreightAsked, FreightBooked, FreightMoved, FreightQuoted
from core.deals.freight.rules import FreightState, QuoteState, QuoteTerms
from core.deals.freight.tables import FreightInvite, FreightQuote, FreightRequest, Haulier
from core.deals.tables import Deal
from core.errors import Conflict, DomainError, InvalidField, NotAllowed, NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork


def reference(request_id: int) -> str:
    """How the money layer names a transport's freight escrow."""
    return f"freight:{request_id}"


def request_of(ref: str) -> int | None:
    """The request a freight escrow's reference names, else None."""
    head, _sep, rest = ref.partition(":")
    return int(rest) if head == "freight" and rest.isdigit() else None


async def declare(uow: UnitOfWork, account_id: int, routes: str, loading: list[str],
                  capacity: Decimal, unit: str) -> Haulier:
    """A member serves these countries and routes, with these loading types and one load's
    capacity: they hear of requests for transport on those routes (declared again: changed)."""
    if unit not in rules.FREIGHT_UNITS:
        raise InvalidField("unit", _("Give the capacity in tonnes or cubic metres."))
    if capacity <= 0:
        raise InvalidField("capacity", _("The capacity must be more than zero."))
    haulier = await uow.get(Haulier, account_id)
    values = {"routes": list(rules.parse_routes(routes)),
              "loading_types": list(rules.loading_types(loading)),
              "capacity_milli": int(capacity * 1000), "unit": unit, "active": True,
              "updated_at": uow.clock.now()}
    if haulier is None:
        haulier = Haulier(account_id=account_id, **values)
        uow.session.add(haulier)
    else:
        for name, value in values.items():
            setattr(haulier, name, value)
    await uow.session.flush()
    return haulier


async def stop_hauling(uow: UnitOfWork, account_id: int) -> None:
    """A haulier hears of no more requests (their quotes stand)."""
    haulier = await uow.get(Haulier, account_id)
    if haulier is not None:
        haulier.active, haulier.updated_at = False, uow.clock.now()


async def haulier(uow: UnitOfWork, account_id: int) -> Haulier | None:
    return await uow.get(Haulier, account_id)


@dataclass(frozen=True)
class TransportStart:
    """Where a request for transport starts, from the deal: the pickup (the listing's place),
    the quantity and its unit when it is tonnes or cubic metres."""

    from_place: str
    from_country: str
    quantity: Decimal | None
    unit: str


async def start(uow: UnitOfWork, deal_id: int, actor_id: int) -> TransportStart:
    """The deal's pickup and quantity, for the party about to ask for transport."""
    deal, listing = await _askable(uow, deal_id, actor_id)
    unit = listing.unit if listing else ""
    if unit not in rules.FREIGHT_UNITS:  # traded in MWh or litres: the asker says the load
        return TransportStart(listing.city if listing else "",
                              (listing.country or "") if listing else "", None, "t")
    assert listing is not None
    return TransportStart(listing.city, listing.country or "",
                          Decimal(deal.quantity_milli) / 1000, unit)


async def ask(uow: UnitOfWork, deal_id: int, actor_id: int, to_place: str, to_country: str,
              quantity: Decimal, unit: str, load_from: date, load_to: date,
              loading_type: str) -> FreightRequest:
    """A deal's party asks for transport from the listing's place to `to_place`; the hauliers
    who serve the route and offer the loading type are told. Quotes close when the window
    opens."""
    deal, listing = await _askable(uow, deal_id, actor_id)
    now = uow.clock.now()
    rules.checked_window(load_from, load_to, now.date())
    if unit not in rules.FREIGHT_UNITS or quantity <= 0:
        raise InvalidField("quantity", _("Give the quantity in tonnes or cubic metres."))
    if loading_type not in rules.LOADING_TYPES:
        raise InvalidField("loading_type", _("Choose tipper, walking floor or bags."))
    if not to_place.strip() or len(to_country or "") != 2:
        raise InvalidField("to", _("Name the delivery place (a town the map knows)."))
    if listing is None or not listing.country:
        raise DomainError(_("The listing's place is unknown: transport can't be asked."))
    request = FreightRequest(
        deal_id=deal.id, asked_by=actor_id, from_place=listing.city[:120],
        from_country=listing.country, to_place=to_place.strip()[:120],
        to_country=to_country.upper(), quantity_milli=int(quantity * 1000), unit=unit,
        load_from=load_from, load_to=load_to, loading_type=loading_type, currency=deal.currency,
        status=FreightState.OPEN, closes_at=datetime.combine(load_from, time(0), UTC),
        created_at=now, updated_at=now)
    uow.session.add(request)
    await uow.session.flush()
    invited = await hauliers_for(uow, request, (deal.buyer_id, deal.seller_id))
    for haulier_id in invited:
        uow.session.add(FreightInvite(request_id=request.id, haulier_id=haulier_id))
    uow.emit(FreightAsked(request.id, tuple(invited)))
    return request


async def hauliers_for(uow: UnitOfWork, request: FreightRequest, parties: tuple[int, ...]
                       ) -> list[int]:
    """Active hauliers who serve the route and offer the loading type, never a party of the
    deal nor a suspended account, in the order they declared."""
    rows = (await uow.session.execute(select(Haulier).join(
        Account, Account.id == Haulier.account_id).where(
        Haulier.active.is_(True), Account.suspended_at.is_(None)).order_by(
        Haulier.account_id))).scalars()
    return [h.account_id for h in rows if h.account_id not in parties
            and rules.serves(h.routes, request.from_country, request.to_country)
            and request.loading_type in (h.loading_types or [])]


async def get(uow: UnitOfWork, request_id: int, actor_id: int | None) -> FreightRequest:
    """A request for transport, for the deal's parties and the hauliers told of it."""
    request = await uow.get(FreightRequest, request_id)
    if request is None or actor_id is None:
        raise NotFound(_("That request for transport doesn't exist."))
    deal = await uow.get(Deal, request.deal_id)
    assert deal is not None
    if actor_id in (deal.buyer_id, deal.seller_id):
        return request
    if await uow.get(FreightInvite, (request_id, actor_id)) is None:
        raise NotFound(_("That request for transport doesn't exist."))
    return request


async def quote(uow: UnitOfWork, request_id: int, haulier_id: int, terms: QuoteTerms
                ) -> FreightQuote:
    """A haulier told of the request quotes the whole transport: before it closes, picking up
    within the window (a second quote replaces their open one)."""
    request = await get(uow, request_id, haulier_id)
    if await uow.get(FreightInvite, (request_id, haulier_id)) is None:  # a party of the deal
        raise NotAllowed(_("Only the hauliers told of this transport quote on it."))
    if request.status != FreightState.OPEN:
        raise Conflict(_("That transport is no longer taking quotes."))
    now = uow.clock.now()
    rules.checked_quote(terms, request.currency, request.load_from, request.load_to,
                        request.closes_at, now)
    found = (await uow.session.execute(select(FreightQuote).where(
        FreightQuote.request_id == request_id, FreightQuote.haulier_id == haulier_id))).scalar()
    if found is None:
        found = FreightQuote(request_id=request_id, haulier_id=haulier_id, created_at=now)
        uow.session.add(found)
    found.price_minor, found.currency = terms.price.amount, terms.price.currency
    found.pickup_on, found.transit_days = terms.pickup_on, terms.transit_days
    found.status, found.updated_at = QuoteState.OPEN, now
    await uow.session.flush()
    uow.emit(FreightQuoted(found.id))
    return found


async def withdraw(uow: UnitOfWork, quote_id: int, haulier_id: int) -> None:
    """A haulier takes back their open quote (never one accepted)."""
    found = await uow.get(FreightQuote, quote_id)
    if found is None or found.haulier_id != haulier_id:
        raise NotFound(_("That quote doesn't exist."))
    changed = await uow.session.execute(update(FreightQuote).where(
        FreightQuote.id == quote_id, FreightQuote.status == QuoteState.OPEN).values(
        status=QuoteState.WITHDRAWN, updated_at=uow.clock.now()))
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That quote is no longer open."))


async def quotes(uow: UnitOfWork, request_id: int, actor_id: int) -> list[FreightQuote]:
    """A request's open and accepted quotes, cheapest first, for the deal's parties."""
    request = await get(uow, request_id, actor_id)
    await _party(uow, request, actor_id)
    return list((await uow.session.execute(select(FreightQuote).where(
        FreightQuote.request_id == request_id,
        FreightQuote.status.in_((QuoteState.OPEN, QuoteState.ACCEPTED))).order_by(
        FreightQuote.price_minor, FreightQuote.id))).scalars())


async def accept(uow: UnitOfWork, quote_id: int, actor_id: int) -> FreightRequest:
    """The party who asked accepts one open quote: the request is booked once (a guarded
    update: two acceptances at once, one wins), the other quotes lose, and the freight joins
    the deal, to be paid by the party into escrow."""
    found = await uow.get(FreightQuote, quote_id)
    if found is None:
        raise NotFound(_("That quote doesn't exist."))
    request = await get(uow, found.request_id, actor_id)
    if request.asked_by != actor_id:
        raise NotAllowed(_("Only the party who asked for transport accepts a quote."))
    now = uow.clock.now()
    booked = await uow.session.execute(update(FreightRequest).where(
        FreightRequest.id == request.id, FreightRequest.status == FreightState.OPEN,
        FreightRequest.closes_at > now).values(
        status=FreightState.BOOKED, quote_id=quote_id, updated_at=now))
    if booked.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That transport is already booked, cancelled or closed."))
    taken = await uow.session.execute(update(FreightQuote).where(
        FreightQuote.id == quote_id, FreightQuote.status == QuoteState.OPEN).values(
        status=QuoteState.ACCEPTED, updated_at=now))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That quote was withdrawn."))
    await uow.session.execute(update(FreightQuote).where(
        FreightQuote.request_id == request.id, FreightQuote.id != quote_id,
        FreightQuote.status == QuoteState.OPEN).values(status=QuoteState.LOST, updated_at=now))
    await uow.session.refresh(request)
    await uow.session.refresh(found)
    uow.emit(FreightBooked(request.id, quote_id, reference(request.id), actor_id,
                           found.haulier_id, found.price))
    uow.emit(FreightMoved(request.id, FreightState.BOOKED))
    return request


async def _askable(uow: UnitOfWork, deal_id: int, actor_id: int
                   ) -> tuple[Deal, Listing | None]:
    """The deal, when `actor_id` is a party and it is agreed or paid, not yet shipped, and
    has no transport asked or under way."""
    deal = await uow.get(Deal, deal_id)
    if deal is None or actor_id not in (deal.buyer_id, deal.seller_id):
        raise NotFound(_("That deal doesn't exist."))
    if deal.status not in rules.ASKABLE_DEAL_STATES:
        raise Conflict(_("Transport is asked for while the deal is agreed or paid, before "
                         "the goods ship."))
    if await active_of(uow, deal_id) is not None:
        raise Conflict(_("This deal already has a transport asked or booked."))
    return deal, await uow.get(Listing, deal.listing_id)


async def active_of(uow: UnitOfWork, deal_id: int) -> FreightRequest | None:
    """The deal's transport asked or under way, if there is one."""
    return (await uow.session.execute(select(FreightRequest).where(
        FreightRequest.deal_id == deal_id, FreightRequest.status.in_(rules.ACTIVE)))).scalar()


async def latest_of(uow: UnitOfWork, deal_id: int) -> FreightRequest | None:
    """The deal's transport to show: the active one, else the last completed."""
    return await active_of(uow, deal_id) or (await uow.session.execute(
        select(FreightRequest).where(FreightRequest.deal_id == deal_id,
                                     FreightRequest.status == FreightState.COMPLETED)
        .order_by(FreightRequest.id.desc()).limit(1))).scalar()


async def _party(uow: UnitOfWork, request: FreightRequest, actor_id: int) -> Deal:
    deal = await uow.get(Deal, request.deal_id)
    if deal is None or actor_id not in (deal.buyer_id, deal.seller_id):
        raise NotAllowed(_("That is for the deal's parties."))
    return deal
