"""A deal's own record in memory: the deal book (`core.deals.deal_book.DealBook`) and what its
card reads (`core.deals.folder.DealFolder`), on the after-sale logbook's dicts
(`tests/deals/after_sale_fakes.MemoryLogbook`), so that `deals.get`, `deals.take`, the
dashboard's rows and a deal's card run without a database, and the after-sale use cases on the
same deals. A move here is the compare-and-set on the dict; the timers it swaps are recorded as
the state whose timers run (`running`), the VAT fixed and the stock returned as effects named
(`effects`: the money, the stock and the VAT are the database's), the ratings published as the
scoreboard does. The after-sale use cases' moves go through `deals.take` here too.
`test_deal_book_contract.py` holds it to the SQL book and folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.deals import deals
from core.deals.contracts.tables import Contract
from core.deals.tables import Deal, Dispute, Offer
from core.deals.terms.service import fingerprint
from core.deals.terms.tables import DealTerms
from core.process.deals import IN_MOVE, PUBLISH_RATINGS, DealState, OfferState
from core.process.model import Transition
from tests.deals.after_sale_fakes import BOB, EVE, ROOT, SAM, MemoryLogbook

__all__ = ["BOB", "EVE", "ROOT", "SAM", "MemoryDeals"]

TITLE = "ENplus A1 wood pellets"


@dataclass
class MemoryDeals(MemoryLogbook):
    """The logbook's deals, with the people's display names (and companies), the buyer's
    colleagues who see a deal, its versions of the terms, the state whose timers run and the
    effects its moves named."""

    display: dict[int, str] = field(default_factory=lambda: {
        SAM: "Sam", BOB: "Bob", EVE: "Eve", ROOT: "Root"})
    companies: dict[int, str] = field(default_factory=dict)
    colleagues: dict[int, set[int]] = field(default_factory=dict)  # deal → who sees it
    versions: dict[int, DealTerms] = field(default_factory=dict)  # deal → its latest terms
    offers: dict[int, Offer] = field(default_factory=dict)
    frameworks: dict[int, Contract] = field(default_factory=dict)  # framework contracts
    running: dict[int, str] = field(default_factory=dict)  # deal → the state its timers are of
    effects: list[tuple[int, str]] = field(default_factory=list)

    def sale(self, status: str = DealState.TO_SHIP, quantity: str = "100", price: str = "220",
             quality: tuple[dict[str, object], ...] = (), **terms: object) -> int:
        """The logbook's sale, its listing titled as the trading pair's is, version 1 of its
        terms (the logbook's body) accepted by both."""
        deal_id = super().sale(status, quantity, price, quality, **terms)
        self.listings[self.deals[deal_id].listing_id].title = TITLE
        body = self.bodies[deal_id]
        self.versions[deal_id] = DealTerms(
            id=deal_id, deal_id=deal_id, version=1, body=body, sha256=fingerprint(body),
            buyer_accepted_at=self.at, seller_accepted_at=self.at, created_at=self.at)
        self.running[deal_id] = status
        return deal_id

    # --- the deal book ------------------------------------------------------------------

    async def take(self, deal_id: int, transition: str, actor_id: int | None) -> Deal:
        """The logbook's move is the deal's own (`core.deals.deals.take` on this book), and
        recorded as the logbook records it."""
        moved = await deals.take(self, deal_id, transition, actor_id)
        self.moves.append((deal_id, transition, actor_id))
        return moved

    async def stored(self, deal_id: int) -> Deal | None:
        return self.deals.get(deal_id)

    async def colleague_sees(self, deal: Deal, actor_id: int | None) -> bool:
        return actor_id in self.colleagues.get(deal.id, set())

    async def move(self, deal: Deal, step: Transition, source: str) -> bool:
        kept = self.deals.get(deal.id)
        if kept is None or kept.status != source:
            return False
        kept.status, kept.updated_at = step.target, self.at
        self.running[deal.id] = step.target
        self.effects += [(deal.id, e) for e in step.effects if e in IN_MOVE]
        if PUBLISH_RATINGS in step.effects:
            await self.publish(deal.id)
        return True

    async def mine(self, account_id: int, limit: int) -> list[tuple[Deal, str, str]]:
        theirs = sorted((d for d in self.deals.values() if account_id in (d.buyer_id, d.seller_id)),
                        key=lambda d: (d.updated_at, d.id), reverse=True)[:limit]
        return [(d, self.listings[d.listing_id].title,
                 self.display[d.seller_id if d.buyer_id == account_id else d.buyer_id])
                for d in theirs]

    async def stars(self, deal_ids: list[int], account_id: int) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = {}
        for rating in self.ratings.values():
            if rating.deal_id in deal_ids:
                found.setdefault(rating.deal_id, {})[
                    "given" if rating.rater_id == account_id else "got"] = rating.stars
        return found

    # --- the card's folder --------------------------------------------------------------

    async def name(self, account_id: int) -> str:
        if account_id not in self.display:
            return "?"
        company = self.companies.get(account_id)
        return self.display[account_id] + (f" ({company})" if company else "")

    async def current_terms(self, deal_id: int) -> DealTerms | None:
        return self.versions.get(deal_id)

    async def version(self, terms_id: int) -> DealTerms | None:
        return next((v for v in self.versions.values() if v.id == terms_id), None)

    async def dispute_of(self, deal_id: int) -> Dispute | None:
        return next((d for d in self.disputes.values() if d.deal_id == deal_id), None)

    async def rated_by(self, deal_id: int, actor_id: int | None) -> bool:
        return any((r.deal_id, r.rater_id) == (deal_id, actor_id) for r in self.ratings.values())

    def hold(self, row: Offer | Contract) -> int:
        """An offer or a framework contract, as the database would hold it (its id given)."""
        kept: dict[int, Any] = self.offers if isinstance(row, Offer) else self.frameworks
        row.id = len(kept) + 1
        kept[row.id] = row
        return row.id

    async def open_offers(self, account_id: int, limit: int) -> list[tuple[Offer, str, str]]:
        theirs = [o for __, o in sorted(self.offers.items(), reverse=True)
                  if o.status == OfferState.OPEN and account_id in (o.buyer_id, o.seller_id)]
        return [(o, self.listings[o.listing_id].title, self.listings[o.listing_id].unit)
                for o in theirs[:limit]]

    async def contracts(self, account_id: int, limit: int) -> list[tuple[Contract, str]]:
        theirs = [c for __, c in sorted(self.frameworks.items(), reverse=True)
                  if account_id in (c.buyer_id, c.seller_id)]
        return [(c, self.listings[c.listing_id].title) for c in theirs[:limit]]

    async def open_disputes(self) -> list[tuple[Dispute, str, str]]:
        return [(d, self.deals[d.deal_id].currency,
                 self.listings[self.deals[d.deal_id].listing_id].title)
                for __, d in sorted(self.disputes.items()) if d.decided_at is None]
