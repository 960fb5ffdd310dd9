"""Framework contracts: one negotiation, one set of frozen terms accepted once, delivered in
scheduled call-offs. Each call-off is an ordinary deal run by the deal process — its own escrow,
payment, shipment, confirmation and release — so one call-off's failure touches no other.

Accepting a contract offer agrees call-off 1 with the contract (the whole quantity is reserved
from the listing); when both accept call-off 1's terms the contract starts and its timer calls
off the next one on each date, copying the accepted terms (same body, same fingerprint)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.catalog.events import ListingChanged
from core.catalog.rules import ListingState
from core.catalog.tables import Listing
from core.deals import call_offs, deals
from core.deals.contracts.tables import Contract
from core.deals.events import ContractMoved, DealMoved
from core.deals.index_pricing import call_off_price
from core.deals.tables import Deal, Offer
from core.deals.terms import service as deal_terms
from core.deals.terms.tables import DealTerms
from core.errors import Conflict, NotFound
from core.i18n import _
from core.money.model import Money
from core.operators.roles import is_admin
from core.process import timers
from core.process.deals import BUYER, CONTRACT_PROCESS, DEAL_PROCESS, SELLER, ContractState
from core.process.model import ADMIN
from core.storage.uow import UnitOfWork


def first_date(uow: UnitOfWork, offer: Offer) -> date:
    """Call-off 1's date: the start of the offer's delivery window, or today."""
    return offer.delivery_from or uow.clock.now().date()


async def open_for(uow: UnitOfWork, offer: Offer) -> Contract:
    """The contract an accepted offer with call-offs agrees (call-off 1 is agreed with it)."""
    now = uow.clock.now()
    contract = Contract(offer_id=offer.id, listing_id=offer.listing_id, buyer_id=offer.buyer_id,
                        seller_id=offer.seller_id, status=CONTRACT_PROCESS.initial,
                        quantity_milli=offer.quantity_milli, price_minor=offer.price_minor,
                        currency=offer.currency, call_offs=offer.call_offs or 0,
                        price_index=offer.price_index,
                        index_premium_minor=offer.index_premium_minor,
                        every=offer.call_off_every or "month",
                        first_date=first_date(uow, offer), called=1, created_at=now,
                        updated_at=now)
    await uow.insert(contract)
    return contract


async def role_of(uow: UnitOfWork, contract: Contract, actor_id: int | None) -> str | None:
    if actor_id == contract.buyer_id:
        return BUYER
    if actor_id == contract.seller_id:
        return SELLER
    return ADMIN if actor_id is not None and await is_admin(uow, actor_id) else None


async def get(uow: UnitOfWork, contract_id: int, actor_id: int | None) -> tuple[Contract, str]:
    """The contract and the actor's role (buyer, seller, admin); NotFound for anyone else."""
    contract = await uow.get(Contract, contract_id)
    role = await role_of(uow, contract, actor_id) if contract is not None else None
    if contract is None or role is None:
        raise NotFound(_("That contract doesn't exist."))
    return contract, role


async def call_off_deals(uow: UnitOfWork, contract_id: int) -> list[Deal]:
    """The contract's call-offs created so far, in order."""
    return list((await uow.session.execute(select(Deal).where(
        Deal.contract_id == contract_id).order_by(Deal.call_off))).scalars())


async def _proposed_of(uow: UnitOfWork, event: DealMoved) -> tuple[Deal, Contract] | None:
    """Call-off 1 and its contract, while the contract is still only proposed."""
    deal = await uow.get(Deal, event.deal_id)
    if deal is None or deal.contract_id is None or deal.call_off != 1:
        return None
    contract = await uow.get(Contract, deal.contract_id)
    if contract is None or contract.status != ContractState.PROPOSED:
        return None
    return deal, contract


async def start_on_accepted(uow: UnitOfWork, event: DealMoved) -> None:
    """In the deal's transaction (the deal's "start-contract"): call-off 1's terms accepted by
    both start the contract."""
    found = await _proposed_of(uow, event)
    if found is None:
        return
    deal, contract = found
    version = await deal_terms.current(uow, deal.id)
    if await _move(uow, contract, "activate", terms_id=version.id if version else None):
        timers.start(uow, CONTRACT_PROCESS, contract.id, "active",
                     due={"call-off": _due(contract, 2)})


async def lapse_on_cancelled(uow: UnitOfWork, event: DealMoved) -> None:
    """In the deal's transaction (the deal's "lapse-contract"): call-off 1 cancelled before its
    terms were accepted lets the contract lapse."""
    found = await _proposed_of(uow, event)
    if found is not None and await _move(uow, found[1], "lapse"):
        await _return(uow, found[1], found[1].call_offs - 1)  # call-off 1 returned its own


async def call_off(uow: UnitOfWork, contract_id: int) -> int | None:
    """The contract's next call-off, due now: a deal created from the accepted terms and moved
    straight to payment (its escrow opens as any deal's does); the timer then waits for the
    next date, or the contract ends with its last call-off. None when there is nothing to call
    (the contract moved on, or another worker called it)."""
    contract = await uow.get(Contract, contract_id, populate_existing=True)
    if contract is None or contract.status != ContractState.ACTIVE or contract.called >= contract.call_offs:
        return None
    number = contract.called + 1
    now = uow.clock.now()
    counted = await uow.session.execute(update(Contract).where(
        Contract.id == contract.id, Contract.status == ContractState.ACTIVE, Contract.called == number - 1)
        .values(called=number, updated_at=now))
    if counted.rowcount != 1:  # type: ignore[attr-defined]
        return None
    set_committed_value(contract, "called", number)
    accepted = await uow.get(DealTerms, contract.terms_id)
    if accepted is None:
        raise Conflict(_("Contract #{id} has no accepted terms to call off.", id=contract.id))
    first = (await uow.session.execute(select(Deal.company_id).where(
        Deal.contract_id == contract.id, Deal.call_off == 1))).scalar()
    deal = Deal(offer_id=None, listing_id=contract.listing_id, contract_id=contract.id,
                call_off=number, buyer_id=contract.buyer_id, seller_id=contract.seller_id,
                company_id=first,  # the company the contract was made for
                status=DEAL_PROCESS.initial, quantity_milli=contract.quantity_milli,
                **(await call_off_price(uow, contract.price_index, contract.index_premium_minor,
                                        Money(contract.price_minor, contract.currency))
                   ).columns(),
                currency=contract.currency, created_at=now, updated_at=now)
    await uow.insert(deal)
    timers.start(uow, DEAL_PROCESS, deal.id, deal.status)
    uow.add(DealTerms(deal_id=deal.id, version=1, body=accepted.body, sha256=accepted.sha256,
                      buyer_accepted_at=accepted.buyer_accepted_at,
                      seller_accepted_at=accepted.seller_accepted_at, created_at=now))
    await deals.take(uow, deal.id, "accept-terms", None)  # accepted once, for the contract
    if number == contract.call_offs:
        await _move(uow, contract, "end")
    else:
        await timers.restart(uow, CONTRACT_PROCESS, contract.id, "active",
                             due={"call-off": _due(contract, number + 1)})
    uow.emit(ContractMoved(contract.id, "call-off", deal.id))
    return deal.id


def _due(contract: Contract, number: int) -> datetime:
    return call_offs.due_at(contract.first_date, contract.every, number)


async def _move(uow: UnitOfWork, contract: Contract, transition: str, **values: object) -> bool:
    """The system's `transition`, guarded by a conditional update on the status."""
    source = contract.status
    target = CONTRACT_PROCESS.target_from(transition, source)
    CONTRACT_PROCESS.check(transition, source, "system")
    moved = await uow.session.execute(update(Contract).where(
        Contract.id == contract.id, Contract.status == source)
        .values(status=target, updated_at=uow.clock.now(), **values))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(contract, "status", target)
    for name, value in values.items():
        set_committed_value(contract, name, value)
    if target != source:
        await timers.stop(uow, CONTRACT_PROCESS, contract.id, source)
    if transition != "call-off":
        uow.emit(ContractMoved(contract.id, transition, None))
    return True


async def _return(uow: UnitOfWork, contract: Contract, loads: int) -> None:
    """Call-offs that will never be called give their reserved quantity back to the listing."""
    if loads <= 0:
        return
    await uow.session.execute(update(Listing).where(Listing.id == contract.listing_id).values(
        quantity_milli=Listing.quantity_milli + contract.quantity_milli * loads,
        status=Listing.status, updated_at=uow.clock.now()))
    await uow.session.execute(update(Listing).where(
        Listing.id == contract.listing_id, Listing.status == ListingState.SOLD_OUT,
        Listing.quantity_milli > 0).values(status=ListingState.PUBLISHED))
    uow.emit(ListingChanged(contract.listing_id, "published"))
