"""The recommendations' sources in memory (`core.recommend.sources.Sources`): a person's history,
what is on offer, declines and the weekly message's claims in lists and dicts, so picks and
the weekly message run without a database. `test_sources_contract.py` holds them to what the
SQL ones do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.actions import ActionRows
from core.catalog.taxonomy import price_per_mwh_minor
from core.recommend.rules import DEAL_GONE
from core.recommend.sources import (
    Adviser,
    Booked,
    Bought,
    Composed,
    OnOffer,
    Saved,
    Searched,
    SellerRating,
    Watched,
)

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock
COUNTRIES = {"Riga": "LV", "Daugavpils": "LV", "Warsaw": "PL", "Hamburg": "DE"}
ENERGY = {"pellets": "4.8", "chips": "3.2", "briquettes": "4.9", "biochar": "8", "uco": "10.4",
          "biogas": "1"}  # MWh per unit, about


@dataclass
class Stocked:
    """A listing with what decides whether it may be offered at all."""

    offer: OnOffer
    seller_id: int
    energy: str
    price_minor: int
    status: str = "published"
    left_milli: int = 100_000
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Sent:
    account_id: int
    week: str
    text: str
    buttons: ActionRows


@dataclass
class MemorySources:
    """Everything in lists and dicts, the clock standing still at `at` (tests move it)."""

    at: datetime = START
    zones: dict[int, str | None] = field(default_factory=dict)  # people and their time zones
    opted_out: set[int] = field(default_factory=set)  # of the weekly message
    deals: list[tuple[int, str, Bought]] = field(default_factory=list)  # buyer, status, deal
    searches: list[tuple[int, Searched]] = field(default_factory=list)
    saves: list[tuple[int, bool, Saved]] = field(default_factory=list)  # who, active, search
    watches: list[tuple[int, Watched]] = field(default_factory=list)
    bookings: list[tuple[int, Booked]] = field(default_factory=list)  # seeker, booking
    listings: dict[int, Stocked] = field(default_factory=dict)
    ratings: dict[int, SellerRating] = field(default_factory=dict)  # seller → reputation
    profiles: dict[int, tuple[Adviser, str, bool]] = field(default_factory=dict)  # …, name, live
    declines: set[tuple[int, str, int]] = field(default_factory=set)
    claims: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)

    # --- what the tests set up ------------------------------------------------------------

    def add_listing(self, seller_id: int, product: str, town: str, *, price: str = "230",
                    title: str | None = None) -> int:
        """A published listing of `product` in `town`, valid 60 days."""
        energy, price_minor = ENERGY.get(product, "1"), int(Decimal(price) * 100)
        offer = OnOffer(len(self.listings) + 1, title or f"{product.title()} from {town}", town,
                        COUNTRIES[town], product, "EUR",
                        price_per_mwh_minor(price_minor, Decimal(energy)))
        self.listings[offer.id] = Stocked(offer, seller_id, energy, price_minor,
                                          expires_at=self.at + timedelta(days=60))
        return offer.id

    def add_deal(self, buyer_id: int, listing_id: int, days_ago: float,
                 status: str = "closed") -> None:
        """A deal at the listed price, `days_ago`."""
        stocked = self.listings[listing_id]
        self.deals.append((buyer_id, status, Bought(
            self.at - timedelta(days=days_ago), stocked.offer.product_type,
            stocked.offer.country or "", stocked.offer.currency, stocked.price_minor,
            stocked.energy)))

    def add_search(self, account_id: int, product: str, days_ago: float = 1) -> None:
        self.searches.append((account_id, Searched(self.at - timedelta(days=days_ago), product)))

    def add_saved(self, account_id: int, query: dict[str, object], days_ago: float = 2,
                  active: bool = True) -> None:
        self.saves.append((account_id, active,
                           Saved(self.at - timedelta(days=days_ago), dict(query))))

    def add_watch(self, account_id: int, listing_id: int, days_ago: float = 3) -> None:
        offer = self.listings[listing_id].offer
        self.watches.append((account_id, Watched(self.at - timedelta(days=days_ago), offer.id,
                                                 offer.title, offer.product_type,
                                                 offer.country or "")))

    def add_consultant(self, account_id: int, name: str, categories: list[str], *,
                       live: bool = True, stars: tuple[int, int] = (0, 0)) -> int:
        self.profiles[account_id] = (Adviser(account_id, f"{name.title()} advises",
                                             tuple(categories), *stars), name, live)
        return account_id

    def add_session(self, seeker_id: int, consultant_id: int, days_ago: float,
                    status: str = "completed") -> None:
        when = self.at - timedelta(days=days_ago)
        categories = self.profiles[consultant_id][0].categories
        self.bookings.append((seeker_id, Booked(consultant_id, status, when, when, categories)))

    # --- the protocol ---------------------------------------------------------------------

    def now(self) -> datetime:
        return self.at

    async def bought(self, account_id: int, before: datetime) -> list[Bought]:
        return [deal for who, status, deal in self.deals
                if who == account_id and status not in DEAL_GONE and deal.at < before]

    async def searched(self, account_id: int, before: datetime) -> list[Searched]:
        return [s for who, s in self.searches if who == account_id and s.at < before]

    async def saved(self, account_id: int, before: datetime) -> list[Saved]:
        return [s for who, active, s in self.saves if who == account_id and active
                and s.at < before]

    async def watched(self, account_id: int, before: datetime) -> list[Watched]:
        return [w for who, w in self.watches if who == account_id and w.at < before]

    async def booked(self, account_id: int, before: datetime,
                     statuses: Iterable[str]) -> list[Booked]:
        wanted = set(statuses)
        return [b for who, b in self.bookings
                if who == account_id and b.status in wanted and b.created_at < before]

    async def declined(self, account_id: int) -> set[str]:
        return {f"{kind}:{item}" for who, kind, item in self.declines if who == account_id}

    async def decline(self, account_id: int, kind: str, item_id: int) -> bool:
        if (account_id, kind, item_id) in self.declines:
            return False
        self.declines.add((account_id, kind, item_id))
        return True

    async def on_offer(self, account_id: int, products: list[str], countries: list[str],
                       now: datetime) -> list[tuple[OnOffer, SellerRating | None]]:
        return [(s.offer, self.ratings.get(s.seller_id)) for s in self.listings.values()
                if s.status == "published" and s.seller_id != account_id and s.left_milli > 0
                and (s.expires_at is None or s.expires_at > now)
                and (s.offer.product_type in products or s.offer.country in countries)]

    async def advisers(self, account_id: int) -> list[tuple[Adviser, str]]:
        return [(adviser, name) for who, (adviser, name, live) in self.profiles.items()
                if live and who != account_id]

    async def subscribers(self) -> list[tuple[int, str | None]]:
        return sorted((a, zone) for a, zone in self.zones.items() if a not in self.opted_out)

    async def weekly(self, account_id: int, week: str,
                     compose: Callable[[], Awaitable[Composed]]) -> bool:
        if (account_id, week) in self.claims:
            return False
        self.claims[account_id, week], composed = await compose()
        if composed is None:
            return False
        self.sent.append(Sent(account_id, week, *composed))
        return True

    async def set_weekly(self, account_id: int, on: bool) -> None:
        if on:
            self.opted_out.discard(account_id)
        else:
            self.opted_out.add(account_id)


def latvian_pellets_come_first(picks: list[Any], *, bought: tuple[int, int], latvian: int,
                               polish: int, not_offered: tuple[int, ...]) -> None:
    """What a buyer who bought pellets in Latvia twice, from a seller rated 4.8, is offered: the
    Latvian pellets before the Polish, near the price per MWh they paid, and never their own
    listing nor another product sold in their country. Checked on the fake (test_picks.py)
    and on the database (test_scoring.py) alike."""
    order = [p.item_id for p in picks]
    assert order.index(latvian) < order.index(polish)
    assert not set(not_offered) & set(order)  # a country alone is no reason
    top = picks[0]
    assert top.kind == "listing" and top.item_id in (*bought, latvian)
    assert "you bought wood pellets in Latvia twice" in top.reasons
    assert any(r.startswith("near the ") and r.endswith("/MWh you paid") for r in top.reasons)
    assert "seller rated 4.8★" in top.reasons
    polish_pick = next(p for p in picks if p.item_id == polish)
    assert polish_pick.reasons[0] == "you bought wood pellets twice"
