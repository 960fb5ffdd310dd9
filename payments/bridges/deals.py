"""Deals and the money layer, joined by events: the escrow funded (or payment arranged directly)
moves the deal on; the deal's transitions move the money as the deal's process declares beside
each (core.process.deals: open-escrow, close-unpaid-escrow, invoice-on-terms, release-escrow,
refund-escrow), and this module carries each out. A release is a split when an admin split the
dispute or the seller accepted a quality adjustment; an escrow closed unpaid in the cancelling
transaction can't be funded by a late payment (it is refunded in full).

Opening and moving money call the provider, so they run after the deal's change is committed,
each idempotent (the escrow is opened once per deal reference; release, refund and split are
guarded transitions); `catch_up` (a periodic job) finds any step a crash or a race left undone
and takes it again."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal

from sqlalchemy import String, and_, bindparam, cast, exists, literal, or_, select

from core.deals import deals, sale_vat
from core.deals.after_sale import service as after_sale
from core.deals.events import DealMoved
from core.deals.tables import Deal, Shipment
from core.errors import Conflict, DomainError
from core.money.events import (
    BankTransferChosen,
    CryptoLate,
    CryptoOverpaid,
    EscrowFunded,
    LatePaymentRefunded,
    PaymentArrangedDirectly,
    TransferOverpaid,
    TransfersReturned,
)
from core.money.model import Money
from core.payments_port import Actor, EscrowState
from core.process.deals import (
    CLOSE_UNPAID,
    DEAL_PROCESS,
    INVOICE,
    OPEN_ESCROW,
    REFUND,
    RELEASE,
    DealState,
)
from core.storage.uow import UnitOfWork
from payments import terms_invoices
from payments.direct import WAITING
from payments.escrow_rows import by_reference
from payments.service import PaymentsService
from payments.tables import Escrow

log = logging.getLogger(__name__)
MoneyBack = (TransfersReturned | TransferOverpaid | LatePaymentRefunded | CryptoOverpaid
             | CryptoLate)
SYSTEM = Actor("system:deals", "the deal's process")
# The deal states each money effect leaves a deal in, read from the declaration: the
# reconciliation (`catch_up`) finds the deals there whose escrow still disagrees.
RELEASING = DEAL_PROCESS.reached_by(RELEASE)  # completed, closed
ENDED_UNPAID = (*DEAL_PROCESS.reached_by(CLOSE_UNPAID), *DEAL_PROCESS.reached_by(REFUND))
NO_ESCROW_YET = (DEAL_PROCESS.initial, *ENDED_UNPAID)  # on terms: opened once both accepted


class DealPayments:
    """The handlers, bound to the payments service (declared in payments.wiring)."""

    def __init__(self, payments: PaymentsService) -> None:
        self.payments = payments

    async def on_funded(self, uow: UnitOfWork, event: EscrowFunded | PaymentArrangedDirectly
                        ) -> None:
        """In the funding transaction: the deal's payment arrived (or was arranged)."""
        deal = await deals.of_reference(uow, event.reference)
        if deal is not None and deal.status == DealState.AWAITING_PAYMENT:
            await deals.take(uow, deal.id, "payment-received", None)
        elif deal is not None and deal.payment_days and isinstance(event, EscrowFunded):
            escrow = await by_reference(uow, event.reference)
            if escrow is not None:  # an invoice on terms was paid: its claim is settled
                await terms_invoices.paid(uow, escrow)
        if deal is not None and deal.payment_days and isinstance(event, EscrowFunded):
            paid_on_terms = deal.id  # an escrow deal is released by its own confirmation
            uow.then(f"paid-on-terms:{paid_on_terms}",
                     lambda: self._release_if_confirmed(paid_on_terms))

    async def _release_if_confirmed(self, deal_id: int) -> None:
        """After commit: an invoice on terms paid after delivery was confirmed is released
        at once (paid before, it is held until then, as any escrow)."""
        async with self.payments.uow() as uow:
            deal = await uow.get(Deal, deal_id)
            status = deal.status if deal is not None else None
        if status in RELEASING:
            await self._settle(deal_id, RELEASE)

    async def on_transfer_chosen(self, uow: UnitOfWork, event: BankTransferChosen) -> None:
        """In the same transaction: the buyer will pay by bank transfer, so the deal waits for
        the payment as long as a transfer takes to arrive."""
        deal_id = deals.deal_of(event.reference)
        deal = await uow.get(Deal, deal_id) if deal_id else None
        if deal is not None and deal.status == DealState.AWAITING_PAYMENT and event.arrive_by:
            await deals.wait_for_payment_until(uow, deal.id, event.arrive_by)

    async def after_transfers_returned(self, events: Sequence[MoneyBack]) -> None:
        """After commit: send back what a transfer brought too much, too late, or towards a
        payment closed unpaid (once each; `recover` retries any that failed)."""
        for escrow_id in sorted({event.escrow_id for event in events}):
            await self.payments.send_returns(escrow_id)

    async def close_unpaid(self, uow: UnitOfWork, event: DealMoved) -> None:
        """The deal's "close-unpaid-escrow", in its transaction: a deal cancelled before
        payment closes its escrow."""
        escrow = await by_reference(uow, deals.reference(event.deal_id))
        if escrow is not None and escrow.state == WAITING:
            await self.payments.cancel_unpaid(escrow.id, SYSTEM, uow)

    def after(self, effect: str) -> Callable[[Sequence[DealMoved]], Awaitable[None]]:
        """After commit, the deal's `effect` (open-escrow, invoice-on-terms, release-escrow or
        refund-escrow) for each deal that declared it."""

        async def follow(events: Sequence[DealMoved]) -> None:
            for event in events:
                if effect != INVOICE or event.on_terms:  # an escrow deal is paid before it ships
                    await self._settle(event.deal_id, effect)

        return follow

    async def _settle(self, deal_id: int, effect: str) -> None:
        try:
            await self._follow(deal_id, effect)
        except (Conflict, DomainError) as exc:  # moved already, or a rule: catch_up sees it
            log.warning("deal %s: %s not taken: %s", deal_id, effect, exc)

    async def _follow(self, deal_id: int, effect: str) -> None:
        """Carry out `effect` on the deal's escrow, from what both hold now (each step is
        idempotent, so a move read twice, or caught up later, moves money once). A step an
        earlier effect left undone is taken first: an escrow never opened is opened, an invoice
        on terms never sent goes out."""
        async with self.payments.uow() as uow:
            found = (await uow.session.execute(_DEAL_AND_ESCROW, {
                "deal_id": deal_id, "reference": deals.reference(deal_id)})).first()
            if found is None:
                return
            deal, escrow = found
            buyer, seller, total, vat = (deal.buyer_id, deal.seller_id, deals.payable(deal),
                                         sale_vat.fixed(deal))
            escrow_id, state = (escrow.id, escrow.state) if escrow else (None, None)
            refund = await self._split_refund(uow, deal_id, escrow, deal.currency) \
                if effect == RELEASE else None  # only a release can be a split
            status, on_terms = deal.status, bool(deal.payment_days)
            # Whether to invoice now: asked only of an unpaid escrow on terms still running.
            bill = escrow is not None and state == WAITING and on_terms \
                and status not in ENDED_UNPAID \
                and not await terms_invoices.invoice_of(uow, escrow.id) \
                and bool(await uow.session.scalar(_SHIPPED.where(Shipment.deal_id == deal_id)))
        if escrow_id is None:
            # Opened as the terms are accepted: for payment first, or (on terms) to be paid
            # later; never before both accepted (the VAT is fixed then), nor once cancelled.
            if status == DealState.AWAITING_PAYMENT or (on_terms and status not in NO_ESCROW_YET):
                await self.payments.open("goods", "bioenergy", deals.reference(deal_id), buyer,
                                         seller, total, SYSTEM, vat)
            return
        elif state == WAITING and status in ENDED_UNPAID:  # closed unpaid (on terms: refunded)
            await self.payments.cancel_unpaid(escrow_id, SYSTEM)
        elif bill:
            await self.payments.invoice_on_terms(escrow_id, deal_id)  # the goods shipped
        elif state != EscrowState.HELD:
            return  # nothing held: not paid, arranged directly, or moved already
        elif effect == RELEASE and refund is not None:
            await self.payments.split(escrow_id, refund, SYSTEM)
        elif effect == RELEASE:
            await self.payments.release(escrow_id, SYSTEM)
        elif effect == REFUND:
            await self.payments.refund(escrow_id, None, SYSTEM)

    async def _split_refund(self, uow: UnitOfWork, deal_id: int, escrow: Escrow | None,
                            currency: str) -> Money | None:
        """The buyer's share when an admin split the deal's dispute (of what is held), or when
        the seller accepted the buyer's quality adjustment (on the price: with the VAT the
        escrow charged on it)."""
        refund, adjustment = await after_sale.owed_to_buyer(uow, deal_id)
        if refund:
            return Money(refund, currency)
        if not adjustment:
            return None
        rate = Decimal(escrow.vat_rate) if escrow is not None and escrow.vat_rate else None
        return sale_vat.with_vat(Money(adjustment, currency), rate)

    async def catch_up(self) -> int:
        """Take again the money steps a crash or a race left undone (a periodic job); returns
        how many were taken. One query finds the deals whose escrow disagrees with them."""
        async with self.payments.uow() as uow:
            behind = list((await uow.session.execute(_BEHIND)).all())
        done = 0
        for deal_id, status in behind:
            try:
                await self._follow(deal_id, _due(status))
                done += 1
            except (Conflict, DomainError) as exc:  # moved meanwhile, or a rule: next run
                log.warning("deal %s: money catch-up not taken: %s", deal_id, exc)
        return done


def _due(status: str) -> str:
    """The money effect a deal in `status` is owed when its escrow disagrees with it."""
    if status in RELEASING:
        return RELEASE
    return REFUND if status in ENDED_UNPAID else OPEN_ESCROW


# A deal's escrow is named `deals.reference(id)`, "deal:<id>": joined on that name, the deals
# awaiting payment without an escrow, ended ones with money still held, and cancelled ones with
# an escrow still open for payment.
_ESCROW = Escrow.reference == literal("deal:") + cast(Deal.id, String)
# Built once: the deal and its escrow (if one is open), in one read at each of its money steps.
_DEAL_AND_ESCROW = (select(Deal, Escrow)
                    .outerjoin(Escrow, Escrow.reference == bindparam("reference", type_=String))
                    .where(Deal.id == bindparam("deal_id")))
_SHIPPED = select(Shipment.deal_id)  # the goods left: a deal on terms is invoiced
_BEHIND = (select(Deal.id, Deal.status).outerjoin(Escrow, _ESCROW).where(or_(
    and_(Deal.status == DealState.AWAITING_PAYMENT, Escrow.id.is_(None)),
    and_(Deal.status.in_((*RELEASING, *ENDED_UNPAID)), Escrow.state == EscrowState.HELD),
    and_(Deal.status.in_(ENDED_UNPAID), Escrow.state == WAITING),
    # paid on terms: accepted without an escrow, or shipped without an invoice
    and_(Deal.payment_days.is_not(None), or_(
        and_(Escrow.id.is_(None), Deal.status.not_in(NO_ESCROW_YET)),
        and_(Escrow.state == WAITING, Deal.status.not_in(ENDED_UNPAID),
             Deal.payment_due_on.is_(None),
             exists(_SHIPPED.where(Shipment.deal_id == Deal.id))))))).order_by(Deal.id))
