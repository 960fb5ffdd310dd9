"""What a deal's card reads beside the deal itself (`core.deals.views`): its listing, the
parties' names, the shipment, the current version of the terms, a dispute, a quality report,
whether someone rated it, and the operators' queue of undecided disputes — a protocol
(`DealFolder`) and its SQL implementation on the unit of work (`SqlFolder`). The deal and who
may see it are the deal book's (`core.deals.deal_book`); the tests' `MemoryDeals`
(`tests/deals/deal_fakes.py`) is both, and `tests/deals/test_deal_book_contract.py` holds it
to the SQL ones."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal, Dispute, QualityReport, Shipment
from core.deals.terms import service as terms
from core.deals.terms.tables import DealTerms
from core.storage.stores import SqlStore, store_of
from core.storage.uow import UnitOfWork


class DealFolder(Protocol):
    """What a deal's card and the disputes' queue ask of storage."""

    async def listing(self, listing_id: int) -> Listing | None:
        ...

    async def name(self, account_id: int) -> str:
        """The account's display name, with its company in brackets; "?" for none."""
        ...

    async def shipment(self, deal_id: int) -> Shipment | None:
        ...

    async def current_terms(self, deal_id: int) -> DealTerms | None:
        """The deal's latest version of the terms."""
        ...

    async def dispute_of(self, deal_id: int) -> Dispute | None:
        ...

    async def report(self, deal_id: int) -> QualityReport | None:
        ...

    async def rated_by(self, deal_id: int, actor_id: int | None) -> bool:
        """Whether this person rated the deal."""
        ...

    async def dispute(self, dispute_id: int) -> Dispute | None:
        ...

    async def open_disputes(self) -> list[tuple[Dispute, str, str]]:
        """Undecided disputes, oldest first, each with its deal's currency and its listing's
        title."""
        ...


def folder_of(uow: UnitOfWork | DealFolder) -> DealFolder:
    """The folder in `uow` (core.storage.stores)."""
    return store_of(uow, DealFolder, SqlFolder)


class SqlFolder(SqlStore):
    """The card's rows, in the caller's unit of work."""

    async def listing(self, listing_id: int) -> Listing | None:
        return await self._uow.get(Listing, listing_id)

    async def name(self, account_id: int) -> str:
        account = await self._uow.get(Account, account_id)
        if account is None:
            return "?"
        return account.display_name + (f" ({account.company})" if account.company else "")

    async def shipment(self, deal_id: int) -> Shipment | None:
        return await self._uow.get(Shipment, deal_id)

    async def current_terms(self, deal_id: int) -> DealTerms | None:
        return await terms.current(self._uow, deal_id)

    async def dispute_of(self, deal_id: int) -> Dispute | None:
        return (await self._uow.session.execute(
            select(Dispute).where(Dispute.deal_id == deal_id))).scalar()

    async def report(self, deal_id: int) -> QualityReport | None:
        return await self._uow.get(QualityReport, deal_id)

    async def rated_by(self, deal_id: int, actor_id: int | None) -> bool:
        return (await self._uow.session.execute(select(Rating.id).where(
            Rating.deal_id == deal_id, Rating.rater_id == actor_id))).first() is not None

    async def dispute(self, dispute_id: int) -> Dispute | None:
        return await self._uow.get(Dispute, dispute_id)

    async def open_disputes(self) -> list[tuple[Dispute, str, str]]:
        rows = await self._uow.session.execute(select(Dispute, Deal.currency, Listing.title).join(
            Deal, Deal.id == Dispute.deal_id).join(Listing, Listing.id == Deal.listing_id).where(
            Dispute.decided_at.is_(None)).order_by(Dispute.id))
        return [(dispute, currency, title) for dispute, currency, title in rows.all()]
