"""The offer, deal and contract notices as declared in core.process.deals, made sendable: how each
moved event reads, and the text and buttons builders each declared name stands for. The
handlers (`OFFERS.on_moved`…) are declared in core.deals.wiring."""

from __future__ import annotations

from core.deals.contracts.tables import Contract
from core.deals.deal_book import deal_book_of
from core.deals.events import ContractMoved, DealMoved, OfferClosed
from core.deals.notices import after_sale as after_sale_notices
from core.deals.notices import contracts as contract_notices
from core.deals.notices import negotiations as offer_notices
from core.deals.notices import parties as notices
from core.deals.notices import timers as timer_notices
from core.deals.offers.sql_negotiation import negotiation_of
from core.process.deals import (
    BUYER,
    CONTRACT_PROCESS,
    DEAL_PROCESS,
    MAKER,
    OFFER_PROCESS,
    RECEIVER,
    SELLER,
)
from core.process.notices import Moved, NoticeBook
from core.storage.uow import UnitOfWork

# An offer's closing status → the transition that closed it.
OFFER_CLOSED_BY = {"accepted": "accept-offer", "declined": "decline-offer",
                   "countered": "counter-offer", "withdrawn": "withdraw-offer",
                   "expired": "expire-offer"}


async def _offer_closed(uow: UnitOfWork, event: OfferClosed) -> Moved | None:
    offer = await negotiation_of(uow).offer(event.offer_id)
    if offer is None or event.status not in OFFER_CLOSED_BY:
        return None
    maker, receiver = ((offer.buyer_id, offer.seller_id) if offer.made_by == BUYER
                       else (offer.seller_id, offer.buyer_id))
    return Moved(OFFER_CLOSED_BY[event.status], offer,
                 {BUYER: offer.buyer_id, SELLER: offer.seller_id, MAKER: maker,
                  RECEIVER: receiver}, "open", event.status, event)


async def _deal_moved(uow: UnitOfWork, event: DealMoved) -> Moved | None:
    deal = await deal_book_of(uow).stored(event.deal_id)
    if deal is None:
        return None
    return Moved(event.transition, deal, {BUYER: deal.buyer_id, SELLER: deal.seller_id},
                 event.source, event.target, event)


async def _contract_moved(uow: UnitOfWork, event: ContractMoved) -> Moved | None:
    contract = await uow.get(Contract, event.contract_id)
    if contract is None:
        return None
    return Moved(event.transition, contract,
                 {BUYER: contract.buyer_id, SELLER: contract.seller_id}, event=event)


OFFERS = NoticeBook(
    OFFER_PROCESS, _offer_closed,
    texts={"offer_declined": offer_notices.offer_declined,
           "offer_withdrawn": offer_notices.offer_withdrawn,
           "offer_expired": timer_notices.offer_expired},
    buttons={"view_offer": timer_notices.view_offer},
    roles=(MAKER, RECEIVER),
)

DEALS = NoticeBook(
    DEAL_PROCESS, _deal_moved,
    texts={**{state: notices.entering(state) for state in notices.MOVED},
           "dispute_opened": after_sale_notices.dispute_opened,
           "dispute_escalated": timer_notices.dispute_escalated},
    buttons={"next_steps": notices.deal_next_steps,
             "decide_dispute": timer_notices.decide_dispute},
    card="deal", card_parties=(BUYER, SELLER),  # a party told nothing has their card rewritten
)

CONTRACTS = NoticeBook(
    CONTRACT_PROCESS, _contract_moved,
    texts={"contract_running": contract_notices.contract_running,
           "contract_lapsed": contract_notices.contract_lapsed},
    buttons={"view_contract": contract_notices.view_contract},
    roles=(BUYER, SELLER),  # the system takes every step; the parties hear
)

BOOKS = (OFFERS, DEALS, CONTRACTS)
