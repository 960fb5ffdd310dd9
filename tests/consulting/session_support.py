"""Shared set-up for session tests: a seeker and a consultant, a booked session whose payment
is authorised (as the bookings code does it), and short ways to act and look."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from config.container import Container
from core.consulting.sessions import from_booking
from core.consulting.sessions import service as sessions
from core.consulting.sessions.tables import ConsultSession
from core.money.model import Money
from core.payments_port import Actor
from payments import ledger
from payments.ledger import Ref
from tests.support.accounts import registered
from tests.support.outbox import told, told_texts

__all__ = ["BOOKING", "CARD", "act", "balance", "book", "escrow_state", "live", "people", "row",
           "texts", "tick", "told"]

CARD = "4242 4242 4242 4242"
BOOKING = Actor("system:bookings", "the booking was confirmed")


async def people(app: Container) -> tuple[int, int]:
    """A seeker (Ann) and a consultant (Jānis)."""
    seeker = await registered(app, "ann", roles=("buyer",), display_name="Ann")
    consultant = await registered(app, "janis", roles=("seller",), display_name="Jānis Bērziņš")
    return seeker.id, consultant.id


async def book(app: Container, seeker: int, consultant: int, *, booking_id: int = 1,
               rate: str = "60.00", unit: str = "session30", minutes: int = 30,
               starts_in: timedelta = timedelta(0), authorise: bool = True,
               authorised: Money | None = None) -> int:
    """A session for a confirmed booking, its maximum authorised with the test card."""
    price = Money.parse(rate, "EUR")
    async with app.uow() as uow:
        session = await from_booking.create_for_booking(
            uow, booking_id, consultant, seeker, price, unit, minutes,
            app.clock.now() + starts_in)
        await uow.commit()
    if authorise:
        amount = authorised or sessions.max_charge(price, unit, minutes)
        view = await app.payments.open("session", "consulting", from_booking.reference(booking_id),
                                       seeker, consultant, amount, BOOKING)
        await app.payments.pay_with_test_card(view.id, CARD)
    return session.id


async def act(app: Container, service: Callable[..., Awaitable[Any]], *args: Any,
              **kwargs: Any) -> Any:
    """Run one service in its own transaction and commit (after-commit handlers run too)."""
    async with app.uow() as uow:
        result = await service(uow, *args, **kwargs)
        await uow.commit()
    return result


async def live(app: Container, seeker: int, consultant: int, **booking: Any) -> int:
    """A booked session both parties joined: it is running."""
    session_id = await book(app, seeker, consultant, **booking)
    await act(app, sessions.join, session_id, consultant)
    await act(app, sessions.join, session_id, seeker)
    return session_id


async def tick(app: Container) -> list[tuple[int, str]]:
    """The scheduler's session job, once."""
    return await act(app, sessions.run_due)


async def row(app: Container, session_id: int) -> ConsultSession:
    async with app.uow() as uow:
        found = await uow.session.get(ConsultSession, session_id)
        uow.session.expunge(found)  # readable after the transaction
        return found


async def escrow_state(app: Container, reference: str) -> str | None:
    view = await app.payments.by_reference(reference)
    return view.state if view else None


async def balance(app: Container, ref: Ref, currency: str = "EUR") -> int:
    async with app.uow() as uow:
        return await ledger.balance(uow, ref, currency)


async def texts(app: Container, account_id: int) -> str:
    """Every notice written for this account, oldest first, as one text."""
    return "\n".join(await told_texts(app, account_id))


async def talk_now_accepted(app: Container, clock: Any, consultant_id: int, seeker_id: int) -> int:
    """The consultant online, the seeker's “talk now” accepted 40 s later; the booking's id."""
    from core.consulting.bookings import service as bookings
    from core.consulting.profiles import service as profiles

    async with app.uow() as uow:
        await profiles.set_online(uow, consultant_id, True)
        request = await bookings.request_now(uow, seeker_id, consultant_id)
        await uow.commit()
    clock.advance(seconds=40)
    await act(app, bookings.accept, request.id, consultant_id)
    return int(request.id)
