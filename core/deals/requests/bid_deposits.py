"""Bid deposits (bid security) of tenders and auctions: a buyer may ask each bidder to pay a
percentage of the lot at her highest price before bidding. The deposit is returned at the close
to every bidder but the winner; the winner's comes back once the deal completes, and goes to the
buyer if the winner does not sign the terms, withdraws, or does not ship — as the request's terms
say. Core decides; the payments layer moves the money (payments.bridges.deposits) on
`DepositAsked` and `DepositSettled`. Every change of a deposit is a conditional update of its
state, so a deposit is returned or forfeited once."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import bindparam, or_, select, tuple_, update

from core.actions import Action
from core.deals.events import DealMoved, DepositAsked, DepositSettled
from core.deals.intents import DealIntent
from core.deals.request_rules import RequestState
from core.deals.requests.auction_rules import SELLER
from core.deals.requests.tables import BidDeposit, RequestBid
from core.deals.tables import Deal, SupplyRequest
from core.deals.terms.tables import DealTerms
from core.errors import DomainError
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork

ASKED, HELD, RETURNED, FORFEITED = "asked", "held", "returned", "forfeited"
# A winner's deposit is forfeited when the deal ends by their doing: they withdrew, did not
# sign the terms in time, or did not ship in time.
FORFEIT_WHY = {"cancel-deal": N_("you withdrew from the deal"),
               "cancel-unpaid": N_("you did not accept the deal's terms in time"),
               "cancel-not-shipped": N_("the goods were not shipped in time")}


def amount(request: SupplyRequest) -> Money | None:
    """The deposit a bidder pays: its percentage of the whole quantity at the ceiling."""
    if not request.deposit_pct or request.max_price_minor is None:
        return None
    lot = Decimal(request.max_price_minor) * Decimal(request.quantity_milli) / 1000
    share = (lot * Decimal(request.deposit_pct).scaleb(-2)).quantize(Decimal(1), ROUND_HALF_UP)
    return Money(int(share), request.currency)


# A deposit's money reference names its auction's side, so that every place the money is named
# (the pay page, receipts, wallet lines, notices: core.money.model.described) can say "lot"
# without reading the request. A lot's deposits asked before it did kept "deposit:": still read.
REQUEST_PREFIX, LOT_PREFIX = "deposit", "lot-deposit"


def reference(request_id: int, seller_id: int, lot: bool = False) -> str:
    """The deposit's money reference: `deposit:<request>:<seller>`, or on a seller's lot
    `lot-deposit:<lot>:<buyer>`."""
    return f"{LOT_PREFIX if lot else REQUEST_PREFIX}:{request_id}:{seller_id}"


def parsed(ref: str) -> tuple[int, int] | None:
    """(request, seller) of a deposit's money reference, None for any other reference."""
    head, __, rest = ref.partition(":")
    request, __, seller = rest.partition(":")
    return (int(request), int(seller)) if head in (REQUEST_PREFIX, LOT_PREFIX) \
        and request.isdigit() and seller.isdigit() else None


def legacy(ref: str) -> str | None:
    """The reference a lot's deposit had before lots named theirs (`deposit:`), else None."""
    found = parsed(ref)
    return reference(*found) if found is not None and ref.startswith(LOT_PREFIX + ":") else None


async def check_paid(uow: UnitOfWork, request: SupplyRequest, seller_id: int) -> None:
    """Refuse a bid until the seller's deposit is held, with the way to pay it."""
    due = amount(request)
    if due is None:
        return
    row = await uow.get(BidDeposit, (request.id, seller_id))
    if row is not None and row.state == HELD:
        return
    raise DomainError(_("Request #{id} asks a bid deposit of {amount} before you bid; it comes "
                        "back after the close.", id=request.id, amount=due),
                      actions=(Action(DealIntent.PAY_DEPOSIT, N_("💳 Pay the deposit"),
                                      str(request.id)),))


async def due_from(uow: UnitOfWork, request: SupplyRequest, seller_id: int) -> Money | None:
    """The deposit this seller must still pay before bidding, or None (none asked, or held)."""
    due = amount(request)
    row = await uow.get(BidDeposit, (request.id, seller_id))
    return None if due is None or (row is not None and row.state == HELD) else due


async def ask(uow: UnitOfWork, request: SupplyRequest, seller_id: int,
              price: Money | None = None) -> Money:
    """The seller will pay the deposit: recorded once, with the `price` they typed to bid once
    it is paid (kept, not lost); the payment page is (re)sent."""
    due = amount(request)
    if due is None:
        raise DomainError(_("That request asks no deposit."))
    row = await uow.get(BidDeposit, (request.id, seller_id))
    if row is not None and row.state != ASKED:
        raise DomainError(_("Your deposit on lot #{id} is paid already.", id=request.id)
                          if request.side == SELLER else
                          _("Your deposit on request #{id} is paid already.", id=request.id))
    if row is None:
        now = uow.clock.now()
        row = BidDeposit(request_id=request.id, seller_id=seller_id, amount_minor=due.amount,
                         currency=due.currency, state=ASKED, created_at=now, updated_at=now)
        uow.add(row)
    if price is not None:
        row.price_minor = price.amount
    uow.emit(DepositAsked(reference(request.id, seller_id, request.side == SELLER), seller_id,
                          request.buyer_id, due))
    return due


async def paid(uow: UnitOfWork, ref: str) -> tuple[SupplyRequest, int, Money] | None:
    """In the payment's transaction: the deposit is held, and the seller may bid — unless the
    bidding ended meanwhile, when it goes straight back. A price typed before paying is
    returned (request, seller, price) for the caller to place; otherwise the seller is told
    they may bid."""
    found = parsed(ref)
    if found is None or not await _moved(uow, found, (ASKED,), HELD):
        return None
    # Hold the request's row, as a bid does: a close or cancellation running now either came
    # first (and this deposit goes back) or waits for this one (and returns it itself).
    still_open = await uow.session.execute(update(SupplyRequest).where(
        SupplyRequest.id == found[0], SupplyRequest.status == RequestState.OPEN,
        SupplyRequest.closed_at.is_(None), SupplyRequest.deadline > uow.clock.now())
        .values(updated_at=uow.clock.now()))
    request = await uow.get(SupplyRequest, found[0], populate_existing=True)
    if request is None or still_open.rowcount != 1:  # type: ignore[attr-defined]
        await _settle(uow, found, RETURNED)
        return None
    row = await uow.get(BidDeposit, found)
    if row is not None and row.price_minor is not None:
        return request, found[1], Money(row.price_minor, request.currency)
    async with addressed_to(uow, found[1]):
        await notify(uow, found[1], _("🔒 Your deposit on lot #{id} is paid: you may bid now.",
                                      id=request.id) if request.side == SELLER else
                     _("🔒 Your deposit on request #{id} is paid: you may bid now.",
                       id=request.id),
                     buttons=[[Action(DealIntent.BID_REQUEST, N_("🔨 Bid"), str(request.id))]],
                     about=(f"request:{request.id}",))
    return None


async def at_close(uow: UnitOfWork, request: SupplyRequest, winner_id: int | None) -> None:
    """Every held deposit but the winner's goes back."""
    for seller_id in await _held(uow, request.id):
        if seller_id != winner_id:
            await _settle(uow, (request.id, seller_id), RETURNED)


async def return_all(uow: UnitOfWork, request_id: int) -> None:
    """A cancelled request gives every held deposit back."""
    for seller_id in await _held(uow, request_id):
        await _settle(uow, (request_id, seller_id), RETURNED)


# Built once: asked of every deal that completes or ends, whether a tender's winner made it.
_BIDS, _DEALS = table_of(RequestBid), table_of(Deal)
# The bid's bidder is the deal's seller on a buyer's request, its buyer on a seller's lot.
_WINNING_BID = (select(_BIDS.c.request_id, _BIDS.c.seller_id, _DEALS.c.buyer_id)
                .join(_DEALS, _DEALS.c.offer_id == _BIDS.c.offer_id)
                .where(_DEALS.c.id == bindparam("deal_id")))


async def on_deal_ended(uow: UnitOfWork, event: DealMoved) -> None:
    """The deal's "settle-bid-deposit": the winner's deposit follows their deal, back once it
    completes or ends by the buyer's doing (or an operator's refund); the buyer's when it ends
    by the winner's."""
    row = (await (await uow.core()).execute(_WINNING_BID, {"deal_id": event.deal_id})).first()
    if row is None:
        return
    key = (int(row[0]), int(row[1]))
    why = await _winners_doing(uow, event, lot=int(row[1]) == int(row[2]))
    if why is None:
        await _settle(uow, key, RETURNED)
    elif await _settle(uow, key, FORFEITED):
        await _tell_forfeited(uow, key, why)


async def _winners_doing(uow: UnitOfWork, event: DealMoved, lot: bool = False) -> str | None:
    """Why the deal ended by the winner (the seller), or None when it did not. Terms the buyer
    changed after the award are no one's fault but hers: a winner who withdraws from them, or
    accepted an earlier version, keeps the deposit. A lot's winner is the buyer: theirs is a
    withdrawal, or terms not accepted in time; not shipping is the seller's doing."""
    if lot:
        if event.transition == "cancel-deal" and event.by == "buyer":
            return FORFEIT_WHY["cancel-deal"]
        if event.transition == "cancel-unpaid":
            return FORFEIT_WHY["cancel-unpaid"]
        return None
    versions = (await uow.session.execute(select(
        DealTerms.version, DealTerms.seller_accepted_at).where(
        DealTerms.deal_id == event.deal_id))).all()
    changed = any(version > 1 for version, __ in versions)
    signed = any(accepted is not None for __, accepted in versions)
    if event.transition == "cancel-deal" and event.by == "seller" and not changed:
        return FORFEIT_WHY["cancel-deal"]
    if event.transition == "cancel-not-shipped":
        return FORFEIT_WHY["cancel-not-shipped"]
    if event.transition == "cancel-unpaid" and event.source == "agreed" and not signed:
        return FORFEIT_WHY["cancel-unpaid"]
    return None


async def strays(uow: UnitOfWork) -> int:
    """Deposits held on requests whose bidding ended without them in an award (a safety net:
    the close and cancellation return them as they happen); returns how many went back."""
    ended = select(SupplyRequest.id).where(or_(
        SupplyRequest.status == RequestState.CANCELLED, SupplyRequest.closed_at.is_not(None)))
    awarded = select(RequestBid.request_id, RequestBid.seller_id).where(
        RequestBid.offer_id.is_not(None))
    rows = (await uow.session.execute(select(BidDeposit.request_id, BidDeposit.seller_id).where(
        BidDeposit.state == HELD, BidDeposit.request_id.in_(ended),
        tuple_(BidDeposit.request_id, BidDeposit.seller_id).not_in(awarded)))).all()
    count = 0
    for request_id, seller_id in rows:
        count += await _settle(uow, (int(request_id), int(seller_id)), RETURNED)
    return count


async def _tell_forfeited(uow: UnitOfWork, key: tuple[int, int], why: str) -> None:
    request = await uow.get(SupplyRequest, key[0])
    row = await uow.get(BidDeposit, key)
    if request is None or row is None:
        return
    money, lot = Money(row.amount_minor, row.currency), request.side == SELLER
    async with addressed_to(uow, key[1]):
        await notify(uow, key[1], _(
            "Your deposit of {amount} on lot #{id} goes to the seller: {why}, as the lot's "
            "terms say.", amount=money, id=request.id, why=_(why)) if lot else _(
            "Your deposit of {amount} on request #{id} goes to the buyer: {why}, as the request's "
            "terms say.", amount=money, id=request.id, why=_(why)))
    async with addressed_to(uow, request.buyer_id):  # a lot's: its seller
        await notify(uow, request.buyer_id, _(
            "The winner's deposit of {amount} on your lot #{id} is yours: the deal ended "
            "by the winner's doing.", amount=money, id=request.id) if lot else _(
            "The winner's deposit of {amount} on your request #{id} is yours: the deal ended "
            "by the winner's doing.", amount=money, id=request.id))


async def _held(uow: UnitOfWork, request_id: int) -> list[int]:
    return list((await uow.session.execute(select(BidDeposit.seller_id).where(
        BidDeposit.request_id == request_id, BidDeposit.state == HELD)
        .order_by(BidDeposit.seller_id))).scalars())


async def _settle(uow: UnitOfWork, key: tuple[int, int], outcome: str) -> bool:
    """held → returned or forfeited, once; the payments layer then moves the money."""
    if not await _moved(uow, key, (HELD,), outcome):
        return False
    request = await uow.get(SupplyRequest, key[0])
    uow.emit(DepositSettled(reference(*key, request is not None and request.side == SELLER),
                            outcome))
    return True


async def _moved(uow: UnitOfWork, key: tuple[int, int], states: tuple[str, ...], to: str
                 ) -> bool:
    done = await uow.session.execute(update(BidDeposit).where(
        BidDeposit.request_id == key[0], BidDeposit.seller_id == key[1],
        BidDeposit.state.in_(states)).values(state=to, updated_at=uow.clock.now()))
    return done.rowcount == 1  # type: ignore[attr-defined]
