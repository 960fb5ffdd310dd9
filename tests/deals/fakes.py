"""The requests' register in memory (`core.deals.requests.register.RequestRegister`): bidding,
the close and questions run on it without a database. `test_register_contract.py` holds it to
what the SQL register does. An award here only records the deal it would make (one is made
when the bid's listing still holds the whole quantity); the deals, the money and the races
stay proven on the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from core.catalog.gazetteer import Place
from core.deals.offers.facts import Terms
from core.deals.request_rules import RequestState
from core.deals.requests import service as supply_requests
from core.deals.requests.auction_rules import BIDDING, Bid
from core.deals.requests.drafts import Draft, unsaved
from core.deals.requests.view import Asked, Lot, QuestionView, RequestView, request_view
from core.errors import Conflict
from core.events import Event
from core.money.model import Money

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock


@dataclass
class MemoryListing:
    """A seller's published listing, as far as a request reads it (`unmet`: what it lacks to
    answer the requests it is tried on, when the test says so)."""

    seller_id: int
    product_type: str = "chips"
    quantity: Decimal = Decimal("3000")
    unit: str = "t"
    currency: str = "EUR"
    unmet: tuple[str, ...] = ()


@dataclass
class MemoryQuote:
    """A quote as the offers would hold it."""

    request_id: int
    listing_id: int
    seller_id: int
    terms: Terms
    status: str = "open"
    reason: str | None = None


@dataclass
class MemoryRequests:
    """Requests as their read models in a dict (with how often each was extended), invites in
    a set, listings, bids (with the listing each came from), questions, held deposits, quotes,
    what awards cover and people in dicts; the clock stands still at `at` (tests move it); the
    awards made, the deposits settled and the events kept in lists."""

    at: datetime = START
    people: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # name, zone
    requests: dict[int, RequestView] = field(default_factory=dict)
    extensions: dict[int, int] = field(default_factory=dict)
    invites: set[tuple[int, int]] = field(default_factory=set)
    listings: dict[int, MemoryListing] = field(default_factory=dict)
    terms_approved: dict[int, tuple[str, ...]] = field(default_factory=dict)  # buyer → methods
    limits: dict[int, Money] = field(default_factory=dict)  # buyer → spending limit
    quotes: dict[int, MemoryQuote] = field(default_factory=dict)
    covered: dict[int, int] = field(default_factory=dict)  # request → milli awarded, standing
    placed: dict[int, tuple[int, Bid, int]] = field(default_factory=dict)  # request, bid, lot
    questions: dict[int, Asked] = field(default_factory=dict)
    held: set[tuple[int, int]] = field(default_factory=set)  # (request, seller) deposits
    awards: list[tuple[int, int]] = field(default_factory=list)  # (request, bid)
    settled: list[tuple[int, int | None]] = field(default_factory=list)  # (request, winner)
    events: list[Event] = field(default_factory=list)

    # --- what the tests set up ----------------------------------------------------------

    def person(self, name: str, zone: str | None = None) -> int:
        self.people[len(self.people) + 1] = (name, zone)
        return len(self.people)

    def seller(self, name: str, **listing: object) -> int:
        """A seller with a published listing (of 3,000 t of chips in EUR unless told)."""
        seller_id = self.person(name)
        self.listings[len(self.listings) + 1] = MemoryListing(seller_id, **listing)  # type: ignore[arg-type]
        return seller_id

    def sell_off(self, seller_id: int, left: Decimal) -> None:
        """The seller's stock sells elsewhere: `left` remains in each listing."""
        for listing in self.listings.values():
            if listing.seller_id == seller_id:
                listing.quantity = left

    def _moved(self, request_id: int, **changes: object) -> None:
        self.requests[request_id] = replace(self.requests[request_id], **changes)  # type: ignore[arg-type]

    # --- the register -------------------------------------------------------------------

    def now(self) -> datetime:
        return self.at

    def emit(self, event: Event) -> None:
        self.events.append(event)

    async def request(self, request_id: int, *, fresh: bool = False) -> RequestView | None:
        return self.requests.get(request_id)  # always as stored now

    async def may_answer(self, request_id: int, seller_id: int) -> bool:
        request = self.requests.get(request_id)
        if request is None or seller_id == request.buyer_id:
            return False
        if request.lot:  # a seller's lot: every member but its seller
            return (request_id, seller_id) in self.invites or not request.private
        return (request_id, seller_id) in self.invites or (not request.private and any(
            listing.seller_id == seller_id and listing.product_type == request.product_type
            for listing in self.listings.values()))

    async def mine(self, buyer_id: int, limit: int) -> list[RequestView]:
        return sorted((r for r in self.requests.values() if r.buyer_id == buyer_id),
                      key=lambda r: r.id or 0, reverse=True)[:limit]

    async def invited(self, request_id: int) -> list[int]:
        return sorted(seller for request, seller in self.invites if request == request_id)

    async def country(self, account_id: int) -> str | None:
        return "EE"  # the gazetteer's places: Tartu is found

    async def payment_terms(self, buyer_id: int) -> tuple[str, ...]:
        return self.terms_approved.get(buyer_id, ())

    async def spending_limit(self, buyer_id: int, total: Money) -> Money | None:
        limit = self.limits.get(buyer_id)
        return limit if limit is not None and total > limit else None

    async def matching(self, buyer_id: int, draft: Draft, spot: Place | None,
                       limit: int | None) -> list[int]:
        """Sellers with a listing of the product, in the order they came (the database's
        order, nearest and delivering first, is `test_request_reach`'s)."""
        found = list(dict.fromkeys(listing.seller_id for listing in self.listings.values()
                                   if listing.product_type == draft.product_type
                                   and listing.seller_id != buyer_id))
        return found if limit is None else found[:limit]

    async def put(self, buyer_id: int, draft: Draft, milli: int, place: str,
                  open_for: timedelta, spot: Place | None) -> RequestView:
        row = unsaved(draft)
        row.id, row.buyer_id, row.quantity_milli, row.place = (
            len(self.requests) + 1, buyer_id, milli, place)
        row.deadline, row.status, row.closed_at = self.at + open_for, RequestState.OPEN, None
        self.requests[row.id] = request_view(row)
        self.extensions[row.id] = 0
        return self.requests[row.id]

    async def invite(self, request_id: int, seller_ids: Sequence[int]) -> None:
        self.invites |= {(request_id, seller) for seller in seller_ids}

    async def end_quotes(self, request_id: int, reason: str) -> RequestView:
        request = self.requests.get(request_id)
        if request is not None and request.status == RequestState.AWARDED:
            raise Conflict("That request is awarded in full already: it takes no more quotes "
                           "or further awards.")
        if request is None or request.status != RequestState.OPEN:
            raise Conflict("That request is closed: it takes no more quotes or awards.")
        for quote in self.quotes.values():
            if quote.request_id == request_id and quote.status == "open":
                quote.status, quote.reason = "declined", reason
        self._moved(request_id, status=RequestState.CLOSED)
        return self.requests[request_id]

    async def listing_quote(self, request_id: int, seller_id: int, listing_id: int,
                            price_minor: int) -> Lot | None:
        request, listing = self.requests.get(request_id), self.listings.get(listing_id)
        if request is None or listing is None or listing.seller_id != seller_id or (
                listing.product_type, listing.unit, listing.currency) != (
                request.product_type, request.unit, request.currency):
            return None
        return Lot(listing_id, listing.unmet)

    async def awarded_milli(self, request_id: int) -> int:
        return self.covered.get(request_id, 0)

    async def make_quote(self, request_id: int, listing_id: int, seller_id: int,
                         terms: Terms) -> int:
        self.quotes[len(self.quotes) + 1] = MemoryQuote(request_id, listing_id, seller_id, terms)
        return len(self.quotes)

    async def timezone(self, account_id: int) -> str | None:
        return (self.people.get(account_id) or ("", None))[1]

    async def names(self, account_ids: Sequence[int]) -> dict[int, str]:
        return {a: self.people[a][0] for a in account_ids if a in self.people}

    async def ask(self, request_id: int, asker_id: int, text: str) -> QuestionView:
        question = QuestionView(len(self.questions) + 1, request_id, text, None, True, self.at,
                                None)
        self.questions[question.id] = Asked(asker_id, question)
        return question

    async def question(self, question_id: int) -> Asked | None:
        return self.questions.get(question_id)

    async def answer(self, question_id: int, text: str, public: bool) -> QuestionView | None:
        asked = self.questions.get(question_id)
        if asked is None or asked.question.answer is not None:
            return None
        answered = replace(asked.question, answer=text, public=public, answered_at=self.at)
        self.questions[question_id] = Asked(asked.asker_id, answered)
        return answered

    async def answered(self, request_id: int) -> list[Asked]:
        return [asked for __, asked in sorted(self.questions.items())
                if asked.question.request_id == request_id and asked.question.answer is not None]

    async def bids(self, request_id: int) -> list[Bid]:
        return [bid for request, bid, __ in self.placed.values() if request == request_id]

    async def bid(self, bid_id: int) -> Bid | None:
        placed = self.placed.get(bid_id)
        return placed[1] if placed is not None else None

    async def won(self, request_id: int) -> set[int]:
        return {bid for request, bid in self.awards if request == request_id}

    async def deposit_held(self, request_id: int, seller_id: int) -> bool:
        return (request_id, seller_id) in self.held

    async def lot(self, request_id: int, seller_id: int, price_minor: int) -> Lot | None:
        request = self.requests[request_id]
        fitting = [(listing_id, listing) for listing_id, listing in self.listings.items()
                   if listing.seller_id == seller_id
                   and (listing.product_type, listing.unit, listing.currency) == (
                       request.product_type, request.unit, request.currency)
                   and listing.quantity >= request.quantity]
        best = min(fitting, key=lambda found: (bool(found[1].unmet), -found[1].quantity,
                                               found[0]), default=None)
        return Lot(best[0], best[1].unmet) if best else None

    async def hold_for_bid(self, request_id: int) -> bool:
        found = self.requests.get(request_id)
        return found is not None and found.status == RequestState.OPEN and not found.closed_at

    async def place_bid(self, request_id: int, seller_id: int, listing_id: int,
                        price_minor: int, at: datetime) -> int:
        bid = Bid(len(self.placed) + 1, seller_id, price_minor, at)
        self.placed[bid.id] = (request_id, bid, listing_id)
        self.invites.add((request_id, seller_id))
        return bid.id

    async def extend(self, request_id: int, deadline: datetime) -> None:
        self._moved(request_id, deadline=deadline)
        self.extensions[request_id] += 1

    async def claim_close(self, request_id: int) -> bool:
        request = self.requests.get(request_id)
        if request is None or request.mode not in BIDDING or request.status != RequestState.OPEN \
                or request.closed_at is not None or request.deadline is None \
                or request.deadline > self.at:
            return False
        self._moved(request_id, closed_at=self.at)
        return True

    async def award(self, request_id: int, bid: Bid) -> bool:
        request = self.requests[request_id]
        if self.listings[self.placed[bid.id][2]].quantity < request.quantity:
            return False  # the offer could not be made: the stock is gone
        self.awards.append((request_id, bid.id))
        self.covered[request_id] = int(request.quantity * 1000)
        self._moved(request_id, status=RequestState.AWARDED)
        return True

    async def close_unawarded(self, request_id: int) -> None:
        self._moved(request_id, status=RequestState.CLOSED)

    async def settle_deposits(self, request_id: int, winner_id: int | None) -> None:
        self.held = {(r, s) for r, s in self.held if r != request_id or s == winner_id}
        self.settled.append((request_id, winner_id))


def market() -> tuple[MemoryRequests, int, tuple[int, int, int, int]]:
    """As `test_supply_requests.market`: Hanna (a heating plant, with chips of her own) and four
    sellers: Aivar, Birute and Carl of chips, Dace of pellets only."""
    register = MemoryRequests()
    hanna = register.seller("Hanna")  # her own chips: she is not asked
    sellers = tuple(register.seller(name) for name in ("Aivar", "Birute", "Carl"))
    dace = register.seller("Dace", product_type="pellets")
    return register, hanna, (*sellers, dace)  # type: ignore[return-value]


def put_up(register: MemoryRequests, seller_id: int, **changes: object) -> int:
    """A seller's lot at auction, as `core.deals.requests.lots.put_up` keeps it: 100 t of their
    chips from €20 per t, step €0.10, reserve €21, open a day. Its number."""
    listing_id = next(i for i, listing in register.listings.items()
                      if listing.seller_id == seller_id)
    lot_id = max([*register.requests, 0]) + 1
    eur = Money.parse
    register.requests[lot_id] = RequestView(**{
        "id": lot_id, "buyer_id": seller_id, "product_type": "chips",
        "quantity": Decimal("100"), "unit": "t", "currency": "EUR",
        "max_price": eur("20", "EUR"), "max_price_mwh": None, "quality": (),
        "certifications": (), "incoterm": "EXW", "place": "Riga", "delivery_from": None,
        "delivery_to": None, "payment_method": "escrow",
        "deadline": register.at + timedelta(hours=24), "status": RequestState.OPEN,
        "mode": "auction", "min_step": eur("0.10", "EUR"), "extend_minutes": None,
        "reserve": eur("21", "EUR"), "deposit_pct": None, "deposit": None, "private": False,
        "closed_at": None, "side": "seller", "listing_id": listing_id, **changes})
    register.extensions[lot_id] = 0
    return lot_id


async def posted(register: MemoryRequests, buyer_id: int, **changes: object) -> int:
    """The request posted through the use case (`service.post`) on the register: its number."""
    request = await supply_requests.post(register, buyer_id, asking(**changes))
    assert request.id is not None
    return request.id


def asking(**changes: object) -> Draft:
    """Hanna's request as `test_supply_requests.posted` makes it: 2,000 t of chips to Tartu, at
    most €22 per t, for three days."""
    from core.money.model import Money

    given: dict[str, object] = {
        "product_type": "chips", "quantity": Decimal("2000"), "unit": "t", "place": "Tartu",
        "max_price": Money.parse("22", "EUR"), "deadline_days": "3", **changes}
    return Draft(**given)  # type: ignore[arg-type]
