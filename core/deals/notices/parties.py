"""What each party of a negotiation or deal is told, and with which next steps: event handlers
that write to the outbox in the emitting transaction, so a notice is never lost or doubled."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.actions import Action, ActionRows, Intent
from core.catalog.tables import Listing
from core.clock import local_time
from core.deals import cards, deals
from core.deals.events import (
    DealAgreed,
    DisputeDecided,
    DisputeQuestion,
    MessagePosted,
    OfferClosed,
    OfferMade,
    ShipmentUpdated,
    TermsChanged,
    ThreadReported,
)
from core.deals.facts import DealFacts
from core.deals.notices import contracts as contract_notices
from core.deals.notices import details as notice_details
from core.deals.offers.agreement import REQUEST_AWARDED
from core.deals.request_rules import RequestState
from core.deals.requests.service import CLOSED_BY_BUYER
from core.deals.tables import Deal, Dispute, Offer, Shipment, SupplyRequest
from core.deals.terms.service import terms_ref
from core.deals.terms.tables import DealTerms
from core.deals.threads.service import RFQ
from core.deals.threads.tables import Thread, ThreadMessage
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify, recipients
from core.operators.roles import admin_ids
from core.process.deals import BUYER, DEAL_PROCESS, SELLER, DealState, OfferState
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
    return Action(Intent.VIEW_DEAL, N_("🤝 Open the deal"), str(deal_id))


def invoice_due(deal: Deal | DealFacts) -> bool:
    """A deal paid on terms whose invoice went out and is not paid (nor cancelled)."""
    return deal.payment_due_on is not None and deal.terms_paid_at is None \
        and deal.status not in (DealState.CANCELLED, DealState.REFUNDED)


def next_steps(deal: Deal | DealFacts, role: str, rated: bool = False) -> ActionRows:
    """The steps this party may take now, as buttons, then the deal itself (from the row a
    notice holds, or the read model a deal card shows: the same steps)."""
    steps = [Action(Intent.DEAL_STEP, t.label, f"{deal.id}:{t.name}")
             for t in DEAL_PROCESS.next_actions(deal.status, role)
             if t.name not in ("cancel-deal", "dispute")]
    if role not in (BUYER, SELLER):  # an operator or a colleague of the buyer: no party steps
        return [[step] for step in steps] + [[deal_button(deal.id)]]
    if role == BUYER and (deal.status == DealState.AWAITING_PAYMENT or invoice_due(deal)):
        steps.insert(0, Action(Intent.DEAL_STEP, N_("💳 Pay"), f"{deal.id}:pay"))
    if deal.status == DealState.AGREED:
        steps.insert(0, Action(Intent.DEAL_STEP, N_("📄 Read and accept the terms"),
                               f"{deal.id}:accept-terms"))
    if deal.status == DealState.COMPLETED and not rated:
        steps.insert(0, Action(Intent.RATE_DEAL, N_("⭐ Rate"), str(deal.id)))
    return [[step] for step in steps] + [[deal_button(deal.id)]]


async def on_offer_made(uow: UnitOfWork, event: OfferMade) -> None:
    """The other party gets the offer card with accept, counter and decline."""
    offer = await uow.get(Offer, event.offer_id)
    listing = await uow.get(Listing, offer.listing_id) if offer else None
    if offer is None or listing is None or offer.status != OfferState.OPEN:
        return  # accepted in the same transaction (a tender's award): the deal is told
    to = offer.seller_id if offer.made_by == BUYER else offer.buyer_id
    await recipients(uow, {offer.buyer_id, offer.seller_id})
    previous = await uow.get(Offer, offer.previous_id) if offer.previous_id else None
    async with addressed_to(uow, to) as reader:
        text = cards.offer_text(offer, listing, previous, uow.policy, reader)
        await notify(uow, to, text, buttons=[
            [Action(Intent.ANSWER_OFFER, N_("✅ Accept"), f"accept:{offer.id}"),
             Action(Intent.COUNTER_OFFER, N_("↔ Counter"), str(offer.id))],
            [Action(Intent.ANSWER_OFFER, N_("✖ Decline"), f"decline:{offer.id}")]],
            about=[negotiation(offer), *([f"offer:{previous.id}"] if previous else [])])


async def offer_declined(uow: UnitOfWork, moved: Moved, role: str, party: int) -> Said | None:
    """To the maker: their offer was declined, with the reason when one was given. (An
    acceptance is told as the deal agreed; a counter-offer by the counter itself.)"""
    offer = moved.subject
    listing = await uow.get(Listing, offer.listing_id)
    if listing is None:
        return None
    request = await uow.get(SupplyRequest, offer.request_id) if offer.request_id else None
    if request is not None and request.status == RequestState.CANCELLED:
        return None  # the request's cancellation tells everyone why
    async with addressed_to(uow, party):
        if offer.request_id is not None and offer.reason in (REQUEST_AWARDED, CLOSED_BY_BUYER) \
                and offer.made_by == BUYER:
            return None  # the buyer's own counter: she awarded or closed it herself
        if offer.request_id is not None and offer.reason == CLOSED_BY_BUYER:
            return Said(_("✖ Your quote #{id} on “{title}” was declined: the buyer closed the "
                          "request for supply.", id=offer.id, title=listing.title),
                        about=(negotiation(offer),))
        if offer.request_id is not None and offer.reason == REQUEST_AWARDED:
            return Said(_("✖ Your quote #{id} on “{title}” was not awarded: the buyer awarded "
                          "the request to other quotes.", id=offer.id, title=listing.title),
                        about=(negotiation(offer),))
        if offer.reason:
            return Said(_("✖ Your offer #{id} on “{title}” was declined. Reason: {reason}",
                          id=offer.id, title=listing.title, reason=offer.reason),
                        about=(negotiation(offer),))
        return Said(_("✖ Your offer #{id} on “{title}” was declined.", id=offer.id,
                      title=listing.title), about=(negotiation(offer),))


async def on_counter_closed(uow: UnitOfWork, event: OfferClosed) -> None:
    """A buyer's counter on a quote closed because she awarded the request elsewhere or closed
    it: the seller of that negotiation hears it, as of their quote (the book tells the maker,
    who is the buyer here)."""
    offer = await uow.get(Offer, event.offer_id)
    if event.status != "declined" or offer is None or offer.request_id is None \
            or offer.made_by != BUYER or offer.reason not in (REQUEST_AWARDED, CLOSED_BY_BUYER):
        return
    request = await uow.get(SupplyRequest, offer.request_id)
    listing = await uow.get(Listing, offer.listing_id)
    if request is None or request.status == RequestState.CANCELLED or listing is None:
        return
    quote_id = offer.previous_id or offer.id
    async with addressed_to(uow, offer.seller_id):
        text = _("✖ Your quote #{id} on “{title}” was declined: the buyer closed the request "
                 "for supply.", id=quote_id, title=listing.title) \
            if offer.reason == CLOSED_BY_BUYER else \
            _("✖ Your quote #{id} on “{title}” was not awarded: the buyer awarded the request to "
              "other quotes.", id=quote_id, title=listing.title)
        await notify(uow, offer.seller_id, text, about=(negotiation(offer),))


async def offer_withdrawn(uow: UnitOfWork, moved: Moved, role: str, party: int) -> Said | None:
    """To the party who was asked: the offer was withdrawn."""
    offer = moved.subject
    listing = await uow.get(Listing, offer.listing_id)
    if listing is None:
        return None
    async with addressed_to(uow, party):
        return Said(_("↩ Offer #{id} on “{title}” was withdrawn.", id=offer.id,
                      title=listing.title), about=(negotiation(offer),))


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
            texts = NOT_SHIPPED_ON_TERMS if state == "refunded" and not deal.payment_due_on \
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
            if state == "completed" and role == BUYER else None
        return Said(said_text + entered, attachment=carbon, once_per_chat=True)

    said.__name__ = said.__qualname__ = f"entering_{state}"
    return said


async def deal_next_steps(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    """This party's next steps on the deal that moved, then the deal itself."""
    return next_steps(moved.subject, role)


async def on_message_posted(uow: UnitOfWork, event: MessagePosted) -> None:
    """Relay a thread message to the other party, on their own channel, with Reply."""
    message = await uow.get(ThreadMessage, event.message_id)
    thread = await uow.get(Thread, event.thread_id)
    sender = await uow.get(Account, event.sender_id)
    listing = await uow.get(Listing, thread.listing_id) if thread else None
    if message is None or thread is None or listing is None:
        return
    name = sender.display_name if sender else "?"
    file = {"kind": "thread-file", "key": str(message.id)} if message.file_path else None
    buttons = [[Action(Intent.REPLY_THREAD, N_("↩ Reply"), str(thread.id))]]
    if message.text.startswith(RFQ) and event.recipient_id == thread.seller_id:
        buttons.insert(0, [Action(Intent.SEND_QUOTE, N_("💶 Send a quote"), str(thread.id))])
    async with addressed_to(uow, event.recipient_id):
        note = ("\n" + _("(Contact details are hidden until a deal is agreed.)")
                if message.masked else "")
        text = _("💬 {name} about “{title}”:\n{message}", name=name, title=listing.title,
                 message=message.text)
        await notify(uow, event.recipient_id, text + note, attachment=file, buttons=buttons)


async def dispute_opened(uow: UnitOfWork, moved: Moved, role: str, admin_id: int) -> str | None:
    """To every admin, as the deal enters dispute (declared on the transition): the reason."""
    dispute = (await uow.session.execute(select(Dispute).where(
        Dispute.deal_id == moved.subject.id).order_by(Dispute.id.desc()))).scalars().first()
    if dispute is None:
        return None
    return _("⚖ Deal #{id} is disputed: {reason}", id=moved.subject.id, reason=dispute.reason)


# How the buyer hears where the goods are, by the shipment's status.
SHIPMENT_SAID = {"in_transit": N_("🚚 In transit"),
                 "delayed": N_("⏳ Delayed, with a new expected arrival"),
                 "dispatched": N_("📦 Dispatched")}


async def on_shipment_updated(uow: UnitOfWork, event: ShipmentUpdated) -> None:
    """The buyer hears where the goods are (a delay with its new date, in their zone)."""
    deal = await uow.get(Deal, event.deal_id)
    shipment = await uow.get(Shipment, event.deal_id)
    if deal is None or shipment is None:
        return
    async with addressed_to(uow, deal.buyer_id) as reader:
        status = SHIPMENT_SAID.get(event.status)
        text = _("Deal #{id}: {status}.", id=deal.id,
                 status=_(status) if status else event.status)
        note = ("\n" + _("The seller's note: {note}", note=shipment.note)) if shipment.note else ""
        await notify(uow, deal.buyer_id, f"{text}\n{notice_details.shipped(shipment, reader)}{note}",
                     buttons=[[deal_button(deal.id)]])


async def on_dispute_question(uow: UnitOfWork, event: DisputeQuestion) -> None:
    """An admin's question reaches the party (with Answer); a party's answer every admin."""
    dispute = await uow.get(Dispute, event.dispute_id)
    if dispute is None:
        return
    if event.recipient_id is not None:
        async with addressed_to(uow, event.recipient_id):
            await notify(uow, event.recipient_id, _(
                "🛡 An admin asks about deal #{id}'s dispute:\n{question}", id=dispute.deal_id,
                question=event.text), buttons=[[Action(
                    Intent.ANSWER_DISPUTE, N_("↩ Answer"), str(dispute.id))]])
        return
    name = (await uow.get(Account, event.sender_id))
    for admin_id in await admin_ids(uow):
        async with addressed_to(uow, admin_id):
            text = (_("🛡 {name} answers on deal #{id}'s dispute:\n{answer}", name=name.display_name,
                      id=dispute.deal_id, answer=event.text) if name else
                    _("🛡 A party answers on deal #{id}'s dispute:\n{answer}", id=dispute.deal_id,
                      answer=event.text))
            await notify(uow, admin_id, text, buttons=[[Action(
                Intent.DECIDE_DISPUTE, N_("Open the dispute"), str(dispute.id))]])


OUTCOMES = {"release": N_("the payment is released to the seller"),
            "refund": N_("the buyer is refunded in full"),
            "split": N_("the buyer is refunded {refund} and the rest released to the seller")}
# The same decisions on a deal paid on terms whose invoice is not paid yet.
UNPAID_OUTCOMES = {
    "release": N_("the invoice stands: the seller is paid once it is paid"),
    "refund": N_("the invoice is cancelled: nothing is owed"),
    "split": N_("once the invoice is paid, the buyer gets {refund} back and the rest goes to the "
                "seller")}


async def on_dispute_decided(uow: UnitOfWork, event: DisputeDecided) -> None:
    """Both parties hear the decision, what it does with the money, and the reasons."""
    dispute = await uow.get(Dispute, event.dispute_id)
    deal = await uow.get(Deal, event.deal_id)
    if dispute is None or deal is None or dispute.outcome is None:
        return
    for party in (deal.buyer_id, deal.seller_id):
        async with addressed_to(uow, party):
            outcomes = UNPAID_OUTCOMES if deal.payment_days and deal.terms_paid_at is None \
                else OUTCOMES
            what = _(outcomes[dispute.outcome],
                     refund=Money(dispute.refund_minor or 0, deal.currency))
            await notify(uow, party, _("⚖ Deal #{id}: the dispute is decided — {outcome}: "
                                       "{what}.\nReasons: {reasons}", id=deal.id,
                                       outcome=dispute.outcome, what=what,
                                       reasons=dispute.decision),
                         buttons=[[deal_button(deal.id)]])


async def on_thread_reported(uow: UnitOfWork, event: ThreadReported) -> None:
    """Every admin hears of a reported conversation, with its last messages."""
    thread = await uow.get(Thread, event.thread_id)
    if thread is None:
        return
    reporter = await uow.get(Account, event.reporter_id)
    other = thread.seller_id if event.reporter_id == thread.buyer_id else thread.buyer_id
    reported = await uow.get(Account, other)
    last = (await uow.session.execute(select(ThreadMessage.text).where(
        ThreadMessage.thread_id == thread.id, ThreadMessage.sender_id == other)
        .order_by(ThreadMessage.id.desc()).limit(3))).scalars().all()
    for admin_id in await admin_ids(uow):
        async with addressed_to(uow, admin_id):
            quoted = "\n".join(f"“{text[:200]}”" for text in reversed(last)) \
                or _("(no messages)")
            await notify(uow, admin_id, _(
                "🚩 {reporter} reported {reported} (account #{account}) in a conversation about "
                "listing #{listing}. Their last messages:\n{quoted}",
                reporter=reporter.display_name if reporter else "?",
                reported=reported.display_name if reported else "?", account=other,
                listing=thread.listing_id, quoted=quoted),
                buttons=[[Action(Intent.VIEW_LISTING, N_("View the listing"),
                                 str(thread.listing_id))]])


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
