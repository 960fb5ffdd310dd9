"""What the parties of an agreed deal hear after the sale: where the goods are, a dispute
opened (to the admins), an admin's questions and the parties' answers, the decision with what
it does with the money, and the ratings once published."""

from __future__ import annotations

from core.accounts.tables import Account
from core.actions import Action
from core.deals.deal_book import deal_book_of
from core.deals.events import DisputeDecided, DisputeQuestion, RatingsPublished, ShipmentUpdated
from core.deals.folder import folder_of
from core.deals.intents import DealIntent
from core.deals.notices import details as notice_details
from core.deals.notices.parties import deal_button
from core.deals.rules import ShipmentStatus
from core.deals.tables import Deal, Dispute, Shipment
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify, recipients
from core.operators.roles import admin_ids
from core.process.notices import Moved
from core.storage.uow import UnitOfWork


async def dispute_opened(uow: UnitOfWork, moved: Moved, role: str, admin_id: int) -> str | None:
    """To every admin, as the deal enters dispute (declared on the transition): the reason."""
    dispute = await folder_of(uow).dispute_of(moved.subject.id)  # one a deal
    if dispute is None:
        return None
    return _("⚖ Deal #{id} is disputed: {reason}", id=moved.subject.id, reason=dispute.reason)


# How the buyer hears where the goods are, by the shipment's status.
SHIPMENT_SAID: dict[str, str] = {
    ShipmentStatus.IN_TRANSIT: N_("🚚 In transit"),
    ShipmentStatus.DELAYED: N_("⏳ Delayed, with a new expected arrival"),
    ShipmentStatus.DISPATCHED: N_("📦 Dispatched")}


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
                    DealIntent.ANSWER_DISPUTE, N_("↩ Answer"), str(dispute.id))]])
        return
    name = (await uow.get(Account, event.sender_id))
    for admin_id in await admin_ids(uow):
        async with addressed_to(uow, admin_id):
            text = (_("🛡 {name} answers on deal #{id}'s dispute:\n{answer}", name=name.display_name,
                      id=dispute.deal_id, answer=event.text) if name else
                    _("🛡 A party answers on deal #{id}'s dispute:\n{answer}", id=dispute.deal_id,
                      answer=event.text))
            await notify(uow, admin_id, text, buttons=[[Action(
                DealIntent.DECIDE_DISPUTE, N_("Open the dispute"), str(dispute.id))]])


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


async def on_ratings_published(uow: UnitOfWork, event: RatingsPublished) -> None:
    """Both parties hear that the deal's ratings are out, each the stars they were given (or
    that the other did not rate them), on the deal's last card."""
    deal = await deal_book_of(uow).stored(event.deal_id)
    if deal is None:
        return
    stars = dict(event.stars)
    await recipients(uow, {deal.seller_id, deal.buyer_id})  # both, with their chats, at once
    for me in (deal.seller_id, deal.buyer_id):
        async with addressed_to(uow, me):
            text = (_("⭐ The ratings of deal #{id} are published: you were rated {stars}★. "
                      "Ratings stay hidden until both parties rate or the rating window "
                      "closes.", id=deal.id, stars=stars[me]) if me in stars else
                    _("⭐ The ratings of deal #{id} are published: the other party did not "
                      "rate you. Ratings stay hidden until both parties rate or the rating "
                      "window closes.", id=deal.id))
            await notify(uow, me, text, about=[f"deal:{deal.id}"])  # the deal's last card
