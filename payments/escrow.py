"""The escrow and pre-authorisation service: the payments port, on the ledger and a provider.

Every change of an escrow is a conditional update of its state (`… WHERE state = 'held'`, one row
or nothing), so a second release, or a refund racing a release, changes nothing. Provider calls
never run inside a transaction: an operation row is written first (its key is also the provider's
idempotency key), then the call, then the ledger journal completes the operation. A crash in
between leaves a pending operation that a retry (`recover`) or the provider's webhook completes.

The service (`EscrowService`) opens an escrow and takes its payment here; settling what it holds
is `payments.escrow_settlement`'s, the provider operations and payouts
`payments.escrow_operations`'s.
"""

from __future__ import annotations

import secrets

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from core.deals import accepted
from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import _
from core.money.model import Money
from core.payments_port import Actor, EscrowState, EscrowView, Kind, Market, Vat
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from payments import settle
from payments.escrow_rows import by_reference, load, transition
from payments.escrow_settlement import EscrowSettlement
from payments.providers.base import Charge, ProviderError
from payments.providers.sandbox import card_outcome
from payments.tables import Escrow

FIRST_STATE = {"goods": EscrowState.AWAITING_PAYMENT, "session": EscrowState.AWAITING_AUTHORISATION,
               "charge": EscrowState.AWAITING_PAYMENT, "deposit": EscrowState.AWAITING_PAYMENT,
               "package": EscrowState.AWAITING_PAYMENT}
PAID_STATE = {"goods": EscrowState.HELD, "session": EscrowState.AUTHORISED, "charge": EscrowState.PAID,
              "deposit": EscrowState.HELD, "package": EscrowState.HELD}
_OPEN = insert(table_of(Escrow)).returning(table_of(Escrow).c.id)
SANDBOX_CARD = Actor("system:sandbox", "test card accepted")


class EscrowService(EscrowSettlement):
    """Escrow for goods, pre-authorisation for sessions, plain charges for promotions."""

    async def open(self, kind: Kind, market: Market, reference: str, payer_id: int,
                   payee_id: int | None, amount: Money, actor: Actor, vat: Vat | None = None
                   ) -> EscrowView:
        """Create the escrow (once per reference) and the page where the payer pays; `vat`,
        the VAT `amount` includes."""
        if amount.amount <= 0:
            raise DomainError(_("The amount must be more than zero."))
        if vat is not None and not 0 <= vat.amount.amount < amount.amount:
            raise DomainError(_("The VAT must be part of the amount."))
        token = secrets.token_urlsafe(16)
        ways = None  # anything but goods: every way
        if kind == "goods":  # their seller's ways, read on opening only
            async with self.uow() as uow:
                ways = await accepted.payee_ways(uow, kind, payee_id)
        charge = Charge(kind, reference, amount, token, None, None, ways)
        # None: no provider page takes the seller's ways (e.g. transfers only); the payer is
        # offered the ways there are (transfer details, crypto) and no card page is made.
        checkout = await self.provider.checkout(charge)
        async with self.uow() as uow:
            now = uow.clock.now()
            row = {"kind": kind, "market": market, "reference": reference, "payer_id": payer_id,
                   "payee_id": payee_id, "currency": amount.currency, "amount": amount.amount,
                   "refunded": 0, "commission": 0, "discount": 0, "state": FIRST_STATE[kind],
                   "vat": vat.amount.amount if vat else 0,
                   "vat_rate": f"{vat.rate.normalize():f}" if vat else None,
                   "payout_state": "none", "provider": self.provider.name,
                   "provider_ref": checkout.provider_ref if checkout else None,
                   "charge_ref": None, "pay_token": token,
                   "pay_url": checkout.url[:500] if checkout else None, "changed_by": actor.who,
                   "change_reason": actor.reason, "direct_payer_at": None,
                   "direct_payee_at": None, "transfer_at": None, "created_at": now, "updated_at": now}
            try:  # one INSERT on the transaction's connection, no unit-of-work flush
                escrow_id = (await (await uow.core()).execute(_OPEN, row)).scalar_one()
            except IntegrityError:  # opened before: the same escrow
                await uow.rollback()
                existing = await by_reference(uow, reference)
                if existing is None:
                    raise
                return self.view(existing)
            await uow.commit()
        return self.view(Escrow(id=escrow_id, **row))

    async def by_reference(self, reference: str, uow: UnitOfWork | None = None
                           ) -> EscrowView | None:
        """The escrow opened for `reference` (e.g. a deal's), if there is one."""
        async with self.tx(uow) as tx:
            escrow = await by_reference(tx, reference)
            return self.view(escrow) if escrow is not None else None

    async def payable(self, escrow_id: int, account_id: int,
                      uow: UnitOfWork | None = None) -> EscrowView:
        """The escrow if this account may pay it now: its payer, while it awaits payment."""
        view = await self.get(escrow_id, uow)
        if view.payer_id != account_id:
            raise NotAllowed(_("That payment is someone else's."))
        if not view.state.startswith("awaiting"):
            raise Conflict(_("This payment is already {state}.", state=view.state.replace('_', ' ')))
        return view

    async def pay_with_test_card(self, escrow_id: int, card_number: str,
                                 uow: UnitOfWork | None = None) -> EscrowView:
        """Sandbox only: pay with a test card; a declined card changes nothing but says so.
        One transaction: the escrow is read once, checked (`may_pay`), then held or declined."""
        if not self.provider.test_mode or self.provider.name != "sandbox":
            raise DomainError(_("Test cards work only in sandbox mode."))
        declined = card_outcome(card_number)
        charge_ref = f"sbx_ch_{escrow_id}"
        async with self.tx(uow) as tx:
            escrow = await load(tx, escrow_id)
            self.may_pay(escrow)  # refused before the card is tried: no "declined" notice either
            if declined:
                await settle.declined(tx, escrow, declined)
            else:
                view = await self._confirm(tx, escrow, charge_ref, SANDBOX_CARD)
        if declined:
            raise ProviderError(_("{declined} Nothing was charged.", declined=_(declined)))
        return await self.confirmed(escrow_id, view, charge_ref, None, uow)

    def may_pay(self, escrow: Escrow) -> None:
        """Raise when this escrow may not be paid now (nothing here; see PaymentsService)."""

    async def confirm_payment(self, escrow_id: int, charge_ref: str | None, actor: Actor,
                              provider_ref: str | None = None,
                              uow: UnitOfWork | None = None) -> EscrowView:
        """The provider says the payer paid (or authorised): hold the money. Safe to repeat."""
        async with self.tx(uow) as tx:
            view = await self._confirm(tx, await load(tx, escrow_id), charge_ref, actor,
                                       provider_ref)
        return await self.confirmed(escrow_id, view, charge_ref, provider_ref, uow)

    async def _confirm(self, uow: UnitOfWork, escrow: Escrow, charge_ref: str | None,
                       actor: Actor, provider_ref: str | None = None) -> EscrowView:
        paid = PAID_STATE[escrow.kind]
        refs = {"provider_ref": provider_ref} if provider_ref else {}
        if not await transition(uow, escrow, (FIRST_STATE[escrow.kind],), paid, actor,
                                charge_ref=charge_ref, **refs):
            return self.view(await load(uow, escrow.id))
        await settle.funded(uow, escrow, actor)
        return self.view(escrow)

    async def confirmed(self, escrow_id: int, view: EscrowView, charge_ref: str | None,
                        provider_ref: str | None, uow: UnitOfWork | None) -> EscrowView:
        """After a payment was confirmed (committed, unless `uow` is the caller's)."""
        return view

    async def declined(self, escrow_id: int, message: str, uow: UnitOfWork | None = None) -> None:
        async with self.tx(uow) as tx:
            await settle.declined(tx, await load(tx, escrow_id), message)
