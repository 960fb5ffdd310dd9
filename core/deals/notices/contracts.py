"""What the parties of a framework contract hear: the contract started (with its schedule) or
lapsed, each call-off coming (its date and quantity, in each person's zone), and the contract
ending with its last call-off, with Renew — notices written to the outbox in the emitting
transaction (the first two as builders named by core.process.deals, core.deals.notices.book)."""

from __future__ import annotations

from datetime import datetime

from core.actions import Action, ActionRows
from core.catalog.tables import Listing
from core.deals import call_offs, sale_vat
from core.deals.cards import quantity
from core.deals.contracts.tables import Contract
from core.deals.deals import total
from core.deals.intents import DealIntent
from core.deals.notices.timers import when_for
from core.deals.tables import Deal
from core.i18n import N_, _, present
from core.notifications.outbox import addressed_to, notify, recipients
from core.process.notices import Moved
from core.storage.uow import UnitOfWork


def view_button(contract_id: int) -> Action:
    return Action(DealIntent.VIEW_CONTRACT, N_("📑 Open the contract"), str(contract_id))


def renew_button(contract_id: int) -> Action:
    return Action(DealIntent.RENEW_CONTRACT, N_("🔁 Renew"), str(contract_id))


async def _about(uow: UnitOfWork, contract: Contract) -> tuple[str, str]:
    """(“Contract #3 (“ENplus A1 pellets”)”, the quantity of one call-off in words)."""
    listing = await uow.get(Listing, contract.listing_id)
    title, unit = (listing.title, listing.unit) if listing else (_("a listing"), "")
    return (_("Contract #{id} (“{title}”)", id=contract.id, title=title),
            quantity(contract.quantity_milli, unit))


async def label(uow: UnitOfWork, deal: Deal) -> str:
    """How a call-off deal is named in its notices: “call-off 2 of 3, contract #1”."""
    contract = await uow.get(Contract, deal.contract_id) if deal.contract_id else None
    return _("call-off {number} of {count}, contract #{id}", number=deal.call_off,
             count=contract.call_offs, id=contract.id) if contract is not None else ""


async def coming(uow: UnitOfWork, contract: Contract, number: int, due: datetime) -> int:
    """Both parties: call-off `number` is called on its date; the buyer pays then."""
    await recipients(uow, {contract.buyer_id, contract.seller_id})
    for party in (contract.buyer_id, contract.seller_id):
        when = await when_for(uow, party, due)
        async with addressed_to(uow, party):
            name, each = await _about(uow, contract)
            amount = str(sale_vat.with_vat(total(contract),  # type: ignore[arg-type]
                                           await sale_vat.contract_rate(uow, contract.id)))
            params = dict(name=name, number=number, count=contract.call_offs, each=each,
                          amount=amount, when=when)
            text = (_("📦 {name}: call-off {number} of {count} — {each}, {amount} — is due on "
                      "{when}; you pay it into escrow then.", **params)
                    if party == contract.buyer_id else
                    _("📦 {name}: call-off {number} of {count} — {each}, {amount} — is due on "
                      "{when}; the buyer pays it into escrow then, and you ship once it is held.",
                      **params))
            await notify(uow, party, text, buttons=[[view_button(contract.id)]])
    return 2


async def ending(uow: UnitOfWork, contract: Contract, due: datetime) -> int:
    """Both parties: the contract ends with its last call-off; Renew starts a new offer from
    the same terms to the same counterparty."""
    await recipients(uow, {contract.buyer_id, contract.seller_id})
    for party in (contract.buyer_id, contract.seller_id):
        when = await when_for(uow, party, due)
        async with addressed_to(uow, party):
            name, __ = await _about(uow, contract)
            await notify(uow, party, _(
                "📑 {name} ends with its last call-off ({count} of {count}) on {when}. Renew it "
                "to keep the supply going: a new offer from the same terms, to the same partner.",
                name=name, count=contract.call_offs, when=when),
                buttons=[[renew_button(contract.id)], [view_button(contract.id)]])
    return 2


async def contract_running(uow: UnitOfWork, moved: Moved, role: str, party: int) -> str:
    """To each party: the contract started, with its schedule."""
    contract = moved.subject
    async with addressed_to(uow, party):
        name, each = await _about(uow, contract)
        dates = ", ".join(present.day(call_offs.date_of(contract.first_date, contract.every, n))
                          for n in range(2, contract.call_offs + 1))
        return _("📑 {name} is running: {schedule} of {each} each. Call-off 1 is the deal in "
                 "hand; the next are called on {dates}, each paid, shipped and released on its "
                 "own. You'll hear before each.", name=name,
                 schedule=call_offs.words(contract.call_offs, contract.every), each=each,
                 dates=dates)


async def contract_lapsed(uow: UnitOfWork, moved: Moved, role: str, party: int) -> str:
    """To each party: the contract lapsed before it started."""
    async with addressed_to(uow, party):
        name, __ = await _about(uow, moved.subject)
        return _("📑 {name} lapsed: the terms of its first call-off were not accepted, so no "
                 "call-off follows and the reserved quantity is back on the listing.", name=name)


async def view_contract(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return [[view_button(moved.subject.id)]]
