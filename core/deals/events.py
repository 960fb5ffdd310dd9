"""Deal events: past-tense facts of offers and deals (their notices are handlers)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event
from core.money.model import Money


@dataclass(frozen=True)
class DealMoved(Event):
    deal_id: int
    transition: str
    source: str
    target: str
    by: str = ""  # the role that took it: buyer, seller, admin or system
    on_terms: bool = False  # paid on terms (invoiced after shipping), not into escrow first


@dataclass(frozen=True)
class DealAgreed(Event):
    """An offer was accepted: a deal with its first version of the terms."""

    deal_id: int
    terms_id: int


@dataclass(frozen=True)
class MessagePosted(Event):
    """A thread message to relay to `recipient_id` on their own channel."""

    thread_id: int
    message_id: int
    sender_id: int
    recipient_id: int


@dataclass(frozen=True)
class OfferMade(Event):
    """A new offer (a first one, a counter-offer or a quote) waits for the other party."""

    offer_id: int


@dataclass(frozen=True)
class OfferClosed(Event):
    """An open offer was accepted, declined, countered, withdrawn or expired."""

    offer_id: int
    status: str


@dataclass(frozen=True)
class DisputeOpened(Event):
    dispute_id: int
    deal_id: int


@dataclass(frozen=True)
class RatingsPublished(Event):
    """A deal's ratings were published (both rated, or the window closed): the stars each
    party was given, as (ratee, stars); a party nobody rated is not among them."""

    deal_id: int
    stars: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ShipmentUpdated(Event):
    """The seller said where the goods are (dispatched, in transit, delayed)."""

    deal_id: int
    status: str


@dataclass(frozen=True)
class DisputeQuestion(Event):
    """An admin asked a party of a dispute a question, or a party answered one."""

    dispute_id: int
    sender_id: int
    recipient_id: int | None  # None: to the admins
    text: str


@dataclass(frozen=True)
class DisputeDecided(Event):
    dispute_id: int
    deal_id: int


@dataclass(frozen=True)
class ThreadReported(Event):
    """A party reported the other in a conversation (and blocked it)."""

    thread_id: int
    reporter_id: int


@dataclass(frozen=True)
class TermsChanged(Event):
    """A party proposed a new version of a deal's terms; both accept it again."""

    deal_id: int
    terms_id: int
    by: int
    changed: tuple[str, ...]


@dataclass(frozen=True)
class TermsAccepted(Event):
    """A party accepted a version of the terms the other has not accepted yet."""

    deal_id: int
    terms_id: int
    by: int


@dataclass(frozen=True)
class ContractMoved(Event):
    """A framework contract started, lapsed, called off a delivery (`deal_id`) or ended."""

    contract_id: int
    transition: str
    deal_id: int | None


@dataclass(frozen=True)
class DealRated(Event):
    """A party rated the other after completion."""

    deal_id: int
    rater_id: int
    rating_id: int


@dataclass(frozen=True)
class PurchaseHeld(Event):
    """A company buyer's purchase waits for an approver (core.deals.approvals.service)."""

    request_id: int


@dataclass(frozen=True)
class PurchaseDecided(Event):
    request_id: int
    status: str  # approved | lapsed | rejected | withdrawn


@dataclass(frozen=True)
class RequestPosted(Event):
    """A buyer's request for supply was published; these sellers are asked to quote."""

    request_id: int
    invited: tuple[int, ...]


@dataclass(frozen=True)
class RequestCancelled(Event):
    """An operator cancelled a request for supply, with the reason everyone is told."""

    request_id: int
    reason: str


@dataclass(frozen=True)
class RequestQuestionAsked(Event):
    """A seller asked the buyer a question on a request for supply."""

    question_id: int


@dataclass(frozen=True)
class RequestQuestionAnswered(Event):
    """The buyer answered a question on a request: for every seller asked, or the asker."""

    question_id: int


@dataclass(frozen=True)
class BidPlaced(Event):
    """A seller bid in a tender or reverse auction; `outbid`: the seller who held the best
    price in an auction until this bid (None in a tender, or when there was none)."""

    request_id: int
    bid_id: int
    outbid: int | None


@dataclass(frozen=True)
class BiddingClosed(Event):
    """A tender or auction closed (once): `bid_id` won, or None (no bid, or none within the
    reserve, or none that could still be awarded)."""

    request_id: int
    bid_id: int | None


@dataclass(frozen=True)
class DepositAsked(Event):
    """A seller asked to pay a tender's or auction's bid deposit (`reference`: deposit:R:S)."""

    reference: str
    seller_id: int
    buyer_id: int
    amount: Money


@dataclass(frozen=True)
class DepositSettled(Event):
    """A held bid deposit goes back to its seller (`returned`) or to the buyer (`forfeited`)."""

    reference: str
    outcome: str


@dataclass(frozen=True)
class AwardUndone(Event):
    """A deal awarded on a request ended unfulfilled; `reopened`: the request takes quotes
    again (otherwise its deadline passed, or it was a tender or auction)."""

    request_id: int
    deal_id: int
    reopened: bool
