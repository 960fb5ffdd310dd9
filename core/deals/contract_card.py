"""The read side of framework contracts: a contract's card (its schedule with each call-off's
status, delivered against the total), a person's contracts for `/deals`, and the terms a
renewal starts from — each for the contract's parties (and admins) only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.catalog.tables import Listing
from core.deals import call_offs
from core.deals.cards import quantity
from core.deals.contracts import service as contracts
from core.deals.deals import total
from core.deals.offers.facts import Terms, terms_of_offer
from core.i18n import N_, _, n_, present
from core.process.deals import BUYER, CONTRACT_STATES, SELLER, STATE_LABELS, ContractState

__all__ = ["CONTRACT_STATES", "ContractSummary", "ContractView", "contract_view", "my_contracts",
           "renewal"]
from core.deals.contracts.tables import Contract
from core.deals.folder import folder_of
from core.deals.tables import Offer
from core.deals.views import name_of
from core.errors import NotAllowed, NotFound
from core.money.model import Money
from core.storage.uow import UnitOfWork

DELIVERED = ("completed", "closed")
# A call-off not called off yet, as its row on the card says it.
NOT_CALLED = {"scheduled": N_("scheduled"), "not called": N_("not called")}


@dataclass(frozen=True)
class ContractSummary:
    """A contract as flows read it: its parties, state, schedule (`call_offs` deliveries of
    `quantity_milli` thousandths of the listing's unit, one every `every` from `first_date`;
    `called` of them called off so far) and price; core keeps the row."""

    id: int
    listing_id: int
    buyer_id: int
    seller_id: int
    status: str  # proposed | active | ended | cancelled
    call_offs: int
    called: int
    every: str
    first_date: date
    quantity_milli: int  # each call-off
    price: Money  # per unit
    each_total: Money  # one call-off's goods, without VAT
    price_index: str | None = None  # indexed: each call-off at the index plus the premium
    index_premium: Money | None = None


def contract_summary(contract: Contract) -> ContractSummary:
    """The read model of a contract's row."""
    return ContractSummary(
        contract.id, contract.listing_id, contract.buyer_id, contract.seller_id, contract.status,
        contract.call_offs, contract.called, contract.every, contract.first_date,
        contract.quantity_milli, Money(contract.price_minor, contract.currency),
        total(contract),  # type: ignore[arg-type]  # a contract prices like a deal
        contract.price_index, Money(contract.index_premium_minor or 0, contract.currency)
        if contract.price_index else None)


@dataclass(frozen=True)
class CallOffRow:
    number: int
    day: date
    deal_id: int | None  # None: not called off yet
    status: str  # the deal's status, or "scheduled"


@dataclass(frozen=True)
class ContractView:
    contract: ContractSummary
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
    listing = await uow.get(Listing, contract.listing_id)
    if role in (BUYER, SELLER):
        counterpart = await name_of(uow, contract.seller_id if role == BUYER
                                    else contract.buyer_id)
    else:
        counterpart = _("buyer {buyer}, seller {seller}",
                        buyer=await name_of(uow, contract.buyer_id),
                        seller=await name_of(uow, contract.seller_id))
    called = {d.call_off: d for d in await contracts.call_off_deals(uow, contract.id)}
    rows = [CallOffRow(n, call_offs.date_of(contract.first_date, contract.every, n),
                       called[n].id if n in called else None,
                       called[n].status if n in called else
                       ("scheduled" if contract.status in (ContractState.PROPOSED,
                                                           ContractState.ACTIVE)
                        else "not called"))
            for n in range(1, contract.call_offs + 1)]
    return ContractView(contract_summary(contract), role, listing.title if listing else _("a listing"),
                        listing.unit if listing else "", counterpart, rows,
                        called[1].id if 1 in called else None)


def contract_text(view: ContractView) -> str:
    """The card: what, with whom, the schedule with each call-off's status, delivered vs total."""
    c = view.contract
    each = quantity(c.quantity_milli, view.unit)
    counterpart = view.counterpart
    who = (_("You are the buyer; the seller is {counterpart}.", counterpart=counterpart)
           if view.role == BUYER else
           _("You are the seller; the buyer is {counterpart}.", counterpart=counterpart)
           if view.role == SELLER else _("Parties: {counterpart}.", counterpart=counterpart))
    state = CONTRACT_STATES.get(c.status)
    lines = [_("📑 Contract #{id}: {title}", id=c.id, title=view.title), who,
             _("{schedule} of {each} × {price} = {total} each",
               schedule=call_offs.words(c.call_offs, c.every), each=each, price=c.price,
               total=c.each_total),
             *([call_offs.index_rule(c.price_index, c.index_premium or Money(0, c.price.currency))]
               if c.price_index else []),
             _("Status: {status}", status=_(state) if state else c.status),
             n_("Delivered: {delivered} of {in_all} ({done} of {n} call-off)",
                "Delivered: {delivered} of {in_all} ({done} of {n} call-offs)", c.call_offs,
                delivered=quantity(c.quantity_milli * view.delivered, view.unit),
                in_all=quantity(c.quantity_milli * c.call_offs, view.unit), done=view.delivered)]
    for row in view.rows:
        label = STATE_LABELS.get(row.status) or NOT_CALLED.get(row.status)
        status = _(label) if label else row.status
        if row.deal_id:
            lines.append(_("{number}. {day} — deal #{deal}: {status}", number=row.number,
                           day=present.day(row.day), deal=row.deal_id, status=status))
        else:
            lines.append(f"{row.number}. {present.day(row.day)}: {status}")
    return "\n".join(lines)


async def my_contracts(uow: UnitOfWork, account_id: int) -> list[tuple[ContractSummary, str]]:
    """This person's contracts, newest first, with the listing's title."""
    return [(contract_summary(contract), title)
            for contract, title in await folder_of(uow).contracts(account_id, 20)]


async def renewal(uow: UnitOfWork, contract_id: int, actor_id: int
                  ) -> tuple[ContractSummary, str, Terms]:
    """What a renewal offers: the contract's terms again (same quantity, price, delivery,
    payment and schedule), starting one interval after its last call-off; for its parties."""
    contract, role = await contracts.get(uow, contract_id, actor_id)
    if role not in (BUYER, SELLER):
        raise NotAllowed(_("Only the parties renew a contract."))
    offer = await uow.get(Offer, contract.offer_id)
    if offer is None:
        raise NotFound(_("That contract's terms are gone."))
    old = terms_of_offer(offer)
    start = call_offs.date_of(contract.first_date, contract.every, contract.call_offs + 1)
    start = max(start, uow.clock.now().date())
    window = (offer.delivery_to - offer.delivery_from) if offer.delivery_from and \
        offer.delivery_to else timedelta(days=30)
    return contract_summary(contract), role, Terms(Decimal(old.quantity), old.price, old.incoterm, old.place,
                                 start, start + window, old.payment_method,
                                 call_offs=old.call_offs, call_off_every=old.call_off_every,
                                 price_index=old.price_index, index_premium=old.index_premium)
