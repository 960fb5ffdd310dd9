"""What a deal's card reads beside the deal itself (`core.deals.views`): its listing, the
parties' names, the shipment, the current version of the terms, a dispute, a quality report,
whether someone rated it; the operators' queue of undecided disputes; and the dashboard's
open offers and framework contracts beside a member's deals — a protocol
(`DealFolder`) and its SQL implementation on the unit of work (`SqlFolder`). The deal and who
may see it are the deal book's (`core.deals.deal_book`); the tests' `MemoryDeals`
(`tests/deals/deal_fakes.py`) is both, and `tests/deals/test_deal_book_contract.py` holds it
to the SQL ones."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import or_, select

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.deals.contracts.tables import Contract
from core.deals.ratings.tables import Rating
from core.deals.tables import Deal, Dispute, Offer, QualityReport, Shipment
from core.deals.terms import service as terms
from core.deals.terms.tables import DealTerms
from core.process.deals import OfferState
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

    async def version(self, terms_id: int) -> DealTerms | None:
        """One version of a deal's terms, by its number (the one a party accepted)."""
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

    async def open_offers(self, account_id: int, limit: int) -> list[tuple[Offer, str, str]]:
        """Open offers the account made or must answer, newest first, each with its listing's
        title and trade unit (the dashboard's)."""
        ...

    async def contracts(self, account_id: int, limit: int) -> list[tuple[Contract, str]]:
        """The account's framework contracts as buyer or seller, newest first, each with its
        listing's title (the dashboard's)."""
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

    async def version(self, terms_id: int) -> DealTerms | None:
        return await self._uow.get(DealTerms, terms_id)

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

    async def open_offers(self, account_id: int, limit: int) -> list[tuple[Offer, str, str]]:
        stmt = (select(Offer, Listing.title, Listing.unit)
                .join(Listing, Listing.id == Offer.listing_id)
                .where(Offer.status == OfferState.OPEN,
                       or_(Offer.buyer_id == account_id, Offer.seller_id == account_id))
                .order_by(Offer.id.desc()).limit(limit))
        return [(offer, title, unit) for offer, title, unit
                in (await self._uow.session.execute(stmt)).all()]

    async def contracts(self, account_id: int, limit: int) -> list[tuple[Contract, str]]:
        rows = await self._uow.session.execute(select(Contract, Listing.title).join(
            Listing, Listing.id == Contract.listing_id).where(or_(
                Contract.buyer_id == account_id, Contract.seller_id == account_id))
            .order_by(Contract.id.desc()).limit(limit))
        return [(contract, title) for contract, title in rows.all()]
