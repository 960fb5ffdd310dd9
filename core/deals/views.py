"""The read side of deals for cards in chat: a deal with everything its card shows, an offer
with its previous round, a thread's two names — each for its parties (and admins) only. What
these hand out are read models (core.deals.facts), never table rows."""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog.tables import Listing
from core.deals import deals
from core.deals.deal_book import deal_book_of
from core.deals.facts import (
    DealFacts,
    DisputeFacts,
    OfferListing,
    QualityFacts,
    ShipmentFacts,
    TermsFacts,
    deal_facts,
    dispute_facts,
    offer_listing,
    quality_facts,
    shipment_facts,
    terms_facts,
)
from core.deals.folder import DealFolder, folder_of
from core.deals.freight import view as freight_view
from core.deals.freight.view import FreightFacts
from core.deals.offers import service as offers
from core.deals.offers.facts import OfferFacts, offer_facts
from core.deals.tables import Offer
from core.deals.threads import service as threads
from core.deals.threads.correspondence import correspondence_of
from core.errors import NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class DealView:
    deal: DealFacts
    role: str  # buyer | seller | admin
    title: str
    counterpart: str  # the other party's name (for an admin: "buyer X, seller Y")
    shipment: ShipmentFacts | None
    terms: TermsFacts | None
    dispute: DisputeFacts | None
    quality: QualityFacts | None
    rated: bool  # this person has rated the deal
    freight: FreightFacts | None = None  # its transport asked or booked (core.deals.freight)

    @property
    def unit(self) -> str:
        """The listing's trade unit code, which the deal's quantity is in."""
        return self.deal.unit

    @property
    def quality_refund(self) -> Money | None:
        """What the measured quality gives the buyer back (with the deal's VAT); None when
        nothing was measured outside the tolerances."""
        if self.quality is None or not self.quality.adjustment.amount:
            return None
        return self.quality.refund


async def name_of(uow: UnitOfWork | DealFolder, account_id: int) -> str:
    """The account's display name, with its company in brackets; "?" for none."""
    return await folder_of(uow).name(account_id)


async def deal_view(uow: UnitOfWork, deal_id: int, actor_id: int | None) -> DealView:
    """A deal as its card shows it; NotFound for anyone but its parties and admins."""
    folder = folder_of(uow)
    deal = await deals.get(uow, deal_id, actor_id)
    role = await deals.role_of(uow, deal, actor_id) or ""
    listing = await folder.listing(deal.listing_id)
    if role in ("buyer", "seller"):
        counterpart = await folder.name(deal.seller_id if role == "buyer" else deal.buyer_id)
    else:
        counterpart = _("buyer {buyer}, seller {seller}", buyer=await folder.name(deal.buyer_id),
                        seller=await folder.name(deal.seller_id))
    dispute = await folder.dispute_of(deal_id)
    rated = await folder.rated_by(deal_id, actor_id)
    shipment = await folder.shipment(deal_id)
    version = await folder.current_terms(deal_id)
    quality = await folder.report(deal_id)
    # The transport is the database's (a deal held in memory has none).
    transport = await freight_view.of_deal(uow, deal_id, actor_id) \
        if isinstance(uow, UnitOfWork) else None
    return DealView(deal_facts(deal, listing.unit if listing else ""), role,
                    listing.title if listing else _("a listing"), counterpart,
                    shipment_facts(shipment) if shipment else None,
                    terms_facts(version) if version else None,
                    dispute_facts(dispute, deal.currency) if dispute else None,
                    quality_facts(quality, deal) if quality else None, rated, transport)


@dataclass(frozen=True)
class OfferView:
    offer: OfferFacts
    role: str
    listing: OfferListing
    previous: OfferFacts | None


async def offer_view(uow: UnitOfWork, offer_id: int, actor_id: int | None) -> OfferView:
    """An offer with its listing and the round it answers, for its two parties only."""
    offer, role = await offers.get(uow, offer_id, actor_id)
    listing = await uow.get(Listing, offer.listing_id)
    assert listing is not None
    previous = await uow.get(Offer, offer.previous_id) if offer.previous_id else None
    return OfferView(offer_facts(offer), role, offer_listing(listing),
                     offer_facts(previous) if previous else None)


async def thread_names(uow: UnitOfWork, thread_id: int, actor_id: int | None) -> tuple[str, str]:
    """The other party's name and the listing's title, for a party of the thread."""
    thread = await threads.get(uow, thread_id, actor_id)
    other = thread.seller_id if thread.buyer_id == actor_id else thread.buyer_id
    title = await correspondence_of(uow).title(thread.listing_id)
    return await name_of(uow, other), title or _("a listing")


async def open_disputes(uow: UnitOfWork, admin_id: int | None
                        ) -> list[tuple[DisputeFacts, str]]:
    """Undecided disputes, oldest first, with the listing's title: the operators' queue."""
    await _require(uow, admin_id)
    return [(dispute_facts(d, currency), t)
            for d, currency, t in await folder_of(uow).open_disputes()]


async def dispute_view(uow: UnitOfWork, dispute_id: int, admin_id: int | None
                       ) -> tuple[DisputeFacts, DealView, list[str]]:
    """A dispute for an operator: the deal's card data and the last messages of its thread."""
    await _require(uow, admin_id)
    dispute = await folder_of(uow).dispute(dispute_id)
    if dispute is None:
        raise NotFound(_("That dispute doesn't exist."))
    view = await deal_view(uow, dispute.deal_id, admin_id)
    thread = await threads.of_listing(uow, view.deal.listing_id, view.deal.buyer_id)
    said: list[str] = []
    if thread is not None:
        messages = await threads.history(uow, thread.id, view.deal.buyer_id)
        for m in reversed(messages[:10]):
            said.append(_("buyer: {text}", text=m.text[:200]) if m.sender_id == view.deal.buyer_id
                        else _("seller: {text}", text=m.text[:200]))
    return dispute_facts(dispute, view.deal.currency), view, said


async def _require(uow: UnitOfWork, admin_id: int | None) -> None:
    """Operators who may see deals only (core.operators.roles.require, through the book)."""
    if not await deal_book_of(uow).may(admin_id, "view_deals"):
        raise NotAllowed(_("That is for administrators."))
