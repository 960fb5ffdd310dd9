"""What a person reads after acting: the chat's answer to publishing a listing, sending an
offer, buying, asking a seller or requesting a consultant's time. The same words and next steps
whether they acted in the chat (a flow's last reply) or in the Telegram Mini App, which leaves
them in the person's chat as a notice, so the chat stays the record of what they did."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.messages import Reply, action_button
from core.actions import Action, ActionRows
from core.catalog.intents import ListingIntent
from core.catalog.rules import ListingState
from core.companies.intents import CompanyIntent
from core.consulting.intents import ConsultingIntent
from core.deals.approvals.service import Placed
from core.deals.intents import DealIntent
from core.i18n import N_, _
from core.process.deals import DealState


@dataclass(frozen=True)
class Confirmation:
    text: str  # in the current reader's language
    actions: ActionRows

    def reply(self) -> Reply:
        """As a flow's reply: the actions as buttons."""
        return Reply(self.text, tuple(tuple(action_button(a) for a in row)
                                      for row in self.actions))


def published(listing_id: int, status: str) -> Confirmation:
    """A listing submitted: live now, or waiting for an admin's review."""
    view = [[Action(ListingIntent.VIEW_LISTING, N_("View listing"), str(listing_id))]]
    if status == ListingState.PENDING_REVIEW:
        return Confirmation(_("📨 Sent for review. You'll be told as soon as an admin has looked "
                              "at it."), view)
    return Confirmation(_("🚀 Published! Buyers can find it now."), view)


def offer_sent(offer_id: int) -> Confirmation:
    # an offer's action: a card of the offer, retired with it (bots)
    return Confirmation(_("📨 Sent (offer #{id}). You'll hear here as soon as it is answered.",
                          id=offer_id),
                        [[Action(DealIntent.ANSWER_OFFER, N_("↩ Withdraw it"), f"withdraw:{offer_id}")]])


def bought(deal_id: int) -> Confirmation:
    return Confirmation(_("🛒 Bought: deal #{id} is agreed. The terms are on their way; accept "
                          "them and payment opens.", id=deal_id),
                        [[Action(DealIntent.VIEW_DEAL, N_("🤝 Open the deal"), str(deal_id))]])


def held(placed: Placed) -> Confirmation:
    """What the buyer reads when her purchase waits: why, who decides, how to take it back."""
    return Confirmation(_("⏳ Waiting for approval: {total} is above your limit of {limit}. "
                          "{approvers} can approve it; nothing reaches the seller before. You'll "
                          "hear here.", total=placed.total, limit=placed.limit,
                          approvers=", ".join(placed.approvers)),
                        [[Action(CompanyIntent.PURCHASE_REQUEST, N_("↩ Withdraw the request"),
                                 f"cancel:{placed.held}")]])


def placed(placed: Placed, buying: bool) -> Confirmation:
    """An offer or a purchase as core placed it: sent, agreed, or held for approval."""
    if buying and placed.deal_id is not None:
        return bought(placed.deal_id)
    if placed.offer_id is not None:
        return offer_sent(placed.offer_id)
    return held(placed)


def message_sent(other: str, masked: bool) -> Confirmation:
    """A message sent to the other party of a listing's conversation, the chat still open."""
    if masked:
        return Confirmation(_("✉ Sent to {other}.\n(Contact details were hidden: they show once "
                              "a deal is agreed.) Write more, or tap Done.", other=other), [])
    return Confirmation(_("✉ Sent to {other}. Write more, or tap Done.", other=other), [])


def question_sent(other: str, masked: bool, thread_id: int) -> Confirmation:
    """A message sent from outside the chat (the Mini App): the conversation goes on in chat."""
    if masked:
        text = _("✉ Sent to {other}.\n(Contact details were hidden: they show once a deal is "
                 "agreed.)", other=other)
    else:
        text = _("✉ Sent to {other}.", other=other)
    return Confirmation(text, [[Action(DealIntent.REPLY_THREAD, N_("💬 Write more"), str(thread_id))]])


def booking_requested(booking_id: int, free_minutes: int, prepaid: bool = False
                      ) -> Confirmation:
    """`free_minutes`: what the session will start free (none once the pair's are used);
    `prepaid`: drawn from the seeker's session package, so no card is asked for."""
    text = (_("📨 Requested. The time is held while the consultant answers; the session is "
              "prepaid from your package.") if prepaid else
            _("📨 Requested. The time is held while the consultant answers; you'll be asked "
              "to authorise the payment (the first minutes are free, ending early costs "
              "nothing).") if free_minutes
            else _("📨 Requested. The time is held while the consultant answers; you'll be "
                   "asked to authorise the payment (paid from the first minute)."))
    return Confirmation(text, [[Action(ConsultingIntent.VIEW_BOOKING, N_("📅 The booking"),
                                       str(booking_id))]])


# A deal's steps (conversations.flows.deals.deal_steps and the Mini App's deal room): what the
# party who took the step reads; the other party hears it from the deal's own notices.


def terms_accepted(status: str, buyer: bool) -> Confirmation:
    """One party's acceptance of the terms: payment open, the goods next (paid on terms), or
    waiting for the other party."""
    if status == DealState.AWAITING_PAYMENT:
        return Confirmation(_("✅ Accepted. Both parties have: payment is open."), [])
    if status == DealState.TO_SHIP:  # paid on terms: the goods go first
        return Confirmation(
            _("✅ Accepted. Both parties have: the seller ships next, and the invoice comes with "
              "the goods.") if buyer else
            _("✅ Accepted. Both parties have: ship the goods; the buyer's invoice goes out when "
              "you mark them shipped."), [])
    return Confirmation(_("✅ Accepted. Waiting for the other party to accept the same version."),
                        [])


def shipped() -> Confirmation:
    return Confirmation(_("🚚 Marked shipped; the buyer is told. Documents (CMR, weighbridge "
                          "ticket, photos) go to the buyer in the deal's messages."), [])


def step_taken() -> Confirmation:
    """A step that needs no more than a yes (delivered, confirmed, an adjustment answered)."""
    return Confirmation(_("✅ Done; the other party is told."), [])


def quality_reported(adjustment: str | None) -> Confirmation:
    """The buyer's quality report: within the tolerances (`adjustment` None) the deal is
    complete; outside them the adjustment, in words, goes to the seller."""
    if adjustment is None:
        return Confirmation(_("✅ Within the agreed tolerances: the deal is complete and the "
                              "payment released to the seller."), [])
    return Confirmation(_("🔬 Outside the agreed tolerances. {adjustment} The seller accepts it or "
                          "an admin decides. Photos or the lab report go to the seller in the "
                          "deal's messages.", adjustment=adjustment), [])


def rated() -> Confirmation:
    return Confirmation(_("⭐ Thank you. Your rating shows once the other party has rated too, "
                          "or when the rating window closes."), [])
