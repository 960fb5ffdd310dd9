"""Deals' event handlers: the parties' notices for offers, requests, deals, threads, terms and
contracts (each process's as declared, core.deals.notices.book), and the steps one process
takes when another moves. A deal's money is moved by payments (payments.wiring.deal_money)."""

from __future__ import annotations

from core.companies.events import ApprovalsChatChosen
from core.deals import request_award
from core.deals.approvals import notices as approvals
from core.deals.carbon import records as carbon
from core.deals.contracts import service as contracts
from core.deals.events import (
    AwardUndone,
    BiddingClosed,
    BidPlaced,
    ContractMoved,
    DealAgreed,
    DealMoved,
    DisputeDecided,
    DisputeQuestion,
    MessagePosted,
    OfferClosed,
    OfferMade,
    PurchaseDecided,
    PurchaseHeld,
    RatingsPublished,
    RequestCancelled,
    RequestPosted,
    RequestQuestionAnswered,
    RequestQuestionAsked,
    ShipmentUpdated,
    TermsAccepted,
    TermsChanged,
    ThreadReported,
)
from core.deals.notices import after_sale, book, negotiations, parties, terms
from core.deals.requests import bid_deposits
from core.deals.requests import notices as requests
from core.events import EventBus
from core.process.deals import DEAL_PROCESS
from core.process.effects import During
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """Notices in the transaction; a deal's move carried to its contract, bid deposits and
    award in the same transaction."""
    wire_approvals(bus)
    wire_offers_and_requests(bus)
    _deals(bus)
    bus.after_commit(BiddingClosed, requests.told_after_close(deps.uow))  # its own transaction
    # A deal's effects that deals carries out, as the deal's process declares them.
    bus.during_commit(DealMoved, During(DEAL_PROCESS, "start-contract", contracts.start_on_accepted))
    bus.during_commit(DealMoved, During(DEAL_PROCESS, "lapse-contract", contracts.lapse_on_cancelled))
    bus.during_commit(DealMoved, During(DEAL_PROCESS, "settle-bid-deposit", bid_deposits.on_deal_ended))
    bus.during_commit(DealMoved, During(DEAL_PROCESS, "give-back-award",
                                        request_award.on_deal_unfulfilled))
    bus.during_commit(DealMoved, During(DEAL_PROCESS, "record-carbon", carbon.on_deal_completed))
    bus.during_commit(AwardUndone, requests.on_award_undone)
    bus.during_commit(ContractMoved, book.CONTRACTS.on_moved)


def wire_approvals(bus: EventBus) -> None:
    """A company's purchases held for approval, decided, and its approvals chat."""
    bus.during_commit(PurchaseHeld, approvals.on_held)
    bus.during_commit(PurchaseDecided, approvals.on_decided)
    bus.during_commit(ApprovalsChatChosen, approvals.on_chat_chosen)


def wire_offers_and_requests(bus: EventBus) -> None:
    """Offers made; requests for quotes posted, cancelled, bid on and asked about."""
    bus.during_commit(OfferMade, negotiations.on_offer_made)
    bus.during_commit(RequestPosted, requests.on_posted)
    bus.during_commit(RequestCancelled, requests.on_cancelled)
    bus.during_commit(BidPlaced, requests.on_bid)
    bus.during_commit(RequestQuestionAsked, requests.on_question_asked)
    bus.during_commit(RequestQuestionAnswered, requests.on_question_answered)


def _deals(bus: EventBus) -> None:
    """Offers closed and deals moved (as declared, by transition), and what the parties say."""
    bus.during_commit(OfferClosed, book.OFFERS.on_moved)
    bus.during_commit(OfferClosed, negotiations.on_counter_closed)  # a request's quote
    bus.during_commit(DealAgreed, parties.on_deal_agreed)
    bus.during_commit(DealMoved, book.DEALS.on_moved)
    bus.during_commit(MessagePosted, negotiations.on_message_posted)
    bus.during_commit(ShipmentUpdated, after_sale.on_shipment_updated)
    bus.during_commit(DisputeQuestion, after_sale.on_dispute_question)
    bus.during_commit(DisputeDecided, after_sale.on_dispute_decided)
    bus.during_commit(RatingsPublished, after_sale.on_ratings_published)
    bus.during_commit(ThreadReported, negotiations.on_thread_reported)
    bus.during_commit(TermsChanged, parties.on_terms_changed)
    bus.during_commit(TermsAccepted, terms.on_terms_accepted)
