"""Shared set-up for the contract tests: a contract of 3 monthly call-offs of 100 t agreed
through the core services, the contract job run as the scheduler runs it, and what people
heard."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from config.container import Container
from core.deals import contract_due
from core.deals.contracts.tables import Contract
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.tables import Deal
from core.deals.terms import service as deal_terms
from core.money.model import Money
from tests.deals.test_offers import world

START = date(2026, 11, 20)  # the FakeClock's first day: call-off 1's date
CARD = "4242 4242 4242 4242"


def contract_terms(call_offs: int = 3, every: str = "month", quantity: str = "100") -> Terms:
    return Terms(Decimal(quantity), Money.parse("220.00", "EUR"), "EXW", "Riga port",
                 START, date(2026, 11, 30), call_offs=call_offs, call_off_every=every)


async def contract_agreed(app: Container, **schedule: object):
    """Bob offers 3 monthly call-offs of 100 t on Sam's 500 t listing; Sam accepts (call-off 1 agreed)."""
    sam, bob, eve, listing_id = await world(app)
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, bob.id, contract_terms(**schedule))
        deal = await offers.accept(uow, offer.id, sam.id)
        await uow.commit()
    return sam, bob, eve, listing_id, deal.id


async def accept_terms(app: Container, deal_id: int, *people) -> None:
    async with app.uow() as uow:
        version = await deal_terms.current(uow, deal_id)
        for person in people:
            await deal_terms.accept(uow, deal_id, person.id, version.sha256)
        await uow.commit()


async def contract_running(app: Container, **schedule: object):
    sam, bob, eve, listing_id, deal_id = await contract_agreed(app, **schedule)
    await accept_terms(app, deal_id, bob, sam)
    return sam, bob, eve, listing_id, deal_id


async def contract_of(app: Container, deal_id: int) -> SimpleNamespace:
    """The contract of a call-off deal, as it stands (id, status, called)."""
    async with app.uow() as uow:
        deal = await uow.session.get(Deal, deal_id)
        contract = await uow.session.get(Contract, deal.contract_id)
        assert contract is not None
        return SimpleNamespace(id=contract.id, status=contract.status, called=contract.called)


async def call_offs_of(app: Container, contract_id: int) -> list[tuple[int, int, str]]:
    """(call-off number, deal id, status) of each call-off so far."""
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(Deal.call_off, Deal.id, Deal.status).where(
            Deal.contract_id == contract_id).order_by(Deal.call_off))).all()
    return [tuple(r) for r in rows]


async def run_contract_timers(app: Container) -> list[int]:
    """The `contract-timers` job's first half: due call-offs."""
    return await contract_due.run_all(app.uow)


async def run_contract_notices(app: Container) -> int:
    return await contract_due.remind_all(app.uow)
