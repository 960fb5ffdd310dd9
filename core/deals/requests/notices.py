"""What a request for supply tells: each invited seller gets the request's card with Quote, in
their own language, once (written in the publishing transaction, from the invitations). The
request's words are core.deals.requests.wording's (`request_text`, which the flows import from
here too). The handlers of a request's own moves read it through the register
(`core.deals.requests.register`), as its use cases do; an auction's results and an award undone
read the bids' ranking and the awards on the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from core.accounts.tables import Account
from core.actions import Action
from core.catalog.taxonomy import UNITS
from core.clock import local_time
from core.deals import request_award
from core.deals.events import (
    AwardUndone,
    BiddingClosed,
    BidPlaced,
    RequestCancelled,
    RequestPosted,
    RequestQuestionAnswered,
    RequestQuestionAsked,
)
from core.deals.intents import DealIntent
from core.deals.requests import auction_rules, awarding
from core.deals.requests.bid_ranking import ranking
from core.deals.requests.register import register_of
from core.deals.requests.tables import RequestBid
from core.deals.requests.view import Asked, RequestView
from core.deals.requests.wording import request_text
from core.deals.tables import SupplyRequest
from core.i18n import N_, _, n_, present
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify, recipients
from core.storage.uow import UnitOfWork, UowFactory

UNTOLD_AFTER = timedelta(seconds=30)  # a close's results not told by then: the job tells them


async def on_posted(uow: UnitOfWork, event: RequestPosted) -> None:
    request = await register_of(uow).request(event.request_id)
    if request is None or request.id is None or request.deadline is None:
        return
    await recipients(uow, set(event.invited))
    for seller_id in event.invited:
        async with addressed_to(uow, seller_id) as reader:
            text = request_text(request, local_time(
                request.deadline, reader.timezone if reader else None))
            answer = Action(DealIntent.BID_REQUEST, N_("🔨 Bid"), str(request.id)) \
                if request.mode in auction_rules.BIDDING else \
                Action(DealIntent.QUOTE_REQUEST, N_("💶 Quote"), str(request.id))
            buttons = [answer] if request.lot else [  # a lot takes bids, not questions
                answer, Action(DealIntent.ASK_REQUEST, N_("❓ Ask the buyer"), str(request.id))]
            await notify(uow, seller_id, text, buttons=[buttons],
                         about=(f"request:{request.id}",))


async def on_cancelled(uow: UnitOfWork, event: RequestCancelled) -> None:
    """The buyer and every seller asked hear that Agora cancelled the request, and why."""
    register = register_of(uow)
    request = await register.request(event.request_id)
    if request is None or request.buyer_id is None:
        return
    told = {request.buyer_id, *await register.invited(event.request_id)}
    await recipients(uow, told)
    for party in sorted(told):
        async with addressed_to(uow, party):
            await notify(uow, party, _("🔨 Lot #{id} was cancelled by Agora: {reason}",
                                       id=event.request_id, reason=event.reason) if request.lot
                         else _("📣 Request for supply #{id} was cancelled by Agora: "
                                "{reason}", id=event.request_id, reason=event.reason),
                         about=(f"request:{event.request_id}",))


async def _question(uow: UnitOfWork, question_id: int) -> tuple[Asked, RequestView] | None:
    register = register_of(uow)
    asked = await register.question(question_id)
    request = await register.request(asked.question.request_id) if asked else None
    return (asked, request) if asked is not None and request is not None else None


async def on_question_asked(uow: UnitOfWork, event: RequestQuestionAsked) -> None:
    """The buyer gets the question, to answer for every seller asked or for the asker."""
    found = await _question(uow, event.question_id)
    if found is None or found[1].buyer_id is None:
        return
    question, (request_id, buyer_id) = found[0].question, (found[1].id, found[1].buyer_id)
    async with addressed_to(uow, buyer_id):
        await notify(uow, buyer_id, _(
            "❓ A seller asks about your request for supply #{id}:\n{question}", id=request_id,
            question=question.text), buttons=[
            [Action(DealIntent.ANSWER_REQUEST, N_("↩ Answer for every seller"), f"p:{question.id}")],
            [Action(DealIntent.ANSWER_REQUEST, N_("↩ Answer this seller only"), f"s:{question.id}")]],
            about=(f"question:{question.id}",))


async def on_question_answered(uow: UnitOfWork, event: RequestQuestionAnswered) -> None:
    """A public answer reaches every seller asked (the asker unnamed); a private one the asker."""
    found = await _question(uow, event.question_id)
    if found is None:
        return
    (asker_id, question), request_id = (found[0].asker_id, found[0].question), found[1].id
    told = {asker_id}
    if question.public:
        told |= set(await register_of(uow).invited(question.request_id))
    await recipients(uow, told)
    for seller_id in sorted(told):
        async with addressed_to(uow, seller_id):
            await notify(uow, seller_id, _(
                "💬 Questions and answers on request for supply #{id}:\nQ: {question}\nA: "
                "{answer}", id=request_id, question=question.text, answer=question.answer),
                about=(f"request:{request_id}",))


async def on_bid(uow: UnitOfWork, event: BidPlaced) -> None:
    """In an auction, the seller who held the best price hears they were outbid, with Bid."""
    register = register_of(uow)
    request = await register.request(event.request_id)
    bid = await register.bid(event.bid_id)
    if request is None or request.deadline is None or bid is None or event.outbid is None:
        return
    async with addressed_to(uow, event.outbid) as reader:
        facts = {"id": request.id, "price": Money(bid.price_minor, request.currency),
                 "unit": _(UNITS.get(request.unit, request.unit)),
                 "deadline": local_time(request.deadline, reader.timezone if reader else None)}
        await notify(uow, event.outbid, _(
            "🔨 You were outbid on lot #{id}: the highest bid is now {price} per {unit}. "
            "Bidding closes at {deadline}.", **facts) if request.lot else _(
            "🔨 You were outbid on request #{id}: the best bid is now {price} per {unit}. "
            "Bidding closes at {deadline}.", **facts),
            buttons=[[Action(DealIntent.BID_REQUEST, N_("🔨 Bid"), str(request.id))]],
            about=(f"request:{request.id}",))


async def tell_results(uow: UnitOfWork, request_id: int) -> bool:
    """Every bidder hears their result and the winning price; the buyer who won at what, or
    why nothing was awarded — once per close (a conditional update claims the telling), in a
    transaction after the close's own, so the close commits at once however many bid."""
    claimed = await uow.session.execute(update(SupplyRequest).where(
        SupplyRequest.id == request_id, SupplyRequest.closed_at.is_not(None),
        SupplyRequest.told_at.is_(None)).values(told_at=uow.clock.now()))
    request = await uow.get(SupplyRequest, request_id)
    if claimed.rowcount != 1 or request is None:  # type: ignore[attr-defined]
        return False
    ranked = await ranking(uow, request.id, request.side)
    awarded = set((await uow.session.execute(select(RequestBid.id).where(
        RequestBid.request_id == request.id, RequestBid.offer_id.is_not(None)))).scalars())
    won = next((b for b in ranked if b.id in awarded), None)
    await recipients(uow, {request.buyer_id, *(b.seller_id for b in ranked)})
    for place, bid in enumerate(ranked, 1):
        async with addressed_to(uow, bid.seller_id):
            await notify(uow, bid.seller_id, _result(request, bid, won, place, len(ranked)),
                         about=(f"request:{request.id}",))
    async with addressed_to(uow, request.buyer_id):
        await notify(uow, request.buyer_id, await _buyer_result(uow, request, ranked, won),
                     buttons=[[Action(DealIntent.VIEW_REQUEST, N_("📋 Open the lot")
                                      if request.side == auction_rules.SELLER else
                                      N_("📋 Open the request"),
                                      str(request.id))]],
                     about=(f"request:{request.id}",))
    return True


async def tell_untold(uow_factory: UowFactory) -> int:
    """Results a crash left untold after their close (told at once otherwise)."""
    async with uow_factory() as uow:
        untold = list((await uow.session.execute(select(SupplyRequest.id).where(
            SupplyRequest.closed_at.is_not(None), SupplyRequest.told_at.is_(None),
            SupplyRequest.closed_at < uow.clock.now() - UNTOLD_AFTER))).scalars())
    told = 0
    for request_id in untold:
        async with uow_factory() as uow:
            if await tell_results(uow, request_id):
                await uow.commit()
                told += 1
    return told


def told_after_close(uow_factory: UowFactory) -> Callable[[Sequence[BiddingClosed]], Any]:
    """The after-commit handler of a close: its results told in a transaction of their own
    (the close job tells any a crash left untold)."""
    async def tell(events: Sequence[BiddingClosed]) -> None:
        for event in events:
            async with uow_factory() as uow:
                if await tell_results(uow, event.request_id):
                    await uow.commit()
    return tell


def _result(request: SupplyRequest, bid: Any, won: Any, place: int, bidders: int) -> str:
    """A bidder's result, in the words of the reader being addressed (the unit too)."""
    own, unit = Money(bid.price_minor, request.currency), present.unit_word(request.unit)
    if request.side == auction_rules.SELLER:
        return _lot_result(request, own, unit, bid, won, place, bidders)
    if won is not None and bid.id == won.id:
        return _("🏆 You won request #{id} at {price} per {unit}: accept the deal's terms to "
                 "sign it.", id=request.id, price=own, unit=unit)
    if won is None:
        return _("🔨 Request #{id} closed without an award. Your bid of {price} per {unit} "
                 "ranked {place} of {bidders}.", id=request.id, price=own, unit=unit,
                 place=place, bidders=bidders)
    return _("🔨 Request #{id} closed: the winning bid was {winning} per {unit}. Your bid of "
             "{price} ranked {place} of {bidders}.", id=request.id,
             winning=Money(won.price_minor, request.currency), unit=unit, price=own,
             place=place, bidders=bidders)


def _lot_result(request: SupplyRequest, own: Money, unit: str, bid: Any, won: Any, place: int,
                bidders: int) -> str:
    """A lot's bidder's result (`_result`'s mirror)."""
    if won is not None and bid.id == won.id:
        return _("🏆 You won lot #{id} at {price} per {unit}: the deal is made; its card "
                 "shows what comes next.", id=request.id, price=own, unit=unit)
    if won is None:
        return _("🔨 Lot #{id} closed unsold. Your bid of {price} per {unit} ranked {place} of "
                 "{bidders}.", id=request.id, price=own, unit=unit, place=place,
                 bidders=bidders)
    return _("🔨 Lot #{id} closed: the winning bid was {winning} per {unit}. Your bid of "
             "{price} ranked {place} of {bidders}.", id=request.id,
             winning=Money(won.price_minor, request.currency), unit=unit, price=own,
             place=place, bidders=bidders)


async def _seller_result(uow: UnitOfWork, request: SupplyRequest, ranked: list[Any],
                         won: Any) -> str:
    """A lot's seller's result (`_buyer_result`'s mirror)."""
    unit = present.unit_word(request.unit)
    if won is not None:
        bidder = await uow.get(Account, won.seller_id)
        return n_("🏆 Lot #{id} sold: {buyer} won at {price} per {unit}, against {n} other "
                  "bidder.", "🏆 Lot #{id} sold: {buyer} won at {price} per {unit}, against "
                  "{n} other bidders.", len(ranked) - 1, id=request.id,
                  buyer=bidder.display_name if bidder else "?", unit=unit,
                  price=Money(won.price_minor, request.currency))
    if not ranked:
        return _("🔨 Lot #{id} closed with no bids.", id=request.id)
    if not auction_rules.reserve_met(ranked[0].price_minor, request.reserve_minor,
                                     auction_rules.SELLER):
        return _("🔨 Lot #{id} closed unsold: the highest bid, {price} per {unit}, was under "
                 "your reserve of {reserve}.", id=request.id, unit=unit,
                 price=Money(ranked[0].price_minor, request.currency),
                 reserve=Money(request.reserve_minor or 0, request.currency))
    return _("🔨 Lot #{id} closed unsold: the listing no longer holds the lot.", id=request.id)


async def _buyer_result(uow: UnitOfWork, request: SupplyRequest, ranked: list[Any],
                        won: Any) -> str:
    """The buyer's result, in the words of the reader being addressed (the unit too)."""
    if request.side == auction_rules.SELLER:
        return await _seller_result(uow, request, ranked, won)
    unit = present.unit_word(request.unit)
    if won is not None:
        seller = await uow.get(Account, won.seller_id)
        facts = {"id": request.id, "seller": seller.display_name if seller else "?", "unit": unit,
                 "price": Money(won.price_minor, request.currency)}
        if len(ranked) == 1:
            return _("🏆 Request #{id} closed: {seller} won at {price} per {unit}, the only "
                     "bidder. Accept the deal's terms to go on.", **facts)
        return n_("🏆 Request #{id} closed: {seller} won at {price} per {unit}, against {n} "
                  "other bidder. Accept the deal's terms to go on.",
                  "🏆 Request #{id} closed: {seller} won at {price} per {unit}, against {n} "
                  "other bidders. Accept the deal's terms to go on.", len(ranked) - 1, **facts)
    if not ranked:
        return _("🔨 Request #{id} closed with no bids.", id=request.id)
    best = Money(ranked[0].price_minor, request.currency)
    if request.reserve_minor is not None and ranked[0].price_minor > request.reserve_minor:
        return _("🔨 Request #{id} closed without an award: the best bid, {price} per {unit}, "
                 "was above your reserve of {reserve}.", id=request.id, price=best, unit=unit,
                 reserve=Money(request.reserve_minor, request.currency))
    return _("🔨 Request #{id} closed without an award: no bidder's listing could still "
             "supply the whole quantity.", id=request.id)


async def on_award_undone(uow: UnitOfWork, event: AwardUndone) -> None:
    """The buyer hears that an award's deal ended, and what now: the request open again, the
    next bid to award, or the quantity uncovered."""
    request = await uow.get(SupplyRequest, event.request_id)
    if request is None:
        return
    left = request.quantity_milli - await request_award.awarded_milli(uow, request.id)
    buttons: list[list[Action]] = []
    async with addressed_to(uow, request.buyer_id) as reader:
        uncovered = present.quantity_milli(left, request.unit)  # in the buyer's figures
        if event.reopened:
            text = _("📣 Deal #{deal} on your request #{id} ended: the request takes quotes "
                     "again for the {quantity} uncovered, until {deadline}.", deal=event.deal_id,
                     id=request.id, quantity=uncovered, deadline=local_time(
                         request.deadline, reader.timezone if reader else None))
        elif request.side == auction_rules.SELLER and (after := await awarding.next_bids(
                uow, request)):
            text = _("🔨 Deal #{deal}, the sale of your lot #{id}, ended. The next bid is "
                     "{price} per {unit}: award it, or leave it.", deal=event.deal_id,
                     id=request.id, price=Money(after[0].price_minor, request.currency),
                     unit=_(UNITS.get(request.unit, request.unit)))
            buttons = [[Action(DealIntent.AWARD_NEXT, N_("✅ Award the next bid"), str(request.id))]]
        elif request.side == auction_rules.SELLER:
            text = _("📣 Deal #{deal}, the sale of your lot #{id}, ended, and no other bid can "
                     "be awarded: put it up again from 📦 My listings.", deal=event.deal_id, id=request.id)
        elif request.mode in auction_rules.BIDDING and (after := await awarding.next_bids(
                uow, request)):
            text = _("🔨 Deal #{deal}, the award of your request #{id}, ended. The next bid is "
                     "{price} per {unit}: award it, or leave it.", deal=event.deal_id,
                     id=request.id, price=Money(after[0].price_minor, request.currency),
                     unit=_(UNITS.get(request.unit, request.unit)))
            buttons = [[Action(DealIntent.AWARD_NEXT, N_("✅ Award the next bid"), str(request.id))]]
        else:
            text = _("📣 Deal #{deal} on your request #{id} ended: {quantity} is uncovered. Ask "
                     "for supply again from the menu.", deal=event.deal_id, id=request.id,
                     quantity=uncovered)
        await notify(uow, request.buyer_id, text, buttons=buttons or None,
                     about=(f"request:{request.id}",))
