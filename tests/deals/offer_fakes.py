"""The offers' negotiation in memory (`core.deals.offers.negotiation.Negotiation`): offers,
counter-offers, declines, withdrawals and the acceptance of a plain offer run on it without a
database. It keeps the mapped objects (`Offer`, `Deal`, the catalogue's `Listing`), built
without a session, so a use case changes them as it changes rows. An accepted offer here
closes, takes its quantity from the listing and becomes a deal; a quote's award within its
request, a framework contract and the deal's frozen terms are the database's
(`core.deals.offers.agreement`), so the fake refuses those loudly, as it refuses a counter in a
quote's negotiation. `test_negotiation_contract.py` holds it to the SQL one."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal

from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.companies.seats import CompanyView, Seat
from core.companies.tables import Company
from core.deals import on_terms, pay_terms, rules
from core.deals.accepted import Accepts
from core.deals.events import OfferClosed, OfferMade
from core.deals.tables import Deal, Offer
from core.errors import Conflict
from core.events import Event
from core.money.model import Money
from core.process.deals import BUYER, DEAL_PROCESS, OfferState

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock
SAM, BOB, EVE, ANNA = 1, 2, 3, 4  # the seller, two buyers, a buyer for a company


@dataclass
class MemoryNegotiation:
    """Listings, company seats, standings on terms, offers and deals in dicts (ids given in
    order); the clock stands still at `at`; each open offer's expiry while its timer runs, and
    the events, kept."""

    at: datetime = START
    listings: dict[int, Listing] = field(default_factory=dict)
    seats: dict[int, Seat] = field(default_factory=dict)
    standings: dict[int, on_terms.Standing] = field(default_factory=dict)
    sellers_accept: dict[int, Accepts] = field(default_factory=dict)  # seller → their choices
    offers: dict[int, Offer] = field(default_factory=dict)
    deals: dict[int, Deal] = field(default_factory=dict)
    expiries: dict[int, datetime] = field(default_factory=dict)  # open offer → its timer's due
    events: list[Event] = field(default_factory=list)

    # --- what the tests set up ----------------------------------------------------------

    def listed(self, seller_id: int = SAM, quantity: str = "500", min_order: str | None = "20",
               price: str = "230", negotiable: bool = True) -> int:
        """A published listing of pellets in tonnes at `price` EUR, delivered EXW or picked
        up at Riga port (as `tests.catalog.helpers.publish` lists them)."""
        listing = Listing(
            id=len(self.listings) + 1, seller_id=seller_id, status=ListingState.PUBLISHED,
            product_type="pellets", title="ENplus A1 wood pellets", unit="t", currency="EUR",
            quantity_milli=int(Decimal(quantity) * 1000), price_minor=int(Decimal(price) * 100),
            min_order_milli=int(Decimal(min_order) * 1000) if min_order else None,
            negotiable=negotiable, delivery=["pickup", "EXW"], incoterm_place="Riga port",
            city="Riga")
        self.listings[listing.id] = listing
        return listing.id

    def seated(self, account_id: int, roles: tuple[str, ...] = ("buyer",),
               limit: Money | None = None, company: str = "Baltic Heat AS",
               terms: tuple[int, Money] | None = None) -> None:
        """The account buys for a company, with these roles and spending limit; the company
        pays on `terms` (net days, limit) when Agora's finance approved it, owing nothing yet."""
        days, most = terms if terms else (None, None)
        self.seats[account_id] = Seat(CompanyView(1, company, None, None, None, days, None),
                                      roles, limit)
        self.standings[account_id] = on_terms.Standing(
            Company(id=1, name=company), days, most,
            Money(0, most.currency) if most else None, self.at if terms else None)

    # --- the negotiation ----------------------------------------------------------------

    def now(self) -> datetime:
        return self.at

    async def listing(self, listing_id: int) -> Listing | None:
        return self.listings.get(listing_id)

    async def seat(self, buyer_id: int) -> Seat | None:
        return self.seats.get(buyer_id)

    async def accepts(self, seller_id: int) -> Accepts:
        return self.sellers_accept.get(seller_id, Accepts())

    async def credit(self, buyer_id: int) -> on_terms.Standing | None:
        """The company's standing, owing what its deals on terms here are not paid for yet."""
        found = self.standings.get(buyer_id)
        if found is None or found.limit is None:
            return found
        currency = found.limit.currency
        return replace(found, owed=sum((
            rules.line_total(Money(d.price_minor, currency), d.quantity_milli)
            for d in self.deals.values()
            if d.company_id == found.company.id and d.payment_days and d.terms_paid_at is None
            and d.currency == currency and d.status not in on_terms.ENDED), Money(0, currency)))

    async def check_counter(self, offer: Offer, milli: int, price: Money) -> None:
        raise AssertionError("a quote's negotiation keeps to its request on the database "
                             "(test_supply_requests.py)")

    async def put(self, offer: Offer) -> None:
        offer.id = len(self.offers) + 1
        self.offers[offer.id] = offer
        self.expiries[offer.id] = offer.expires_at
        self.events.append(OfferMade(offer.id))

    async def offer(self, offer_id: int) -> Offer | None:
        return self.offers.get(offer_id)

    async def last_offer(self, buyer_id: int) -> Offer | None:
        return next((o for __, o in sorted(self.offers.items(), reverse=True)
                     if o.buyer_id == buyer_id and o.made_by == BUYER), None)

    async def close(self, offer: Offer, status: str, reason: str | None) -> bool:
        kept = self.offers.get(offer.id)
        if kept is None or kept.status != OfferState.OPEN:
            return False
        kept.status, kept.decided_at, kept.reason = status, self.at, reason
        self.expiries.pop(offer.id, None)
        self.events.append(OfferClosed(offer.id, status))
        return True

    async def agree(self, offer: Offer, accepter: str) -> Deal:
        if offer.request_id is not None or offer.call_offs:
            raise AssertionError("quotes' awards and framework contracts are agreed on the "
                                 "database (test_supply_requests.py, tests/contracts/)")
        listing = self.listings[offer.listing_id]
        kept = self.offers.get(offer.id)
        if kept is None or kept.status != OfferState.OPEN:
            raise Conflict("That offer was answered a moment ago; look at it again.")
        if listing.status != ListingState.PUBLISHED or listing.quantity_milli < offer.quantity_milli:
            raise Conflict("Not enough is left on that listing any more.")  # nothing changed
        days = pay_terms.net_days(offer.payment_method)
        if days is not None:  # still within the company's limit
            on_terms.checked(days, rules.line_total(Money(offer.price_minor, offer.currency),
                                                    offer.quantity_milli),
                             self.standings.get(offer.buyer_id), by_buyer=accepter == BUYER)
        await self.close(offer, "accepted", None)
        listing.quantity_milli -= offer.quantity_milli
        if listing.quantity_milli == 0:
            listing.status = ListingState.SOLD_OUT
        return self._deal(offer)

    def _deal(self, offer: Offer) -> Deal:
        seat = self.seats.get(offer.buyer_id)
        deal = Deal(id=len(self.deals) + 1, offer_id=offer.id, listing_id=offer.listing_id,
                    buyer_id=offer.buyer_id, seller_id=offer.seller_id,
                    company_id=seat.company.id if seat else None, status=DEAL_PROCESS.initial,
                    quantity_milli=offer.quantity_milli, price_minor=offer.price_minor,
                    currency=offer.currency, payment_days=pay_terms.net_days(offer.payment_method),
                    created_at=self.at, updated_at=self.at)
        self.deals[deal.id] = deal
        return deal
