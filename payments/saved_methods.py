"""Saving a payment method now for an authorisation made later, off-session (a session booked
more than five days ahead is authorised 24 h before it: card holds expire).

A request is opened once per reference (`booking:<id>`); the payer saves a method on the
provider's page (Stripe: a Checkout Session in setup mode; the sandbox: its TEST MODE page, or a
test card typed in chat); the provider's word marks it saved (`awaiting_method → saved`, a
conditional update, so a repeated webhook saves once). Authorising claims it (`saved →
authorising`, or a claim left by a crash after a lease), calls the provider outside any
transaction with a fixed idempotency key, then holds the escrow and marks the method `used` in
one transaction — or `declined`, and the payer is asked to authorise themselves."""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.exc import IntegrityError

from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import N_, _
from core.money.events import MethodSaved
from core.payments_port import (
    Actor,
    EscrowState,
    EscrowView,
    OffSessionOutcome,
    SavedMethodState,
    SavedMethodView,
)
from core.storage.uow import UnitOfWork
from payments.escrow import EscrowService
from payments.escrow_rows import charge_of, expect, load
from payments.providers.base import Authorised, ProviderError
from payments.providers.sandbox import saved_card
from payments.tables import SavedMethod

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)  # an `authorising` claim older than this was left by a crash
UNPAID = EscrowState.AWAITING_AUTHORISATION


def view_of(row: SavedMethod) -> SavedMethodView:
    return SavedMethodView(row.id, row.reference, row.payer_id, row.state, row.save_url,
                           row.last4, row.failure)


async def _by_reference(uow: UnitOfWork, reference: str) -> SavedMethod | None:
    return (await uow.session.execute(select(SavedMethod).where(
        SavedMethod.reference == reference))).scalar_one_or_none()


async def _load(uow: UnitOfWork, saved_id: int) -> SavedMethod:
    row = await uow.get(SavedMethod, saved_id, populate_existing=True)
    if row is None:
        raise NotFound(_("There is no such card request."))
    return row


async def _move(uow: UnitOfWork, row_id: int, sources: tuple[str, ...], to: str, actor: str,
                lease_from: str | None = None, **values: object) -> bool:
    """`UPDATE saved_methods … WHERE state IN sources` (or a claim older than the lease in
    `lease_from`); True when this call moved the row."""
    now = uow.clock.now()
    guard: ColumnElement[bool] = SavedMethod.state.in_(sources)
    if lease_from is not None:
        guard = or_(guard, (SavedMethod.state == lease_from) & (SavedMethod.updated_at < now - LEASE))
    moved = await uow.session.execute(update(SavedMethod).where(SavedMethod.id == row_id, guard)
                                      .values(state=to, changed_by=actor[:80], updated_at=now,
                                              **values)
                                      .execution_options(synchronize_session=False))
    return moved.rowcount == 1  # type: ignore[attr-defined]


class SavedMethods(EscrowService):
    """The saved-method part of the payments port (the payments service builds on it)."""

    async def save_method(self, reference: str, payer_id: int, actor: Actor
                          ) -> SavedMethodView:
        """Open the request to save a payment method for `reference` (once; a second call
        returns the first request)."""
        async with self.uow() as uow:
            existing = await _by_reference(uow, reference)
            if existing is not None:
                return view_of(existing)
            customer = (await uow.session.execute(select(SavedMethod.customer_ref).where(
                SavedMethod.payer_id == payer_id, SavedMethod.provider == self.provider.name,
                SavedMethod.customer_ref.is_not(None)).limit(1))).scalar()
        token = secrets.token_urlsafe(16)
        setup = await self.provider.setup(f"setup:{reference}", payer_id, reference, token,
                                          customer)
        async with self.uow() as uow:
            now = uow.clock.now()
            row = SavedMethod(reference=reference, payer_id=payer_id, provider=self.provider.name,
                              state=SavedMethodState.AWAITING_METHOD, token=token, save_url=setup.url[:500],
                              customer_ref=setup.customer_ref, changed_by=actor.who[:80],
                              created_at=now, updated_at=now)
            uow.add(row)
            try:
                await uow.session.flush()
            except IntegrityError:  # asked for at the same moment: the first request stands
                await uow.session.rollback()
                existing = await _by_reference(uow, reference)
                if existing is None:
                    raise
                return view_of(existing)
            await uow.commit()
        return view_of(row)

    async def saved_method(self, reference: str, uow: UnitOfWork | None = None
                           ) -> SavedMethodView | None:
        """The request to save a method for `reference`, if there is one."""
        async with self.tx(uow) as tx:
            row = await _by_reference(tx, reference)
            return view_of(row) if row is not None else None

    async def saving_by_token(self, token: str) -> SavedMethodView | None:
        """The request a save page's token names, if any."""
        async with self.uow() as uow:
            row = (await uow.session.execute(select(SavedMethod).where(
                SavedMethod.token == token))).scalar_one_or_none()
            return view_of(row) if row is not None else None

    async def savable(self, saved_id: int, account_id: int,
                      uow: UnitOfWork | None = None) -> SavedMethodView:
        """The request if this account may save a method on it now: its payer, while it waits."""
        async with self.tx(uow) as tx:
            row = await _load(tx, saved_id)
            if row.payer_id != account_id:
                raise NotAllowed(_("That card request is someone else's."))
            if row.state != SavedMethodState.AWAITING_METHOD:
                raise Conflict(_said(row))
            return view_of(row)

    async def save_with_test_card(self, saved_id: int, card_number: str,
                                  uow: UnitOfWork | None = None) -> SavedMethodView:
        """Sandbox only: save a test card; a card declined now is not saved and says so."""
        if not self.provider.test_mode or self.provider.name != "sandbox":
            raise DomainError(_("Test cards work only in sandbox mode."))
        method_ref, last4 = saved_card(card_number)
        async with self.tx(uow) as tx:
            row = await _load(tx, saved_id)
            if row.state != SavedMethodState.AWAITING_METHOD:
                raise Conflict(_said(row))
            return await self._saved(tx, row, method_ref, None, f"sbx_seti_{row.id}", last4,
                                     "system:sandbox")

    async def method_saved(self, token: str, method_ref: str,
                           customer_ref: str | None, setup_ref: str | None,
                           last4: str | None = None) -> SavedMethodView | None:
        """The provider says the payer saved a method (a webhook); safe to repeat."""
        async with self.uow() as uow:
            row = (await uow.session.execute(select(SavedMethod).where(
                SavedMethod.token == token))).scalar_one_or_none()
            if row is None:
                return None
            view = await self._saved(uow, row, method_ref, customer_ref, setup_ref, last4,
                                     "system:stripe-webhook")
            await uow.commit()
            return view

    async def _saved(self, uow: UnitOfWork, row: SavedMethod, method_ref: str,
                     customer_ref: str | None, setup_ref: str | None, last4: str | None,
                     actor: str) -> SavedMethodView:
        refs = {"customer_ref": customer_ref} if customer_ref else {}
        if await _move(uow, row.id, ("awaiting_method",), "saved", actor, method_ref=method_ref,
                       setup_ref=setup_ref, last4=last4, **refs):
            uow.emit(MethodSaved(row.id, row.reference, row.payer_id, last4))
        return view_of(await _load(uow, row.id))

    async def authorise_saved(self, escrow_id: int, actor: Actor
                              ) -> OffSessionOutcome:
        """Authorise a session escrow off-session with the method saved for its reference,
        once: Conflict when none is ready or another call holds it; a decline is recorded and
        returned, not raised."""
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            expect(escrow, "session", "authorised with a saved card")
            row = await _by_reference(uow, escrow.reference)
            if escrow.state != UNPAID:
                raise Conflict(_("This payment is already {state}.", state=escrow.state.replace('_', ' ')))
            if row is None or row.method_ref is None or not await _move(
                    uow, row.id, (SavedMethodState.SAVED,), SavedMethodState.AUTHORISING, actor.who,
                    lease_from=SavedMethodState.AUTHORISING):
                raise Conflict(_("There is no saved card ready for this payment."))
            charge, method, customer = charge_of(escrow), row.method_ref, row.customer_ref
            saved_id = row.id
            await uow.commit()
        try:
            done = await self.provider.authorise_saved(f"authorise:{escrow.reference}", charge,
                                                       customer, method)
        except ProviderError as exc:
            return await self._declined(escrow_id, saved_id, str(exc), actor)
        return OffSessionOutcome(await self._held(escrow_id, saved_id, done, actor))

    async def charge_saved(self, escrow_id: int, saved_reference: str, actor: Actor
                           ) -> OffSessionOutcome:
        """Pay a package escrow off-session with the method saved under `saved_reference`,
        which stays saved for the next time (a retainer's card, charged each month with the
        payer's consent). The provider's idempotency key is the escrow's own, so asking twice
        charges once; the escrow's guarded move to `held` records it once. A decline is
        returned, not raised (the escrow still waits to be paid on its page)."""
        async with self.uow() as uow:
            escrow = await load(uow, escrow_id)
            expect(escrow, "package", "paid with a saved card")
            if escrow.state != EscrowState.AWAITING_PAYMENT:
                return OffSessionOutcome(self.view(escrow))
            row = await _by_reference(uow, saved_reference)
            if row is None or row.method_ref is None or row.payer_id != escrow.payer_id \
                    or row.state not in (SavedMethodState.SAVED, SavedMethodState.USED):
                raise Conflict(_("There is no saved card ready for this payment."))
            charge, method, customer = charge_of(escrow), row.method_ref, row.customer_ref
            unpaid = self.view(escrow)
        try:
            done = await self.provider.charge_saved(f"charge:{charge.reference}", charge,
                                                    customer, method)
        except ProviderError as exc:  # the caller tells the payer, with a way to pay
            log.info("escrow %s: the saved card was declined: %s", escrow_id, exc)
            return OffSessionOutcome(unpaid, str(exc))
        view = await self.confirm_payment(escrow_id, done.charge_ref, actor,
                                          provider_ref=done.provider_ref)
        return OffSessionOutcome(view)

    async def _held(self, escrow_id: int, saved_id: int, done: Authorised,
                    actor: Actor) -> EscrowView:
        async with self.uow() as uow:
            view = await self.confirm_payment(escrow_id, done.charge_ref, actor,
                                              provider_ref=done.provider_ref, uow=uow)
            escrow = await load(uow, escrow_id)
            await _move(uow, saved_id, (SavedMethodState.AUTHORISING,), SavedMethodState.USED, actor.who)
            await uow.commit()
        if escrow.provider_ref != done.provider_ref and done.provider_ref.startswith("pi_"):
            # The payer authorised by themselves a moment before: this second hold is let go.
            stray = replace(charge_of(escrow), provider_ref=done.provider_ref)
            await self.provider.cancel(f"void-stray:{escrow.reference}", stray)
        return view

    async def _declined(self, escrow_id: int, saved_id: int, message: str,
                        actor: Actor) -> OffSessionOutcome:
        async with self.uow() as uow:
            await _move(uow, saved_id, (SavedMethodState.AUTHORISING,), SavedMethodState.DECLINED, actor.who,
                        failure=message[:200])
            view = self.view(await load(uow, escrow_id))
            await uow.commit()
        log.info("escrow %s: the saved card was declined: %s", escrow_id, message)
        return OffSessionOutcome(view, message)


_SAID: dict[str, str] = {
    SavedMethodState.SAVED: N_("A card is already saved for this session."),
    SavedMethodState.AUTHORISING: N_("The saved card is being used now."),
    SavedMethodState.USED: N_("The saved card was used: the session is authorised."),
    SavedMethodState.DECLINED: N_("The saved card was declined; authorise the payment instead.")}
CLOSED = N_("This card request is closed.")  # any other state


def _said(row: SavedMethod) -> str:
    return _(_SAID.get(row.state, CLOSED))

