"""What each party of a deal is told as it is agreed, enters each state and has its terms
changed, and with which next steps: event handlers that write to the outbox in the emitting
transaction, so a notice is never lost or doubled. What a negotiation before the deal tells is
`negotiations`'; shipments and disputes after it, `after_sale`'s."""

from __future__ import annotations

from core.accounts.tables import Account
from core.actions import Action, ActionRows
from core.catalog.tables import Listing
from core.clock import local_time
from core.deals import cards, deals
from core.deals.events import DealAgreed, TermsChanged
from core.deals.facts import DealFacts
from core.deals.intents import DealIntent
from core.deals.notices import contracts as contract_notices
from core.deals.notices import details as notice_details
from core.deals.steps import MORE, possible_now
from core.deals.tables import Deal, Offer
from core.deals.terms.service import terms_ref
from core.deals.terms.tables import DealTerms
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify, recipients
from core.process.deals import BUYER, DEAL_PROCESS, SELLER, DealState
from core.process.model import Transition
from core.process.notices import Moved, Said, TextBuilder
from core.storage.uow import UnitOfWork

# What each party hears when a deal enters a state: (to the buyer, to the seller); "" says nothing.
MOVED = {
    "awaiting_payment": (N_("📄 Both accepted the terms. Pay {total} into escrow by {due}."),
                         N_("📄 Both accepted the terms. The buyer pays {total} by {due}.")),
    "to_ship": (N_("📦 Your payment is held. The seller ships by {due}."),
                N_("💰 The buyer's payment of {total} is held in escrow. Ship by {due}.")),
    # Paid on terms (core.deals.pay_terms): the goods ship first, the invoice comes with them.
    "to_ship_on_terms": (
        N_("📦 Both accepted the terms, with payment on terms: the seller ships by {due}. Your "
           "invoice of {total} comes when the goods ship, due {days} days later."),
        N_("📦 Both accepted the terms, with payment on terms: ship by {due}. The buyer's invoice "
           "of {total} is issued when you mark the goods shipped, due {days} days later; you are "
           "paid once it is paid and delivery confirmed.")),
    "shipped": (N_("🚚 Your goods are on the way. Confirm when they arrive, or report what you "
                   "measured."), ""),
    "delivered": (N_("📬 Marked delivered. Confirm receipt and quality, or report measured values; "
                     "silence confirms it on {due}."),
                  N_("📬 Marked delivered. The buyer confirms by {due}.")),
    "adjustment_proposed": (N_("🔬 Your quality report went to the seller with the adjustment."),
                            N_("🔬 The buyer reported the quality outside the agreed tolerances. "
                               "Accept the price adjustment, or reject it (an admin then decides).")),
    "completed": (N_("✅ Deal completed. Your carbon receipt is attached. Rate the seller — ratings "
                     "show once both rated."),
                  N_("✅ Deal completed: the escrow is released to you minus commission. Rate the "
                     "buyer — ratings show once both rated.")),
    "cancelled": (N_("❌ The deal was cancelled (not paid in time, or by a party). Nothing was "
                     "charged."),
                  N_("❌ The deal was cancelled; its quantity is back on your listing.")),
    "refunded": (N_("↩ The deal ended with a full refund to you."),
                 N_("↩ The deal ended with a full refund to the buyer.")),
    # (after a dispute, on_dispute_decided says why)
    "disputed": (N_("⚖ The deal is in dispute; an admin will decide and may ask you questions."),
                 N_("⚖ The deal is in dispute; an admin will decide and may ask you questions.")),
}

# A deal paid on terms whose invoice is not paid yet: nothing was held, so nothing is
# released or refunded.
UNPAID_ON_TERMS = {
    "completed": (MOVED["completed"][0],
                  N_("✅ Deal completed. You are paid, minus commission, once the buyer pays the "
                     "invoice. Rate the buyer — ratings show once both rated.")),
    "refunded": (N_("↩ The deal ended without payment: the invoice is cancelled, nothing is owed."),
                 N_("↩ The deal ended without payment: the buyer's invoice is cancelled.")),
}
NOT_SHIPPED_ON_TERMS = (  # ended before the goods left: no invoice was issued
    N_("↩ The deal ended before the goods shipped: nothing is owed."),
    N_("↩ The deal ended before the goods shipped; the buyer owes nothing."))
TIMED_AS = {"to_ship_on_terms": "to_ship"}  # a notice named apart from the state it enters
AGREED = N_("🤝 Offer #{offer} accepted: deal #{deal} for “{title}” ({quantity}) is agreed. The "
            "terms are attached (SHA-256 {sha}…): read them and accept; payment opens once both "
            "have.")
AGREED_ON_TERMS = N_("🤝 Offer #{offer} accepted: deal #{deal} for “{title}” ({quantity}) is "
                     "agreed, paid on terms. The terms are attached (SHA-256 {sha}…): read them "
                     "and accept; the goods ship once both have, and the invoice comes with them.")

# A contract's later call-off, called on its date under the terms both accepted once.
CALLED_OFF = (N_("📦 Called off under the contract's accepted terms. Pay {total} into escrow by "
                 "{due}."),
              N_("📦 Called off under the contract's accepted terms. The buyer pays {total} by "
                 "{due}; you ship once it is held."))


def negotiation(offer: Offer) -> str:
    """The negotiation an offer belongs to — a buyer's offers and counter-offers on a listing:
    a newer offer's card, or the deal it ends in, takes the older offers' buttons away."""
    return f"talk:{offer.listing_id}:{offer.buyer_id}"


def deal_button(deal_id: int) -> Action:
    return Action(DealIntent.VIEW_DEAL, N_("🤝 Open the deal"), str(deal_id))


# How a step's button reads where not as its label, and the intent of one that opens a flow of
# its own (a rating); every other step is a DEAL_STEP named as the process names it.
BUTTONS = {"sign-terms": N_("📄 Read and accept the terms"), "pay": N_("💳 Pay"),
           "pay-invoice": N_("💳 Pay"), "rate": N_("⭐ Rate"), "dispute": N_("⚖ Open a dispute"),
           "cancel-deal": N_("✖ Cancel the deal")}


def step_action(deal_id: int, step: Transition) -> Action:
    """A step of the deal as a button."""
    if step.name == "rate":
        return Action(DealIntent.RATE_DEAL, BUTTONS["rate"], str(deal_id))
    return Action(DealIntent.DEAL_STEP, BUTTONS.get(step.name, step.label), f"{deal_id}:{step.name}")


def next_steps(deal: Deal | DealFacts, role: str, rated: bool = False) -> ActionRows:
    """The steps this party may take now, as buttons, then the deal itself (from the row a
    notice holds, or the read model a deal card shows: the same steps). The rarer steps
    (core.deals.steps.MORE) are the card's own, below these."""
    steps = [step_action(deal.id, t) for t in possible_now(deal, role, rated)
             if t.name not in MORE]
    return [[step] for step in steps] + [[deal_button(deal.id)]]


async def on_deal_agreed(uow: UnitOfWork, event: DealAgreed) -> None:
    """Both parties hear of the new deal, with its terms attached and the step to accept them."""
    deal = await uow.get(Deal, event.deal_id)
    version = await uow.get(DealTerms, event.terms_id)
    offer = await uow.get(Offer, deal.offer_id) if deal and deal.offer_id else None
    listing = await uow.get(Listing, deal.listing_id) if deal else None
    if deal is None or version is None or offer is None or listing is None:
        return
    await recipients(uow, {deal.buyer_id, deal.seller_id})
    for party in (deal.buyer_id, deal.seller_id):
        role = BUYER if party == deal.buyer_id else SELLER
        async with addressed_to(uow, party):
            whole = ("\n" + _("📑 This is call-off 1 of contract #{contract} ({schedule}): "
                              "accepting these terms accepts the whole contract, and each later "
                              "call-off is called on its date under them.",
                              contract=deal.contract_id, schedule=cards.schedule_text(offer))
                     if deal.contract_id else "")
            agreed = AGREED_ON_TERMS if deal.payment_days else AGREED
            text = _(agreed, offer=offer.id, deal=deal.id, title=listing.title,
                     quantity=cards.quantity(deal.quantity_milli, listing.unit),
                     sha=version.sha256[:12])
            await notify(uow, party, text + whole, buttons=next_steps(deal, role),
                         attachment=terms_ref(version.id), once_per_chat=True,
                         about=[negotiation(offer), f"offer:{offer.id}"])


def entering(state: str) -> TextBuilder:
    """The text of entering `state` (MOVED), for the party playing `role`: what the new state
    asks of them, its deadline in their zone, and what it holds (the carbon receipt, once
    completed, to the buyer)."""

    async def said(uow: UnitOfWork, moved: Moved, role: str, party: int) -> Said | None:
        deal = moved.subject
        texts = MOVED[state]
        if deal.contract_id is not None and deal.call_off != 1 \
                and moved.transition == "accept-terms":  # a later call-off of a contract
            texts = CALLED_OFF
        if deal.payment_days and deal.terms_paid_at is None and state in UNPAID_ON_TERMS:
            texts = NOT_SHIPPED_ON_TERMS if state == DealState.REFUNDED and not deal.payment_due_on \
                else UNPAID_ON_TERMS[state]
        text = texts[0 if role == BUYER else 1]
        if not text:
            return None
        timer = next(iter(DEAL_PROCESS.timers_in(TIMED_AS.get(state, state))), None)
        due_at = uow.clock.now() + timer.after if timer else None
        async with addressed_to(uow, party) as reader:
            due = local_time(due_at, reader.timezone if reader else None) if due_at else ""
            total = str(deals.payable(deal))  # with the seller's VAT, if any
            entered = await notice_details.entered(uow, deal, state, reader)
            what = _(text, total=total, due=due, days=deal.payment_days)
            if deal.contract_id is not None:  # a call-off of a framework contract
                said_text = _("Deal #{id} ({call_off}): {text}", id=deal.id,
                              call_off=await contract_notices.label(uow, deal), text=what)
            else:
                said_text = _("Deal #{id}: {text}", id=deal.id, text=what)
        carbon = {"kind": "carbon-receipt", "key": str(deal.id)} \
            if state == DealState.COMPLETED and role == BUYER else None
        return Said(said_text + entered, attachment=carbon, once_per_chat=True)

    said.__name__ = said.__qualname__ = f"entering_{state}"
    return said


async def deal_next_steps(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    """This party's next steps on the deal that moved, then the deal itself."""
    return next_steps(moved.subject, role)


async def on_terms_changed(uow: UnitOfWork, event: TermsChanged) -> None:
    """The other party gets the new version to read and accept."""
    deal = await uow.get(Deal, event.deal_id)
    version = await uow.get(DealTerms, event.terms_id)
    if deal is None or version is None:
        return
    other = deal.seller_id if event.by == deal.buyer_id else deal.buyer_id
    who = await uow.get(Account, event.by)
    async with addressed_to(uow, other):
        changed = ", ".join(_(cards.CHANGE_LABELS[k]) if k in cards.CHANGE_LABELS else k
                            for k in event.changed)
        params = dict(id=deal.id, version=version.version, changed=changed)
        text = (_("✏ Deal #{id}: {name} proposes version {version} of the terms ({changed} "
                  "changed). Read it and accept it; the earlier version no longer counts.",
                  name=who.display_name, **params) if who else
                _("✏ Deal #{id}: the other party proposes version {version} of the terms "
                  "({changed} changed). Read it and accept it; the earlier version no longer "
                  "counts.", **params))
        await notify(uow, other, text,
                     buttons=next_steps(deal, BUYER if other == deal.buyer_id else SELLER),
                     attachment=terms_ref(version.id), once_per_chat=True)
