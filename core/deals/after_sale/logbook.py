"""The storage behind the after-sale use cases: a protocol (`Logbook`); its SQL implementation
on the unit of work is `SqlLogbook` (`core.deals.after_sale.sql_logbook`), as learning's `Shelf`
is. Who may update a shipment, open, answer or decide a dispute, report quality, answer an
adjustment and rate once, the adjustment's and the split's figures, and what a carbon receipt
states stay with the use cases (`service`, `quality_report`, `carbon_receipt`); the logbook
reads the deal and its after-sale rows, keeps new ones and does the guarded writes, answering
whether it wrote: a dispute decided once (`decide`), an adjustment answered once (`answer`).

A deal's move is the deals' own guarded step (`core.deals.deals.take`): the logbook only hands
it on (`take`), and the tests' `MemoryLogbook` (`tests/deals/after_sale_fakes.py`) moves its
deal as the process allows, without the timers, the money or the notices, which stay proven on
the database. Shipments, disputes, quality reports and ratings are mapped rows (`core.deals.
tables`, `core.deals.ratings.tables`): a use case changes one by its attributes, and the fake
keeps the objects. `tests/deals/test_logbook_contract.py` holds the two alike. A logbook lives
inside one unit of work, whose commit stays the caller's."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from core.accounts.billing import Party
from core.catalog.tables import Listing
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal, Dispute, QualityReport, Shipment
from core.events import Event

Row = Shipment | Dispute | QualityReport | Rating


class Logbook(Protocol):
    """What the after-sale use cases ask of storage, of the deals' process and of the bus."""

    def now(self) -> datetime:
        """The unit of work's clock."""
        ...

    def emit(self, event: Event) -> None:
        """An event for the handlers, with the transaction."""
        ...

    async def deal(self, deal_id: int, actor_id: int | None) -> Deal:
        """The deal, for whoever may see it (`core.deals.deals.get`); NotFound otherwise."""
        ...

    async def stored_deal(self, deal_id: int) -> Deal | None:
        """The deal, whoever asks (a dispute's, read by the operator or a party checked after)."""
        ...

    async def role(self, deal: Deal, actor_id: int | None) -> str | None:
        """buyer, seller, admin, system (no actor) or None (`core.deals.deals.role_of`)."""
        ...

    async def take(self, deal_id: int, transition: str, actor_id: int | None) -> Deal:
        """Move the deal by a declared transition (`core.deals.deals.take`), refused as it
        refuses."""
        ...

    async def may(self, actor_id: int | None, action: str) -> bool:
        """Whether the account holds a console role that allows `action` ("decide_disputes")."""
        ...

    async def audit(self, actor_id: int, action: str, subject: str, reason: str,
                    **detail: Any) -> None:
        """One line of the operators' audit trail, in the same transaction."""
        ...

    async def put(self, row: Row) -> None:
        """Keep a new shipment, dispute, quality report or rating; it has its id from now on."""
        ...

    async def shipment(self, deal_id: int) -> Shipment | None:
        ...

    async def dispute(self, dispute_id: int) -> Dispute | None:
        ...

    async def decide(self, dispute_id: int, **decision: object) -> bool:
        """Set the decision's columns on the dispute only while it is undecided (`decided_at`
        none); False when it was decided meanwhile. The dispute then reads as stored."""
        ...

    async def report(self, deal_id: int) -> QualityReport | None:
        """The deal's quality report, if the buyer made one."""
        ...

    async def answer(self, deal_id: int, answer: str) -> bool:
        """Answer the deal's quality report only if unanswered; False otherwise."""
        ...

    async def terms(self, deal_id: int) -> dict[str, Any]:
        """The body of the deal's current frozen terms."""
        ...

    async def rate_once(self, rating: Rating) -> bool:
        """Keep a party's rating of the deal unless they rated it already (one per deal and
        rater: the unique key decides, so two taps at once keep one); False then, and nothing
        else of the transaction is undone."""
        ...

    async def rated(self, deal_id: int) -> int:
        """How many ratings the deal has (both parties: 2)."""
        ...

    async def publish(self, deal_id: int) -> None:
        """Make the deal's ratings visible (`core.deals.ratings.service.publish`: the
        reputations refreshed, both parties told)."""
        ...

    async def owed(self, deal_id: int) -> tuple[int | None, int | None]:
        """The buyer's refund from a split decision, and the adjustment the seller accepted."""
        ...

    async def listing(self, listing_id: int) -> Listing | None:
        """The deal's listing (its product, unit and energy content), if it still exists."""
        ...

    async def parties(self, seller_id: int, buyer_id: int) -> tuple[Party, Party]:
        """How a document names the seller and the buyer."""
        ...
