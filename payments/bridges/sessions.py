"""Sessions and the money layer, joined by events: an authorisation confirmed starts (or
extends) its session; a session that ended in its free minutes voids its authorisation (one not held is
its booking's to settle); a session that ended in paid time captures what is due (never more than was
authorised; commission deducted and the consultant paid out by the capture); an extension's
larger authorisation replaces the one in force, which is voided. A priced recap is a plain
charge; once paid, the recap is sent.

Provider calls run after the session's change is committed, each idempotent (guarded escrow
transitions; an escrow is opened once per reference); `catch_up` (a periodic job) takes again
whatever a crash or a race left undone."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import String, cast, literal, or_, select

from core.consulting.sessions import exchange_notices as session_notices
from core.consulting.sessions import recap
from core.consulting.sessions import service as sessions
from core.consulting.sessions.events import (
    ExtensionRequested,
    RecapRequested,
    SessionCreated,
    SessionMoved,
)
from core.consulting.sessions.lifecycle import SESSION_PROCESS, SETTLE, SessionState
from core.consulting.sessions.tables import ConsultSession, SessionExtension
from core.errors import DomainError
from core.money.events import AuthorisationVoided, PaymentAuthorised, PromotionCharged
from core.money.model import Money
from core.payments_port import Actor, EscrowState
from core.storage.uow import UnitOfWork
from payments.escrow_rows import by_reference
from payments.service import PaymentsService
from payments.tables import Escrow

log = logging.getLogger(__name__)
SYSTEM = Actor("system:sessions", "the session's process")
# Nothing stays authorised after these. A no-show is its booking's to settle (a consultant's
# voids, a seeker's may cost the policy's fee: payments.bridges.bookings), so it is not here.
SETTLED = SESSION_PROCESS.reached_by(SETTLE)  # the states its settle-payment enters
_BASE = literal("booking:") + cast(ConsultSession.booking_id, String)
_MINE = or_(Escrow.reference == _BASE, Escrow.reference.like(_BASE + literal(":extend:%")))


class SessionPayments:
    """The handlers, bound to the payments service (declared in payments.wiring)."""

    def __init__(self, payments: PaymentsService) -> None:
        self.payments = payments

    async def on_created(self, uow: UnitOfWork, event: SessionCreated) -> None:
        """In the session's transaction: a booking authorised before its session existed."""
        session = await uow.get(ConsultSession, event.session_id)
        escrow = await by_reference(uow, session.escrow_ref) if session else None
        if escrow is not None and escrow.kind == "session" and escrow.state == EscrowState.AUTHORISED:
            await sessions.authorised(uow, escrow.reference,
                                      Money(escrow.amount, escrow.currency))

    async def on_authorised(self, uow: UnitOfWork, event: PaymentAuthorised) -> None:
        """In the payment's transaction: the session starts (both joined) or is extended."""
        if event.reference.startswith("booking:"):
            await sessions.authorised(uow, event.reference, event.amount)

    async def on_voided(self, uow: UnitOfWork, event: AuthorisationVoided) -> None:
        """In the void's transaction: a session not yet started has no authorisation now."""
        if event.reference.startswith("booking:"):
            await sessions.authorisation_lost(uow, event.reference)

    async def on_charged(self, uow: UnitOfWork, event: PromotionCharged) -> None:
        """In the payment's transaction: a paid recap is sent."""
        session_id = recap.session_of(event.reference)
        if session_id is not None:
            await recap.grant(uow, session_id)

    async def after_end(self, events: Sequence[SessionMoved]) -> None:
        """After commit, the session's "settle-payment": void or capture as its end
        asks."""
        for event in events:
            await self._safely(event.session_id)

    async def after_authorised(self, events: Sequence[PaymentAuthorised]) -> None:
        """After commit: an authorisation replaced by an extension, or arriving after its
        session ended, is voided."""
        for event in events:
            if event.reference.startswith("booking:"):
                session_id = await self._session_of(event.reference)
                if session_id is not None:
                    await self._safely(session_id)

    async def after_extension(self, events: Sequence[ExtensionRequested]) -> None:
        """After commit: open the extension's authorisation and ask the seeker to give it."""
        for event in events:
            async with self.payments.uow() as uow:
                asked = (await uow.session.execute(select(
                    SessionExtension.reference, ConsultSession.seeker_id,
                    ConsultSession.consultant_id, SessionExtension.amount_minor,
                    ConsultSession.currency).join(ConsultSession).where(
                    SessionExtension.id == event.extension_id))).first()
            if asked is None:
                continue
            reference, seeker, consultant, amount, currency = asked
            view = await self.payments.open("session", "consulting", reference, seeker,
                                            consultant, Money(amount, currency), SYSTEM)
            if view.state == EscrowState.AWAITING_AUTHORISATION:
                await self._tell(session_notices.ask_to_authorise, event.extension_id, view.id)

    async def after_recap(self, events: Sequence[RecapRequested]) -> None:
        """After commit: open the recap's charge and ask the seeker to pay it."""
        for event in events:
            view = await self.payments.open("charge", "consulting", recap.reference(
                event.session_id), event.seeker_id, None, event.price, SYSTEM)
            if view.state == EscrowState.AWAITING_PAYMENT:
                await self._tell(session_notices.ask_to_pay_recap, event.session_id, view.id,
                                 event.price)

    async def _tell(self, write: Callable[..., Awaitable[None]], *args: Any) -> None:
        """A notice about what was just opened, in a transaction of its own."""
        async with self.payments.uow() as uow:
            await write(uow, *args)
            await uow.commit()

    async def _session_of(self, reference: str) -> int | None:
        async with self.payments.uow() as uow:
            return (await uow.session.execute(select(ConsultSession.id).join(
                Escrow, _MINE).where(Escrow.reference == reference))).scalar()

    async def _safely(self, session_id: int) -> None:
        try:
            await self.follow(session_id)
        except DomainError as exc:  # moved already, or the provider refused: catch_up retries
            log.warning("session %s: money step not taken: %s", session_id, exc)

    async def follow(self, session_id: int) -> None:
        """Bring the session's authorisations in line with it: capture what a paid session
        owes from the one in force, void every other."""
        async with self.payments.uow() as uow:
            session = await uow.get(ConsultSession, session_id)
            if session is None:
                return
            status, current, due = session.status, session.escrow_ref, session.charged_minor or 0
            held = list((await uow.session.execute(select(Escrow.id, Escrow.reference,
                         Escrow.amount, Escrow.currency).join(ConsultSession, _MINE).where(
                ConsultSession.id == session_id, Escrow.state == EscrowState.AUTHORISED))).all())
        for escrow_id, ref, amount, currency in held:
            if ref == current and status == SessionState.ENDED_PAID and due > 0:
                await self.payments.capture(escrow_id, Money(min(due, amount), currency), SYSTEM)
            elif ref != current or status in SETTLED:
                await self.payments.void(escrow_id, SYSTEM)

    async def catch_up(self) -> int:
        """Take again the money steps a crash or a race left undone (a periodic job); returns
        how many sessions were followed."""
        await self._unrecorded()
        async with self.payments.uow() as uow:
            behind = list((await uow.session.execute(_BEHIND)).scalars())
        for session_id in behind:
            await self._safely(session_id)
        return len(behind)


    async def _unrecorded(self) -> None:
        """A waiting session that missed its authorisation (confirmed while the session was
        being created, in two concurrent transactions) learns it now."""
        async with self.payments.uow() as uow:
            missed = (await uow.session.execute(select(Escrow.reference, Escrow.amount,
                      Escrow.currency).join(ConsultSession, Escrow.reference ==
                      ConsultSession.escrow_ref).where(
                ConsultSession.status == SessionState.WAITING, ConsultSession.authorised_minor == 0,
                Escrow.state == EscrowState.AUTHORISED))).all()
            for reference, amount, currency in missed:
                await sessions.authorised(uow, reference, Money(amount, currency))
            await uow.commit()


# Sessions with an authorisation still open that should not be: settled sessions, and
# authorisations an extension replaced.
_BEHIND = (select(ConsultSession.id).join(Escrow, _MINE).where(
    Escrow.state == EscrowState.AUTHORISED, or_(ConsultSession.status.in_(SETTLED),
                                        Escrow.reference != ConsultSession.escrow_ref))
    .distinct().order_by(ConsultSession.id))
