"""A deal with a transport to ask for, on the database: Sam sells 100 t of pellets from Riga
(LV) to Bob, the terms accepted; Hugo hauls LV-EE with a walking floor and a tipper, Ivo the
Baltics with bags only, Ola only in Poland."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.deals.freight import service as freight
from core.deals.freight.rules import QuoteTerms
from core.money.model import Money
from tests.catalog.helpers import make_account
from tests.deals.test_deal_payments import escrow_of, terms_accepted

CARD = "4242 4242 4242 4242"


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


@dataclass
class Haul:
    sam: object
    bob: object
    hugo: object
    ivo: object
    ola: object
    deal_id: int
    today: date


async def haul(app, paid: bool = True) -> Haul:
    """The deal (paid into escrow unless `paid` is False) and the three hauliers."""
    sam, bob, deal_id = await terms_accepted(app)
    if paid:
        escrow_id, *_ = await escrow_of(app, deal_id)
        await app.payments.pay_with_test_card(escrow_id, CARD)
    hugo = await make_account(app, "hugo")
    ivo = await make_account(app, "ivo")
    ola = await make_account(app, "ola")
    async with app.uow() as uow:
        await freight.declare(uow, hugo.id, "LV-EE, LT", ["walking_floor", "tipper"],
                              Decimal("24"), "t")
        await freight.declare(uow, ivo.id, "LV, LT, EE", ["bags"], Decimal("20"), "t")
        await freight.declare(uow, ola.id, "PL", ["walking_floor"], Decimal("90"), "m3")
        today = uow.clock.now().date()
        await uow.commit()
    return Haul(sam, bob, hugo, ivo, ola, deal_id, today)


async def ask(app, h: Haul, who=None, loading: str = "walking_floor") -> int:
    """Bob (or `who`) asks for 100 t from Riga to Tartu, loading in 3 to 10 days."""
    async with app.uow() as uow:
        request = await freight.ask(uow, h.deal_id, (who or h.bob).id, "Tartu", "EE",
                                    Decimal("100"), "t", h.today + timedelta(days=3),
                                    h.today + timedelta(days=10), loading)
        await uow.commit()
        return request.id


async def quote(app, h: Haul, request_id: int, haulier, price: str = "1200",
                days_ahead: int = 4) -> int:
    async with app.uow() as uow:
        made = await freight.quote(uow, request_id, haulier.id, QuoteTerms(
            eur(price), h.today + timedelta(days=days_ahead), 2))
        await uow.commit()
        return made.id
