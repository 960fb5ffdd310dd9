"""Shared set-up for money tests: two registered people and an open escrow."""

from __future__ import annotations

from config.container import Container
from core.events import Event
from core.money.model import Money
from core.payments_port import Actor, EscrowView
from tests.support.accounts import registered

BUYER = Actor("account:buyer", "test")
ADMIN = Actor("admin:terminal:root", "dispute outcome")


async def register(app: Container, name: str, roles: list[str]) -> int:
    return (await registered(app, name, roles=roles, display_name=name.capitalize())).id


async def people(app: Container) -> tuple[int, int]:
    """A buyer and a seller."""
    return await register(app, "bob", ["buyer"]), await register(app, "sue", ["seller"])


async def held_escrow(app: Container, amount: int = 10_000, reference: str = "deal:1",
                      currency: str = "EUR") -> EscrowView:
    buyer, seller = await people(app)
    view = await app.payments.open("goods", "bioenergy", reference, buyer, seller,
                                   Money(amount, currency), BUYER)
    return await app.payments.pay_with_test_card(view.id, "4242 4242 4242 4242")


def spy_events(app: Container) -> list:
    """Every event the container hands on after commit, from now on."""
    seen: list = []

    async def spy(events):  # type: ignore[no-untyped-def]
        seen.extend(events)

    app.bus.after_commit(Event, spy)
    return seen
