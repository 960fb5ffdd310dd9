"""The after-sale logbook in memory (`core.deals.after_sale.logbook.Logbook`): shipments,
disputes, quality reports and their adjustment, ratings and carbon receipts run on it without a
database. It keeps the deals' own mapped objects (`Deal`, `Shipment`, `Dispute`,
`QualityReport`, `Rating`, the catalogue's `Listing`), built without a session, so a use case
changes them as it changes rows. A deal moves here as `DEAL_PROCESS` allows (who, from where),
without the timers, the VAT, the stock or the money its moves set going on the database. It is
the ratings' scoreboard too (`core.deals.ratings.scoreboard.Scoreboard`): a publication unveils
its ratings and refreshes the ratees' reputation figures as `core.deals.ratings.service` does,
the parties' notices only recorded. `test_logbook_contract.py` and
`test_scoreboard_contract.py` hold it to the SQL ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError

from core.accounts.billing import Party
from core.catalog.tables import Listing
from core.deals.after_sale.logbook import Row
from core.deals.events import RatingsPublished
from core.deals.ratings import service as ratings
from core.deals.ratings.reputation import Figures, Standing
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal, Dispute, QualityReport, Shipment
from core.errors import NotFound
from core.events import Event
from core.operators.audit import ACTIONS
from core.operators.rules import may
from core.process.deals import BUYER, DEAL_PROCESS, PUBLISH_RATINGS, SELLER, DealState
from core.process.model import ADMIN, STAY, SYSTEM

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # as the tests' FakeClock
SAM, BOB, EVE, ROOT = 1, 2, 3, 4  # the seller, the buyer, a stranger, an administrator


@dataclass
class MemoryLogbook:
    """Deals, listings, parties' names, terms and the after-sale rows in dicts (ids given in
    order), console roles by account (ROOT an administrator); the clock stands still at `at`;
    the moves taken, the publications, the audit lines and the events kept in lists."""

    at: datetime = START
    roles: dict[int, frozenset[str]] = field(default_factory=lambda: {ROOT: frozenset({ADMIN})})
    deals: dict[int, Deal] = field(default_factory=dict)
    listings: dict[int, Listing] = field(default_factory=dict)
    names: dict[int, Party] = field(default_factory=dict)
    bodies: dict[int, dict[str, Any]] = field(default_factory=dict)  # deal → its terms
    shipments: dict[int, Shipment] = field(default_factory=dict)
    disputes: dict[int, Dispute] = field(default_factory=dict)
    reports: dict[int, QualityReport] = field(default_factory=dict)
    ratings: dict[int, Rating] = field(default_factory=dict)
    moves: list[tuple[int, str, int | None]] = field(default_factory=list)
    published: list[int] = field(default_factory=list)
    audited: list[tuple[int, str, str, dict[str, Any]]] = field(default_factory=list)
    stats: dict[int, Figures] = field(default_factory=dict)  # account → reputation kept
    told: list[tuple[int, dict[int, int]]] = field(default_factory=list)  # deal, stars given
    events: list[Event] = field(default_factory=list)

    # --- what the tests set up ----------------------------------------------------------

    def sale(self, status: str = DealState.TO_SHIP, quantity: str = "100", price: str = "220",
             quality: tuple[dict[str, object], ...] = (), **terms: object) -> int:
        """Sam's deal with Bob, in `status`, of `quantity` t of pellets at `price` EUR a
        tonne, its frozen terms naming the `quality` specs (and `terms` beside)."""
        listing = Listing(id=len(self.listings) + 1, seller_id=SAM, product_type="pellets",
                          unit="t", energy_mwh_per_unit=Decimal("4.8"))
        self.listings[listing.id] = listing
        deal_id = len(self.deals) + 1
        self.deals[deal_id] = Deal(
            id=deal_id, listing_id=listing.id, buyer_id=BOB, seller_id=SAM, status=status,
            quantity_milli=int(Decimal(quantity) * 1000), price_minor=int(Decimal(price) * 100),
            currency="EUR", vat_minor=0, payment_days=None, created_at=self.at,
            updated_at=self.at)
        self.bodies[deal_id] = {"quality": list(quality), **terms}
        return deal_id

    # --- the logbook --------------------------------------------------------------------

    def now(self) -> datetime:
        return self.at

    def emit(self, event: Event) -> None:
        self.events.append(event)

    async def deal(self, deal_id: int, actor_id: int | None) -> Deal:
        found = self.deals.get(deal_id)
        if found is None or (await self.role(found, actor_id) is None
                             and not await self.may(actor_id, "view_deals")):
            raise NotFound("That deal doesn't exist.")
        return found

    async def stored_deal(self, deal_id: int) -> Deal | None:
        return self.deals.get(deal_id)

    async def role(self, deal: Deal, actor_id: int | None) -> str | None:
        if actor_id is None:
            return SYSTEM
        if actor_id in (deal.buyer_id, deal.seller_id):
            return BUYER if actor_id == deal.buyer_id else SELLER
        return ADMIN if await self.may(actor_id, "decide_disputes") else None

    async def take(self, deal_id: int, transition: str, actor_id: int | None) -> Deal:
        found = await self.deal(deal_id, actor_id)
        step = DEAL_PROCESS.check(transition, found.status, await self.role(found, actor_id))
        if step.target == STAY:
            raise ValueError(f"{transition} keeps the deal's state: it is not a move")
        found.status, found.updated_at = step.target, self.at
        self.moves.append((deal_id, transition, actor_id))
        if PUBLISH_RATINGS in step.effects:
            await self.publish(deal_id)
        return found

    async def may(self, actor_id: int | None, action: str) -> bool:
        return may(self.roles.get(actor_id or 0, frozenset()), action)

    async def audit(self, actor_id: int, action: str, subject: str, reason: str,
                    **detail: Any) -> None:
        assert action in ACTIONS, action
        self.audited.append((actor_id, action, subject, {"reason": reason, **detail}))

    async def rate_once(self, rating: Rating) -> bool:
        try:
            await self.put(rating)
        except IntegrityError:
            return False
        return True

    async def put(self, row: Row) -> None:
        if isinstance(row, Shipment | QualityReport):
            kept: dict[int, Any] = self.shipments if isinstance(row, Shipment) else self.reports
            if row.deal_id in kept:
                raise _taken("one per deal: the primary key")
            kept[row.deal_id] = row
            return
        kept = self.disputes if isinstance(row, Dispute) else self.ratings
        if isinstance(row, Rating) and any((r.deal_id, r.rater_id) == (row.deal_id, row.rater_id)
                                           for r in self.ratings.values()):
            raise _taken("uq_ratings_deal_rater")
        row.id = len(kept) + 1
        kept[row.id] = row

    async def shipment(self, deal_id: int) -> Shipment | None:
        return self.shipments.get(deal_id)

    async def dispute(self, dispute_id: int) -> Dispute | None:
        return self.disputes.get(dispute_id)

    async def decide(self, dispute_id: int, **decision: object) -> bool:
        dispute = self.disputes.get(dispute_id)
        if dispute is None or dispute.decided_at is not None:
            return False
        for name, value in decision.items():
            setattr(dispute, name, value)
        return True

    async def report(self, deal_id: int) -> QualityReport | None:
        return self.reports.get(deal_id)

    async def answer(self, deal_id: int, answer: str) -> bool:
        report = self.reports.get(deal_id)
        if report is None or report.answer is not None:
            return False
        report.answer = answer
        return True

    async def terms(self, deal_id: int) -> dict[str, Any]:
        return self.bodies[deal_id]

    async def rated(self, deal_id: int) -> int:
        return sum(r.deal_id == deal_id for r in self.ratings.values())

    async def publish(self, deal_id: int) -> None:
        self.published.append(deal_id)
        await ratings.publish(self, deal_id)

    async def owed(self, deal_id: int) -> tuple[int | None, int | None]:
        split = next((d.refund_minor for d in self.disputes.values()
                      if d.deal_id == deal_id and d.outcome == "split"), None)
        report = self.reports.get(deal_id)
        return split, report.adjustment_minor if report and report.answer == "accepted" else None

    async def listing(self, listing_id: int) -> Listing | None:
        return self.listings.get(listing_id)

    async def parties(self, seller_id: int, buyer_id: int) -> tuple[Party, Party]:
        return (self.names.get(seller_id, Party(f"#{seller_id}")),
                self.names.get(buyer_id, Party(f"#{buyer_id}")))

    # --- the scoreboard -----------------------------------------------------------------

    async def unveil(self, deal_id: int, at: datetime) -> list[tuple[int, int]]:
        hidden = [r for r in self.ratings.values()
                  if r.deal_id == deal_id and r.published_at is None]
        for rating in hidden:
            rating.published_at = at
        return [(r.ratee_id, r.stars) for r in hidden]

    async def standing(self, account_id: int) -> Standing:
        mine = await self.published_stars(account_id)
        everyone = [r.stars for r in self.ratings.values() if r.published_at is not None]
        theirs = {d.id for d in self.deals.values() if account_id in (d.seller_id, d.buyer_id)}
        completed = sum(self.deals[d].status in (DealState.COMPLETED, DealState.CLOSED)
                        for d in theirs)
        disputes = sum(d.deal_id in theirs for d in self.disputes.values())
        mean = Decimal(sum(everyone)) / len(everyone) if everyone else None
        return Standing(sum(mine), len(mine), completed, disputes, mean)

    async def keep(self, account_id: int, figures: Figures) -> None:
        self.stats[account_id] = figures

    async def tell(self, deal_id: int, stars: dict[int, int]) -> None:
        self.told.append((deal_id, stars))
        self.events.append(RatingsPublished(deal_id, tuple(sorted(stars.items()))))

    async def published_stars(self, account_id: int) -> list[int]:
        return [r.stars for r in self.ratings.values()
                if r.ratee_id == account_id and r.published_at is not None]


def _taken(key: str) -> IntegrityError:
    """What the database answers a second row its key refuses."""
    return IntegrityError("INSERT", {}, Exception(key))
