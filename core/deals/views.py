"""The read side of deals for cards in chat: a deal with everything its card shows, an offer
with its previous round, a thread's two names — each for its parties (and admins) only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.deals import deals, offers, sale_vat, terms, threads
from core.deals.tables import Deal, DealTerms, Dispute, Offer, QualityReport, Rating, Shipment
from core.errors import NotFound
from core.i18n import _
from core.money.model import Money
from core.operators.roles import require
from core.storage.uow import UnitOfWork

DealRow = Deal  # a deal as the flows hold it (they import no tables)


@dataclass
class DealView:
    deal: Deal
    role: str  # buyer | seller | admin
    title: str
    unit: str
    counterpart: str  # the other party's name (for an admin: "buyer X, seller Y")
    shipment: Shipment | None
    terms: DealTerms | None
    dispute: Dispute | None
    quality: QualityReport | None
    rated: bool  # this person has rated the deal

    @property
    def quality_refund(self) -> Money | None:
        """What the measured quality gives the buyer back (with the deal's VAT); None when
        nothing was measured outside the tolerances."""
        if self.quality is None or not self.quality.adjustment_minor:
            return None
        return sale_vat.refund_of(self.deal, self.quality.adjustment_minor)


async def name_of(uow: UnitOfWork, account_id: int) -> str:
    account = await uow.session.get(Account, account_id)
    if account is None:
        return "?"
    return account.display_name + (f" ({account.company})" if account.company else "")


async def deal_view(uow: UnitOfWork, deal_id: int, actor_id: int | None) -> DealView:
    """A deal as its card shows it; NotFound for anyone but its parties and admins."""
    deal = await deals.get(uow, deal_id, actor_id)
    role = await deals.role_of(uow, deal, actor_id) or ""
    listing = await uow.session.get(Listing, deal.listing_id)
    if role in ("buyer", "seller"):
        counterpart = await name_of(uow, deal.seller_id if role == "buyer" else deal.buyer_id)
    else:
        counterpart = _("buyer {buyer}, seller {seller}", buyer=await name_of(uow, deal.buyer_id),
                        seller=await name_of(uow, deal.seller_id))
    dispute = (await uow.session.execute(select(Dispute).where(Dispute.deal_id == deal_id))).scalar()
    rated = (await uow.session.execute(select(Rating.id).where(
        Rating.deal_id == deal_id, Rating.rater_id == actor_id))).first() is not None
    return DealView(deal, role, listing.title if listing else _("a listing"),
                    listing.unit if listing else "", counterpart,
                    await uow.session.get(Shipment, deal_id), await terms.current(uow, deal_id),
                    dispute, await uow.session.get(QualityReport, deal_id), rated)


@dataclass
class OfferView:
    offer: Offer
    role: str
    listing: Listing
    previous: Offer | None


async def offer_view(uow: UnitOfWork, offer_id: int, actor_id: int | None) -> OfferView:
    """An offer with its listing and the round it answers, for its two parties only."""
    offer, role = await offers.get(uow, offer_id, actor_id)
    listing = await uow.session.get(Listing, offer.listing_id)
    assert listing is not None
    previous = await uow.session.get(Offer, offer.previous_id) if offer.previous_id else None
    return OfferView(offer, role, listing, previous)


async def thread_names(uow: UnitOfWork, thread_id: int, actor_id: int | None) -> tuple[str, str]:
    """The other party's name and the listing's title, for a party of the thread."""
    thread = await threads.get(uow, thread_id, actor_id)
    other = thread.seller_id if thread.buyer_id == actor_id else thread.buyer_id
    listing = await uow.session.get(Listing, thread.listing_id)
    return await name_of(uow, other), listing.title if listing else _("a listing")


async def open_disputes(uow: UnitOfWork, admin_id: int | None) -> list[tuple[Dispute, str]]:
    """Undecided disputes, oldest first, with the listing's title: the operators' queue."""
    await require(uow, admin_id, "view_deals")
    rows = await uow.session.execute(select(Dispute, Listing.title).join(
        Deal, Deal.id == Dispute.deal_id).join(Listing, Listing.id == Deal.listing_id).where(
        Dispute.decided_at.is_(None)).order_by(Dispute.id))
    return [(d, t) for d, t in rows.all()]


async def dispute_view(uow: UnitOfWork, dispute_id: int, admin_id: int | None
                       ) -> tuple[Dispute, DealView, list[str]]:
    """A dispute for an operator: the deal's card data and the last messages of its thread."""
    await require(uow, admin_id, "view_deals")
    dispute = await uow.session.get(Dispute, dispute_id)
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
    return dispute, view, said
