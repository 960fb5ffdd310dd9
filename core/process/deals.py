"""The bioenergy deal, declared once: from an accepted offer to completion or refund.

Lifecycle status lives here; payment status comes from the money layer (the escrow) and
shipment status from the shipment, each its own field."""

from __future__ import annotations

from datetime import timedelta

from core.process.model import ADMIN, SYSTEM, Process, Timer, Transition

BUYER, SELLER = "buyer", "seller"
PARTY = (BUYER, SELLER)
IN_PROGRESS = ("to_ship", "shipped", "delivered", "adjustment_proposed")

# How each deal state reads on a card and in /deals.
STATE_LABELS = {
    "agreed": "agreed — both parties accept the terms",
    "awaiting_payment": "terms accepted — waiting for the buyer's payment",
    "to_ship": "paid — waiting for the seller to ship",
    "shipped": "shipped",
    "delivered": "delivered — waiting for the buyer to confirm",
    "adjustment_proposed": "quality reported — a price adjustment waits for the seller",
    "disputed": "in dispute — an admin decides",
    "completed": "completed — rate each other",
    "closed": "closed",
    "cancelled": "cancelled",
    "refunded": "refunded",
}

OFFER_PROCESS = Process(
    name="offer",
    initial="open",
    transitions=(
        Transition("accept-offer", ("open",), "accepted", PARTY, "Accept"),
        Transition("decline-offer", ("open",), "declined", PARTY, "Decline"),
        Transition("counter-offer", ("open",), "countered", PARTY, "Counter"),
        Transition("withdraw-offer", ("open",), "withdrawn", PARTY, "Withdraw"),
        Transition("expire-offer", ("open",), "expired", (SYSTEM,)),
    ),
    final=("accepted", "declined", "countered", "withdrawn", "expired"),
    timers=(Timer("open", timedelta(hours=48), "expire-offer", (timedelta(hours=6),)),),
)

DEAL_PROCESS = Process(
    name="deal",
    initial="agreed",
    transitions=(
        Transition("accept-terms", ("agreed",), "awaiting_payment", (SYSTEM,)),
        Transition("payment-received", ("awaiting_payment",), "to_ship", (SYSTEM,)),
        Transition("cancel-unpaid", ("agreed", "awaiting_payment"), "cancelled", (SYSTEM,)),
        Transition("cancel-deal", ("agreed", "awaiting_payment"), "cancelled", PARTY,
                   "Cancel the deal"),
        Transition("mark-shipped", ("to_ship",), "shipped", (SELLER,), "Mark shipped"),
        Transition("cancel-not-shipped", ("to_ship",), "refunded", (SYSTEM,)),
        Transition("mark-delivered", ("shipped",), "delivered", PARTY, "Mark delivered"),
        Transition("confirm-receipt", ("shipped", "delivered"), "completed", (BUYER,),
                   "Confirm delivery and quality"),
        Transition("report-quality", ("shipped", "delivered"), "adjustment_proposed", (BUYER,),
                   "Report measured quality"),
        Transition("auto-confirm", ("delivered",), "completed", (SYSTEM,)),
        Transition("accept-adjustment", ("adjustment_proposed",), "completed", (SELLER,),
                   "Accept the price adjustment"),
        Transition("reject-adjustment", ("adjustment_proposed",), "disputed", (SELLER,),
                   "Reject the adjustment"),
        Transition("dispute", IN_PROGRESS, "disputed", PARTY, "Open a dispute"),
        Transition("escalate-dispute", ("disputed",), "disputed", (SYSTEM,)),
        Transition("resolve-release", ("disputed",), "completed", (ADMIN,)),
        Transition("resolve-split", ("disputed",), "completed", (ADMIN,)),
        Transition("resolve-refund", ("disputed",), "refunded", (ADMIN,)),
        Transition("close-reviews", ("completed",), "closed", (SYSTEM,)),
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
CONTRACT_STATES = {"proposed": "proposed — both parties accept the terms of call-off 1",
                   "active": "running — call-offs follow their schedule",
                   "ended": "every call-off called", "cancelled": "cancelled"}
CONTRACT_PROCESS = Process(
    name="contract",
    initial="proposed",
    transitions=(
        Transition("activate", ("proposed",), "active", (SYSTEM,)),
        Transition("lapse", ("proposed",), "cancelled", (SYSTEM,)),
        Transition("call-off", ("active",), "active", (SYSTEM,)),
        Transition("end", ("active",), "ended", (SYSTEM,)),
    ),
    final=("ended", "cancelled"),
    timers=(Timer("active", timedelta(days=30), "call-off", (timedelta(days=14), timedelta(days=3)),
                  at="each call-off's date"),),
)

PROCESSES = {process.name: process for process in (OFFER_PROCESS, DEAL_PROCESS)}
