"""The read side of framework contracts: a contract's card (its schedule with each call-off's
status, delivered against the total), a person's contracts for `/deals`, and the terms a
renewal starts from — each for the contract's parties (and admins) only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import or_, select

from core.catalog.tables import Listing
from core.deals import call_offs, contracts
from core.deals.cards import quantity
from core.deals.deals import total
from core.deals.offers import Terms, terms_of_offer
from core.i18n import _
from core.process.deals import BUYER, CONTRACT_STATES, SELLER, STATE_LABELS

__all__ = ["CONTRACT_STATES", "ContractView", "contract_view", "my_contracts", "renewal"]
from core.deals.tables import Contract, Offer
from core.deals.views import name_of
from core.errors import NotAllowed, NotFound
from core.money.model import Money
from core.storage.uow import UnitOfWork

DELIVERED = ("completed", "closed")


@dataclass(frozen=True)
class CallOffRow:
    number: int
    day: date
    deal_id: int | None  # None: not called off yet
    status: str  # the deal's status, or "scheduled"


@dataclass(frozen=True)
class ContractView:
    contract: Contract
    role: str  # buyer | seller | admin
    title: str
    unit: str
    counterpart: str
    rows: list[CallOffRow]
    first_deal_id: int | None

    @property
    def delivered(self) -> int:
        return sum(1 for r in self.rows if r.status in DELIVERED)


async def contract_view(uow: UnitOfWork, contract_id: int, actor_id: int | None) -> ContractView:
    """A contract as its card shows it; NotFound for anyone but its parties and admins."""
    contract, role = await contracts.get(uow, contract_id, actor_id)
    listing = await uow.session.get(Listing, contract.listing_id)
    if role in (BUYER, SELLER):
        counterpart = await name_of(uow, contract.seller_id if role == BUYER
                                    else contract.buyer_id)
    else:
        counterpart = (f"buyer {await name_of(uow, contract.buyer_id)}, seller "
                       f"{await name_of(uow, contract.seller_id)}")
    called = {d.call_off: d for d in await contracts.call_off_deals(uow, contract.id)}
    rows = [CallOffRow(n, call_offs.date_of(contract.first_date, contract.every, n),
                       called[n].id if n in called else None,
                       called[n].status if n in called else
                       ("scheduled" if contract.status in ("proposed", "active") else "not called"))
            for n in range(1, contract.call_offs + 1)]
    return ContractView(contract, role, listing.title if listing else "a listing",
                        listing.unit if listing else "", counterpart, rows,
                        called[1].id if 1 in called else None)


def contract_text(view: ContractView) -> str:
    """The card: what, with whom, the schedule with each call-off's status, delivered vs total."""
    c = view.contract
    each = quantity(c.quantity_milli, view.unit)
    price = Money(c.price_minor, c.currency)
    who = (f"You are the {view.role}; the {'seller' if view.role == BUYER else 'buyer'} is "
           f"{view.counterpart}." if view.role in (BUYER, SELLER) else
           f"Parties: {view.counterpart}.")
    lines = [f"📑 Contract #{c.id}: {view.title}", who,
             f"{call_offs.words(c.call_offs, c.every)} of {each} × {price} "
             f"= {total(c)} each",  # type: ignore[arg-type]
             f"Status: {CONTRACT_STATES.get(c.status, c.status)}",
             f"Delivered: {quantity(c.quantity_milli * view.delivered, view.unit)} of "
             f"{quantity(c.quantity_milli * c.call_offs, view.unit)} "
             f"({view.delivered} of {c.call_offs} call-offs)"]
    for row in view.rows:
        status = STATE_LABELS.get(row.status, row.status)
        deal = f" — deal #{row.deal_id}" if row.deal_id else ""
        lines.append(f"{row.number}. {row.day.isoformat()}{deal}: {status}")
    return "\n".join(lines)


async def my_contracts(uow: UnitOfWork, account_id: int) -> list[tuple[Contract, str]]:
    """This person's contracts, newest first, with the listing's title."""
    rows = (await uow.session.execute(select(Contract, Listing.title).join(
        Listing, Listing.id == Contract.listing_id).where(or_(
            Contract.buyer_id == account_id, Contract.seller_id == account_id))
        .order_by(Contract.id.desc()).limit(20))).all()
    return [(contract, title) for contract, title in rows]


async def renewal(uow: UnitOfWork, contract_id: int, actor_id: int) -> tuple[Contract, str, Terms]:
    """What a renewal offers: the contract's terms again (same quantity, price, delivery,
    payment and schedule), starting one interval after its last call-off; for its parties."""
    contract, role = await contracts.get(uow, contract_id, actor_id)
    if role not in (BUYER, SELLER):
        raise NotAllowed(_("Only the parties renew a contract."))
    offer = await uow.session.get(Offer, contract.offer_id)
    if offer is None:
        raise NotFound(_("That contract's terms are gone."))
    old = terms_of_offer(offer)
    start = call_offs.date_of(contract.first_date, contract.every, contract.call_offs + 1)
    start = max(start, uow.clock.now().date())
    window = (offer.delivery_to - offer.delivery_from) if offer.delivery_from and \
        offer.delivery_to else timedelta(days=30)
    return contract, role, Terms(Decimal(old.quantity), old.price, old.incoterm, old.place,
                                 start, start + window, old.payment_method,
                                 call_offs=old.call_offs, call_off_every=old.call_off_every)
