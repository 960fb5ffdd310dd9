"""Follow-ups as data: what a person may do next, named by intent, never by a flow or command.

Core and payments say "offer this person: view listing 42" as an `Action`; the conversation
layer maps each intent to the flow that carries it out (one registry), and each channel renders
it as a button, or, in an email, as the command to type in chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.i18n import _


class Intent(StrEnum):
    """Everything core can point a person to."""

    REGISTER = "register"
    PROFILE = "profile"
    LINK_ACCOUNT = "link_account"
    VIEW_LISTING = "view_listing"
    RENEW_LISTING = "renew_listing"
    MY_LISTINGS = "my_listings"
    REVIEW_LISTING = "review_listing"
    UNSUBSCRIBE = "unsubscribe"
    RECEIPT = "receipt"
    SET_UP_PAYOUTS = "set_up_payouts"
    PAY = "pay"
    SAVE_CARD = "save_card"  # the arg is the card request's id (a session booked far ahead)
    PAY_DIRECTLY = "pay_directly"
    PAY_BY_TRANSFER = "pay_by_transfer"  # the arg is the payment's id
    KEEP_ESCROW = "keep_escrow"
    # Deals: the arg is an id, or "verb:id" / "id:transition" where a step is named.
    REPLY_THREAD = "reply_thread"
    SEND_QUOTE = "send_quote"
    QUOTE_REQUEST = "quote_request"  # a seller's quote on a request for supply (arg: its id)
    VIEW_REQUEST = "view_request"  # a request for supply's card: its quotes (arg: its id)
    PAY_DEPOSIT = "pay_deposit"  # a bidder pays a tender's or auction's deposit (arg: request id)
    AWARD_NEXT = "award_next"  # the buyer awards a tender's next bid (arg: the request's id)
    BID_REQUEST = "bid_request"  # a seller's bid in a tender or auction (arg: the request's id)
    ASK_REQUEST = "ask_request"  # a seller's question on a request (arg: its id)
    ANSWER_REQUEST = "answer_request"  # the buyer's answer ("p:ID" for all, "s:ID" the asker)
    VIEW_OFFER = "view_offer"
    ANSWER_OFFER = "answer_offer"
    COUNTER_OFFER = "counter_offer"
    VIEW_DEAL = "view_deal"
    DEAL_STEP = "deal_step"
    RATE_DEAL = "rate_deal"
    MY_DEALS = "my_deals"
    DECIDE_DISPUTE = "decide_dispute"
    VIEW_CONTRACT = "view_contract"  # a framework contract's card: its call-offs (arg: its id)
    RENEW_CONTRACT = "renew_contract"  # a new offer from a contract's terms (arg: its id)
    ANSWER_DISPUTE = "answer_dispute"
    # Sessions: the arg is the session id ("id:minutes" to extend; "reply:id" to answer a review).
    JOIN_SESSION = "join_session"
    END_SESSION = "end_session"
    EXTEND_SESSION = "extend_session"
    REVIEW_SESSION = "review_session"
    SESSION_RECAP = "session_recap"  # "notes:id" (the consultant) or "get:id" (the seeker)
    # Consultants: the arg is a booking or consultant id; an answer is "verb:booking[:proposal]"
    # (accept, decline, propose, withdraw, cancel, reschedule, keep, no-show…); a consultant's
    # "now:id" starts talk now, "book:id" shows the free slots.
    VIEW_BOOKING = "view_booking"
    ANSWER_BOOKING = "answer_booking"
    VIEW_CONSULTANT = "view_consultant"
    PROMOTE = "promote"  # a consultant's promotion packages
    PACKAGES = "packages"  # a consultant's session packages (arg: their id), or one's own
    CALENDAR = "calendar"  # a consultant's own calendar connected, and one's bookings' address
    # Support: asking for help (arg "error": about the error just shown); a person's own ticket
    # ("id", or "reply:id", "close:id", "rate:id:stars"); an operator's ticket ("id", "reply:id").
    SUPPORT = "support"
    MY_TICKET = "my_ticket"
    HANDLE_TICKET = "handle_ticket"
    # Recommendations: "Not interested" (arg "listing:42" or "consultant:7"), stop the weekly
    # message, and the current picks on demand.
    DECLINE_PICK = "decline_pick"
    STOP_PICKS = "stop_picks"
    PICKS = "picks"
    # Community: a board post ("id", or "reply:id", "report:id", "hide:id", "react:id:kind");
    # a board ("id").
    BOARD_POST = "board_post"
    VIEW_BOARD = "view_board"
    # Learning: a resource or insight ("id"); a webinar or event ("id", "rsvp:id:answer").
    VIEW_RESOURCE = "view_resource"
    VIEW_GATHERING = "view_gathering"
    # Companies: the company card ("" or "members"), an admin's answer to a colleague who asked
    # to join ("admit:account" / "refuse:account"); a held purchase ("id", or "approve:id",
    # "reject:id", "cancel:id").
    COMPANY = "company"
    PURCHASE_REQUEST = "purchase_request"


@dataclass(frozen=True)
class Action:
    """One follow-up: its intent, the object it concerns (an id or token) and a label."""

    intent: Intent
    label: str
    arg: str = ""

    def as_payload(self) -> dict[str, str]:
        """The JSON form kept in an outbox row."""
        return {"label": self.label, "intent": self.intent.value, "arg": self.arg}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Action | None:
        """Read one back; None for anything that is not a known action."""
        try:
            return cls(Intent(str(data["intent"])), str(data["label"]), str(data.get("arg") or ""))
        except (KeyError, ValueError, TypeError):
            return None


ActionRows = list[list[Action]]

# The kind of object an intent's argument names: a notice whose buttons name an object is a
# card of it, and a newer card of the same object takes the older one's buttons away (the
# outbox, core.notifications). Intents that name no object that changes (a reply to a thread,
# a receipt) are not here: their buttons stay.
OBJECT_OF = {
    Intent.VIEW_OFFER: "offer", Intent.ANSWER_OFFER: "offer", Intent.COUNTER_OFFER: "offer",
    Intent.VIEW_DEAL: "deal", Intent.DEAL_STEP: "deal", Intent.RATE_DEAL: "deal",
    Intent.ANSWER_DISPUTE: "dispute", Intent.DECIDE_DISPUTE: "dispute",
    Intent.VIEW_BOOKING: "booking", Intent.ANSWER_BOOKING: "booking",
    Intent.JOIN_SESSION: "session", Intent.END_SESSION: "session",
    Intent.EXTEND_SESSION: "session", Intent.REVIEW_SESSION: "session",
    Intent.MY_TICKET: "ticket", Intent.HANDLE_TICKET: "ticket",
    Intent.PURCHASE_REQUEST: "purchase",
}


def about(intent: Intent, arg: str) -> str | None:
    """The object a button names ("deal:12"), from its intent and the first number of its
    argument ("12:pay", "accept:12"); None when it names none."""
    kind = OBJECT_OF.get(intent)
    number = next((part for part in arg.split(":") if part.isdigit()), None)
    return f"{kind}:{number}" if kind and number else None


def abouts(rows: ActionRows | None) -> set[str]:
    """Every object the buttons of a notice name."""
    return {key for row in rows or [] for a in row if (key := about(a.intent, a.arg))}


def payload_rows(rows: ActionRows | None) -> list[list[dict[str, str]]]:
    """Rows of actions as stored in an outbox payload, labelled in the language of the notice
    they follow (its recipient's: the payload is written for them, and sent later)."""
    return [[{**action.as_payload(), "label": _(action.label)} for action in row]
            for row in rows or []]
