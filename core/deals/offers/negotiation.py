"""The storage behind the offers' use cases (`core.deals.offers.service`): a protocol
(`Negotiation`); its SQL implementation on the unit of work is `SqlNegotiation`
(`core.deals.offers.sql_negotiation`), as the requests' register is. Who may answer an offer,
which terms a listing takes, a buyer's spending limit and payment on terms stay with the use
cases; the negotiation reads the listing, the buyer's company seat and payment-on-terms
standing, keeps a new offer (with its expiry timer), closes one by a guarded update answering
whether it did (`close`), and agrees the deal of an accepted offer (`agree`: the quantity taken
from the stock by one conditional update, refused with a Conflict when it is not there).

An accepted quote's award within its request, a framework contract's schedule and the deal's
first frozen terms are `agree`'s on the database (`core.deals.offers.agreement`); the tests'
`MemoryNegotiation` (`tests/deals/offer_fakes.py`) agrees plain deals and refuses the rest
loudly. `tests/deals/test_negotiation_contract.py` holds the two alike. A negotiation lives
inside one unit of work, whose commit stays the caller's."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from core.catalog.tables import Listing
from core.companies.seats import Seat
from core.deals.accepted import Accepts
from core.deals.tables import Deal, Offer
from core.money.model import Money

if TYPE_CHECKING:
    from core.deals.on_terms import Standing


class Negotiation(Protocol):
    """What the offers' use cases ask of storage."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    async def listing(self, listing_id: int) -> Listing | None:
        """The listing an offer is on, in whatever state (who may see it is the use case's)."""
        ...

    async def seat(self, buyer_id: int) -> Seat | None:
        """The buyer's place in a company (roles, spending limit), or None."""
        ...

    async def accepts(self, seller_id: int) -> Accepts:
        """The currencies and ways to pay the seller accepts (empty: everything)."""
        ...

    async def credit(self, buyer_id: int) -> Standing | None:
        """The payment on terms of the buyer's company, its row held until commit so that two
        purchases at once cannot both fit the same room under its limit; None without one."""
        ...

    async def check_counter(self, offer: Offer, milli: int, price: Money) -> None:
        """A counter in a quote's negotiation keeps to its request (open, within what is still
        needed, under the ceiling: `core.deals.request_award.check_counter`)."""
        ...

    async def put(self, offer: Offer) -> None:
        """Keep a new open offer (it has its id from now on), its expiry timer running until
        `expires_at`; `OfferMade` goes out."""
        ...

    async def offer(self, offer_id: int) -> Offer | None:
        ...

    async def last_offer(self, buyer_id: int) -> Offer | None:
        """The newest offer this buyer made (as the buyer, in whatever state): their usual
        terms, as a new offer's defaults."""
        ...

    async def close(self, offer: Offer, status: str, reason: str | None) -> bool:
        """open → `status` only while the offer is open, its timer stopped and `OfferClosed`
        sent; False when it was answered meanwhile. The offer then reads as stored."""
        ...

    async def agree(self, offer: Offer, accepter: str) -> Deal:
        """Close the open offer as accepted, take its quantity (every call-off's) from the
        listing's stock, which sells out at zero, and agree its deal; a Conflict when the
        offer was answered meanwhile or the stock is not there any more."""
        ...
