"""The bioenergy deal, declared once: from an accepted offer to completion or refund.

Lifecycle status lives here; payment status comes from the money layer (the escrow) and
shipment status from the shipment, each its own field."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from core.i18n import N_, _
from core.process.model import (
    ADMIN,
    ADMINS,
    STAY,
    SYSTEM,
    Notice,
    Process,
    Timer,
    Transition,
)


class OfferState(StrEnum):
    """The states of OFFER_PROCESS (an offer's `status`): compared by name, so a misspelt
    state is a type error rather than a condition that is never true."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COUNTERED = "countered"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class DealState(StrEnum):
    """The states of DEAL_PROCESS (a deal's `status`)."""

    AGREED = "agreed"
    AWAITING_PAYMENT = "awaiting_payment"
    TO_SHIP = "to_ship"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    ADJUSTMENT_PROPOSED = "adjustment_proposed"
    DISPUTED = "disputed"
    COMPLETED = "completed"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


BUYER, SELLER = "buyer", "seller"
PARTY = (BUYER, SELLER)
MAKER, RECEIVER = "maker", "receiver"  # of an offer: who made it, who is asked to answer it


def both(text: str, buttons: str = "") -> tuple[Notice, ...]:
    """The buyer, then the seller, hear `text`."""
    return Notice(BUYER, text, buttons), Notice(SELLER, text, buttons)


# The notice of entering a deal state, with each party's next steps (core.deals.notices.parties.MOVED).
def entered(state: str) -> tuple[Notice, ...]:
    return both(state, "next_steps")

# A deal entering dispute: both parties hear it, and every admin, with the dispute to decide.
DISPUTED = (*entered("disputed"), Notice(ADMINS, "dispute_opened", "decide_dispute"))

IN_PROGRESS = ("to_ship", "shipped", "delivered", "adjustment_proposed")

# How each deal state reads on a card and in /deals.
STATE_LABELS = {
    "agreed": N_("agreed — both parties accept the terms"),
    "awaiting_payment": N_("terms accepted — waiting for the buyer's payment"),
    "to_ship": N_("paid — waiting for the seller to ship"),
    "shipped": N_("shipped"),
    "delivered": N_("delivered — waiting for the buyer to confirm"),
    "adjustment_proposed": N_("quality reported — a price adjustment waits for the seller"),
    "disputed": N_("in dispute — an admin decides"),
    "completed": N_("completed — rate each other"),
    "closed": N_("closed"),
    "cancelled": N_("cancelled"),
    "refunded": N_("refunded"),
}

# A deal paid on terms ships before it is paid: its waiting state reads so.
ON_TERMS_LABELS = {"to_ship": N_("terms accepted — waiting for the seller to ship (paid on terms)")}


def state_words(status: str, on_terms: bool = False) -> str:
    """How a deal's state reads to the current reader, on terms or not."""
    label = (ON_TERMS_LABELS.get(status) if on_terms else None) or STATE_LABELS.get(status)
    return _(label) if label else status


OFFER_PROCESS = Process(
    name="offer",
    initial="open",
    transitions=(
        Transition("accept-offer", ("open",), "accepted", PARTY, N_("Accept"),
                   silent="both hear of the deal it agrees"),
        Transition("decline-offer", ("open",), "declined", PARTY, N_("Decline"),
                   notices=(Notice(MAKER, "offer_declined"),)),
        Transition("counter-offer", ("open",), "countered", PARTY, N_("Counter"),
                   silent="the other party gets the counter-offer itself"),
        Transition("withdraw-offer", ("open",), "withdrawn", PARTY, N_("Withdraw"),
                   notices=(Notice(RECEIVER, "offer_withdrawn"),)),
        Transition("expire-offer", ("open",), "expired", (SYSTEM,),
                   notices=both("offer_expired", "view_offer")),
    ),
    final=("accepted", "declined", "countered", "withdrawn", "expired"),
    timers=(Timer("open", timedelta(hours=48), "expire-offer", (timedelta(hours=6),)),),
)

# What else a deal's transitions set going, and who carries it out: the money layer (payments.
# bridges.deals) the escrow's steps, deals its deposits, awards and contracts, loyalty points.
OPEN_ESCROW, CLOSE_UNPAID, INVOICE = "open-escrow", "close-unpaid-escrow", "invoice-on-terms"
RELEASE, REFUND = "release-escrow", "refund-escrow"
FIX_VAT, RETURN_STOCK, PUBLISH_RATINGS = "fix-vat", "return-stock", "publish-ratings"
DEAL_EFFECTS = {
    OPEN_ESCROW: "payments: the escrow opens for the payable total, for the buyer to pay now "
                 "(paid on terms: by the invoice, later)",
    CLOSE_UNPAID: "payments, in the same transaction: an escrow still waiting for payment "
                  "closes, so a payment arriving late is refunded in full",
    INVOICE: "payments: paid on terms, the invoice goes out as the goods leave",
    RELEASE: "payments: the held payment goes to the seller, less the buyer's share when a "
             "dispute was split or a quality adjustment accepted",
    REFUND: "payments: the held payment goes back to the buyer; an escrow still waiting for "
            "payment closes",
    "settle-bid-deposit": "deals: a tender winner's bid deposit goes back, or to the buyer when "
                          "the deal ended by the winner's doing",
    "give-back-award": "deals: an awarded request gets its quantity back (a request for quotes "
                       "still running takes quotes again)",
    "start-contract": "deals: call-off 1 of a framework contract accepted, the contract runs",
    "lapse-contract": "deals: call-off 1 of a framework contract cancelled, the contract lapses",
    "earn-points": "loyalty: both parties earn points for a completed deal",
    "record-carbon": "deals: the deal's carbon record, the CO₂e its carbon receipt shows, kept "
                     "once for both parties' running totals",
    # Taken by the move itself, in its transaction (core.deals.deal_book.DealBook.move).
    FIX_VAT: "deals, in the move: the terms are final, so is the VAT on the price",
    RETURN_STOCK: "deals, in the move: the goods never left, their quantity returns to the "
                  "listing",
    PUBLISH_RATINGS: "deals, in the move: the rating window closed, whatever was given is shown",
}
# The effects the move takes itself, in its transaction (core.deals.deal_book, `move`); every other
# is carried out by a handler its context wires (core.process.effects).
IN_MOVE = (FIX_VAT, RETURN_STOCK, PUBLISH_RATINGS)
# A deal that completes: the money goes to the seller, a winner's deposit back, points to both,
# its carbon counted.
COMPLETES = (RELEASE, "settle-bid-deposit", "earn-points", "record-carbon")
# A deal that ends unfulfilled: a winner's deposit settled, the award's quantity given back.
ENDS = ("settle-bid-deposit", "give-back-award")

# Where an invoice on terms may be due: it goes out as the goods leave, and stays due however
# the deal ends, until it is paid (core.deals.steps.invoice_due).
INVOICED = ("shipped", "delivered", "adjustment_proposed", "disputed", "completed", "closed")

DEAL_PROCESS = Process(
    name="deal",
    initial="agreed",
    effects=DEAL_EFFECTS,
    transitions=(
        # A party's steps that keep the deal where it is, each told by its own event: declared
        # so that cards, dashboards and guards ask the process whether one is possible now
        # (core.deals.steps). First, so that they lead a party's next steps.
        Transition("sign-terms", ("agreed",), STAY, PARTY, N_("Read and accept the terms"),
                   told_by="TermsAccepted; the second acceptance takes accept-terms"),
        Transition("change-terms", ("agreed",), STAY, PARTY, N_("✏ Propose a change"),
                   told_by="TermsChanged, with the new version to accept"),
        Transition("rate", ("completed",), STAY, PARTY, N_("Rate the other party"),
                   told_by="DealRated (both ratings publish together)"),
        Transition("pay", ("awaiting_payment",), STAY, (BUYER,), N_("Pay into escrow"),
                   told_by="EscrowFunded, which takes payment-received"),
        Transition("pay-invoice", INVOICED, STAY, (BUYER,), N_("Invoice due"),
                   told_by="EscrowFunded (paid on terms, while the invoice is due)"),
        Transition("update-shipment", ("shipped",), STAY, (SELLER,), N_("🚚 Shipment update"),
                   told_by="ShipmentUpdated (delivered takes mark-delivered)"),
        Transition("accept-terms", ("agreed",), "awaiting_payment", (SYSTEM,),
                   notices=entered("awaiting_payment"),  # a later call-off: CALLED_OFF
                   effects=(FIX_VAT, OPEN_ESCROW, "start-contract")),
        Transition("payment-received", ("awaiting_payment",), "to_ship", (SYSTEM,),
                   notices=entered("to_ship")),
        # Paid on terms (core.deals.pay_terms): accepting the terms sends the goods first.
        Transition("accept-terms-on-terms", ("agreed",), "to_ship", (SYSTEM,),
                   notices=both("to_ship_on_terms", "next_steps"),
                   effects=(FIX_VAT, OPEN_ESCROW)),
        Transition("cancel-unpaid", ("agreed", "awaiting_payment"), "cancelled", (SYSTEM,),
                   notices=entered("cancelled"),
                   effects=(RETURN_STOCK, CLOSE_UNPAID, *ENDS, "lapse-contract")),
        Transition("cancel-deal", ("agreed", "awaiting_payment"), "cancelled", PARTY,
                   N_("Cancel the deal"), notices=entered("cancelled"),
                   effects=(RETURN_STOCK, CLOSE_UNPAID, *ENDS, "lapse-contract")),
        Transition("mark-shipped", ("to_ship",), "shipped", (SELLER,), N_("Mark shipped"),
                   notices=(Notice(BUYER, "shipped", "next_steps"),), effects=(INVOICE,)),
        Transition("cancel-not-shipped", ("to_ship",), "refunded", (SYSTEM,),
                   notices=entered("refunded"), effects=(RETURN_STOCK, REFUND, *ENDS)),
        Transition("mark-delivered", ("shipped",), "delivered", PARTY, N_("Mark delivered"),
                   notices=entered("delivered")),
        Transition("confirm-receipt", ("shipped", "delivered"), "completed", (BUYER,),
                   N_("Confirm delivery and quality"), notices=entered("completed"),
                   effects=COMPLETES),
        Transition("report-quality", ("shipped", "delivered"), "adjustment_proposed", (BUYER,),
                   N_("Report measured quality"), notices=entered("adjustment_proposed")),
        Transition("auto-confirm", ("delivered",), "completed", (SYSTEM,),
                   notices=entered("completed"), effects=COMPLETES),
        Transition("accept-adjustment", ("adjustment_proposed",), "completed", (SELLER,),
                   N_("Accept the price adjustment"), notices=entered("completed"),
                   effects=COMPLETES),
        Transition("reject-adjustment", ("adjustment_proposed",), "disputed", (SELLER,),
                   N_("Reject the adjustment"), notices=DISPUTED),
        Transition("dispute", IN_PROGRESS, "disputed", PARTY, N_("Open a dispute"),
                   notices=DISPUTED),
        Transition("escalate-dispute", ("disputed",), "disputed", (SYSTEM,),
                   notices=(Notice(ADMINS, "dispute_escalated", "decide_dispute"),)),
        # The decision itself, with its reasons, is told by DisputeDecided (core.deals.notices.after_sale).
        Transition("resolve-release", ("disputed",), "completed", (ADMIN,),
                   notices=entered("completed"), effects=COMPLETES),
        Transition("resolve-split", ("disputed",), "completed", (ADMIN,),
                   notices=entered("completed"), effects=COMPLETES),
        Transition("resolve-refund", ("disputed",), "refunded", (ADMIN,),
                   notices=entered("refunded"), effects=(REFUND, *ENDS)),
        # Closing the reviews releases anything a failed release still holds (a safety net).
        Transition("close-reviews", ("completed",), "closed", (SYSTEM,),
                   silent="the deal only closes its reviews", effects=(PUBLISH_RATINGS, RELEASE)),
    ),
    final=("cancelled", "refunded", "closed"),
    timers=(
        Timer("agreed", timedelta(days=3), "cancel-unpaid", (timedelta(days=1),)),
        Timer("awaiting_payment", timedelta(days=3), "cancel-unpaid", (timedelta(days=1),)),
        Timer("to_ship", timedelta(days=14), "cancel-not-shipped", (timedelta(days=2),)),
        Timer("delivered", timedelta(days=14), "auto-confirm", (timedelta(days=2),)),
        Timer("disputed", timedelta(days=3), "escalate-dispute", every=timedelta(days=1)),
        Timer("completed", timedelta(days=14), "close-reviews", (timedelta(days=3),)),
    ),
)

# A framework contract: call-off 1 is agreed with it, and accepting its terms accepts the whole
# contract; each later call-off is an ordinary deal the system creates on its date, paid,
# shipped and released on its own. The call-off timer's date is the contract's schedule.
CONTRACT_STATES = {"proposed": N_("proposed — both parties accept the terms of call-off 1"),
                   "active": N_("running — call-offs follow their schedule"),
                   "ended": N_("every call-off called"), "cancelled": N_("cancelled")}

class ContractState(StrEnum):
    """A framework contract's `status`: the states of CONTRACT_PROCESS."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    CANCELLED = "cancelled"
    ENDED = "ended"


CONTRACT_PROCESS = Process(
    name="contract",
    initial="proposed",
    transitions=(
        Transition("activate", ("proposed",), "active", (SYSTEM,),
                   notices=both("contract_running", "view_contract")),
        Transition("lapse", ("proposed",), "cancelled", (SYSTEM,),
                   notices=both("contract_lapsed", "view_contract")),
        Transition("call-off", ("active",), "active", (SYSTEM,),
                   silent="the call-off's own deal tells both, as its terms are accepted"),
        Transition("end", ("active",), "ended", (SYSTEM,),
                   silent="both were told before the last call-off, with Renew"),
    ),
    final=("ended", "cancelled"),
    timers=(Timer("active", timedelta(days=30), "call-off", (timedelta(days=14), timedelta(days=3)),
                  at="each call-off's date"),),
)

PROCESSES = {process.name: process for process in (OFFER_PROCESS, DEAL_PROCESS)}
