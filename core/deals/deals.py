"""Moving a deal along its declared process: one function takes any transition, checking who
may take it from where; its book (core.deals.deal_book) guards the move, swaps the timers of
the state left and the state entered, and takes the effects the transition declares that
belong to the move itself (the VAT fixed, the stock returned, the ratings published). Other
contexts carry out their own effects on the DealMoved it emits (core.process.effects). Timers
that fall due are taken by the system, once."""

from __future__ import annotations

from datetime import datetime

from core.deals import sale_vat
from core.deals.deal_book import DealBook, deal_book_of
from core.deals.events import DealMoved
from core.deals.tables import Deal
from core.errors import Conflict, NotFound
from core.i18n import _
from core.money.model import Money
from core.process import timers
from core.process.deals import BUYER, DEAL_PROCESS, SELLER
from core.process.model import ADMIN, STAY, SYSTEM
from core.storage.uow import UnitOfWork


async def role_of(uow: UnitOfWork | DealBook, deal: Deal, actor_id: int | None) -> str | None:
    """buyer, seller, admin (an operator who may decide disputes), system (no actor) — or
    None for anyone else."""
    if actor_id is None:
        return SYSTEM
    if actor_id == deal.buyer_id:
        return BUYER
    if actor_id == deal.seller_id:
        return SELLER
    return ADMIN if await deal_book_of(uow).may(actor_id, "decide_disputes") else None


async def get(uow: UnitOfWork | DealBook, deal_id: int, actor_id: int | None) -> Deal:
    """The deal, for its parties, operators who may see deals, the buyer's colleagues who may
    (core.deals.company_deals) and the system; NotFound for anyone else."""
    book = deal_book_of(uow)
    deal = await book.stored(deal_id)
    if deal is None or (await role_of(book, deal, actor_id) is None
                        and not await book.may(actor_id, "view_deals")
                        and not await book.colleague_sees(deal, actor_id)):
        raise NotFound(_("That deal doesn't exist."))
    return deal


async def take(uow: UnitOfWork | DealBook, deal_id: int, transition: str,
               actor_id: int | None) -> Deal:
    """Take `transition` as `actor_id` (None: the system); the book moves the deal guarded,
    with its timers and the move's own effects (`DealBook.move`)."""
    book = deal_book_of(uow)
    deal = await get(book, deal_id, actor_id)
    if transition == "accept-terms" and deal.payment_days:  # paid on terms: the goods go first
        transition = "accept-terms-on-terms"
    role = await role_of(book, deal, actor_id)
    step = DEAL_PROCESS.check(transition, deal.status, role)
    if step.target == STAY:  # a party's step that keeps the state: its own service takes it
        raise ValueError(f"{transition} keeps the deal's state: it is not a move")
    source = deal.status
    if not await book.move(deal, step, source):
        raise Conflict(_("That deal moved on a moment ago; look at it again."))
    book.emit(DealMoved(deal.id, transition, source, step.target, role or "",
                        on_terms=bool(deal.payment_days)))
    return deal


async def run_due(uow: UnitOfWork) -> list[tuple[int, str]]:
    """Take every due deal timer's transition as the system; one that no longer applies (the
    deal moved on meanwhile) does nothing."""
    taken = []
    for deal_id, transition in await timers.claim_due(uow, DEAL_PROCESS):
        if await fire(uow, deal_id, transition):
            taken.append((deal_id, transition))
    return taken


async def fire(uow: UnitOfWork, deal_id: int, transition: str) -> bool:
    """A claimed timer's transition, taken by the system; False when the deal moved on."""
    deal = await uow.get(Deal, deal_id, populate_existing=True)
    if deal is None or deal.status not in DEAL_PROCESS.transition(transition).sources:
        return False
    async with uow.nested():
        await take(uow, deal_id, transition, None)
    return True


def total(deal: Deal) -> Money:
    """The goods' price: unit price times quantity (`rules.line_total`), without VAT."""
    return sale_vat.price(deal)


def payable(deal: Deal) -> Money:
    """What the buyer pays: the price, and the VAT fixed when both accepted the terms."""
    return total(deal) + Money(deal.vat_minor or 0, deal.currency)


def reference(deal_id: int) -> str:
    """How the money layer names a deal's escrow."""
    return f"deal:{deal_id}"


def deal_of(reference_text: str) -> int | None:
    """The deal id an escrow's reference names, if it names one."""
    head, __, number = reference_text.partition(":")
    return int(number) if head == "deal" and number.isdigit() else None


_NOT_FOUND = "deals-not-found"  # the deal ids this transaction found no deal for (`uow.kept`)


async def of_reference(uow: UnitOfWork, reference_text: str) -> Deal | None:
    """The deal an escrow's reference names, or None; a reference to no deal is looked up
    once per transaction (a payment's handlers each ask; a deal found stays in the session)."""
    deal_id = deal_of(reference_text)
    if deal_id is None or deal_id in uow.kept(_NOT_FOUND, set[int]):
        return None
    deal = await uow.get(Deal, deal_id)
    if deal is None:
        uow.kept(_NOT_FOUND, set[int]).add(deal_id)
    return deal


async def payment_deadline(uow: UnitOfWork, deal_id: int) -> datetime | None:
    """When an unpaid deal is cancelled: its running `cancel-unpaid` deadline, if any."""
    return await timers.running_due(uow, DEAL_PROCESS, deal_id, "awaiting_payment",
                                    "cancel-unpaid")


async def wait_for_payment_until(uow: UnitOfWork, deal_id: int, due_at: datetime) -> None:
    """Move an unpaid deal's payment deadline (a bank transfer takes days to arrive)."""
    await timers.schedule(uow, DEAL_PROCESS, deal_id, "awaiting_payment",
                          {"cancel-unpaid": due_at})
