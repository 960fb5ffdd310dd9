"""What a buyer and a seller hear while they negotiate, before a deal: an offer made (with
accept, counter and decline), declined, withdrawn, a buyer's counter on a quote closed with
its request; a thread message relayed to the other party, and a reported conversation
to every admin. An offer's notices read the offer and its listing through the negotiation
(`core.deals.offers.negotiation`), a quote's request through the requests' register, a thread's
through the correspondence (`core.deals.threads.correspondence`), so they are written in memory
too (test_deal_chat_paths.py)."""

from __future__ import annotations

from core.actions import Action
from core.catalog.intents import ListingIntent
from core.deals import cards
from core.deals.events import MessagePosted, OfferClosed, OfferMade, ThreadReported
from core.deals.intents import DealIntent
from core.deals.notices.parties import negotiation
from core.deals.offers.agreement import REQUEST_AWARDED
from core.deals.offers.sql_negotiation import negotiation_of
from core.deals.request_rules import RequestState
from core.deals.requests.register import register_of
from core.deals.requests.service import CLOSED_BY_BUYER
from core.deals.threads.correspondence import correspondence_of
from core.deals.threads.service import RFQ
from core.i18n import N_, _
from core.notifications.outbox import account_of, addressed_to, notify, recipients
from core.operators.roles import admin_ids
from core.process.deals import BUYER, OfferState
from core.process.notices import Moved, Said
from core.storage.uow import UnitOfWork


async def on_offer_made(uow: UnitOfWork, event: OfferMade) -> None:
    """The other party gets the offer card with accept, counter and decline."""
    offers = negotiation_of(uow)
    offer = await offers.offer(event.offer_id)
    listing = await offers.listing(offer.listing_id) if offer else None
    if offer is None or listing is None or offer.status != OfferState.OPEN:
        return  # accepted in the same transaction (a tender's award): the deal is told
    to = offer.seller_id if offer.made_by == BUYER else offer.buyer_id
    await recipients(uow, {offer.buyer_id, offer.seller_id})
    previous = await offers.offer(offer.previous_id) if offer.previous_id else None
    async with addressed_to(uow, to) as reader:
        text = cards.offer_text(offer, listing, previous, uow.policy, reader)
        await notify(uow, to, text, buttons=[
            [Action(DealIntent.ANSWER_OFFER, N_("✅ Accept"), f"accept:{offer.id}"),
             Action(DealIntent.COUNTER_OFFER, N_("↔ Counter"), str(offer.id))],
            [Action(DealIntent.ANSWER_OFFER, N_("✖ Decline"), f"decline:{offer.id}")]],
            about=[negotiation(offer), *([f"offer:{previous.id}"] if previous else [])])


async def offer_declined(uow: UnitOfWork, moved: Moved, role: str, party: int) -> Said | None:
    """To the maker: their offer was declined, with the reason when one was given. (An
    acceptance is told as the deal agreed; a counter-offer by the counter itself.)"""
    offer = moved.subject
    listing = await negotiation_of(uow).listing(offer.listing_id)
    if listing is None:
        return None
    request = await register_of(uow).request(offer.request_id) if offer.request_id else None
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
    offers = negotiation_of(uow)
    offer = await offers.offer(event.offer_id)
    if event.status != OfferState.DECLINED or offer is None or offer.request_id is None \
            or offer.made_by != BUYER or offer.reason not in (REQUEST_AWARDED, CLOSED_BY_BUYER):
        return
    request = await register_of(uow).request(offer.request_id)
    listing = await offers.listing(offer.listing_id)
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
    listing = await negotiation_of(uow).listing(offer.listing_id)
    if listing is None:
        return None
    async with addressed_to(uow, party):
        return Said(_("↩ Offer #{id} on “{title}” was withdrawn.", id=offer.id,
                      title=listing.title), about=(negotiation(offer),))


async def on_message_posted(uow: UnitOfWork, event: MessagePosted) -> None:
    """Relay a thread message to the other party, on their own channel, with Reply."""
    mail = correspondence_of(uow)
    message = await mail.message(event.message_id)
    thread = await mail.thread(event.thread_id)
    title = await mail.title(thread.listing_id) if thread else None
    if message is None or thread is None or title is None:
        return
    sender = await account_of(uow, event.sender_id)
    name = sender.display_name if sender else "?"
    file = {"kind": "thread-file", "key": str(message.id)} if message.file_path else None
    buttons = [[Action(DealIntent.REPLY_THREAD, N_("↩ Reply"), str(thread.id))]]
    if message.text.startswith(RFQ) and event.recipient_id == thread.seller_id:
        buttons.insert(0, [Action(DealIntent.SEND_QUOTE, N_("💶 Send a quote"), str(thread.id))])
    async with addressed_to(uow, event.recipient_id):
        note = ("\n" + _("(Contact details are hidden until a deal is agreed.)")
                if message.masked else "")
        text = _("💬 {name} about “{title}”:\n{message}", name=name, title=title,
                 message=message.text)
        await notify(uow, event.recipient_id, text + note, attachment=file, buttons=buttons)


async def on_thread_reported(uow: UnitOfWork, event: ThreadReported) -> None:
    """Every admin hears of a reported conversation, with its last messages."""
    mail = correspondence_of(uow)
    thread = await mail.thread(event.thread_id)
    if thread is None:
        return
    other = thread.seller_id if event.reporter_id == thread.buyer_id else thread.buyer_id
    reporter, reported = await account_of(uow, event.reporter_id), await account_of(uow, other)
    last = await mail.last_from(thread.id, other, 3)
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
                buttons=[[Action(ListingIntent.VIEW_LISTING, N_("View the listing"),
                                 str(thread.listing_id))]])
