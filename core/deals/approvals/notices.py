"""Notices of purchase approval: the approval card each approver gets (Approve / Reject), the
requester told of the decision, and every approver's card brought up to date once one decided
(a newer card of the same purchase takes the older one's buttons away)."""

from __future__ import annotations

from core.actions import Action, ActionRows
from core.catalog.intents import ListingIntent
from core.catalog.taxonomy import UNITS
from core.companies.approvals_chat import Chat, chat_of, reads_chat, written_for
from core.companies.events import ApprovalsChatChosen
from core.companies.intents import CompanyIntent
from core.companies.seats import CompanyView
from core.companies.sql_roster import roster_of
from core.deals import cards
from core.deals.approvals.book import ApprovalBook
from core.deals.approvals.drafted import terms_of, total_of
from core.deals.approvals.sql_book import approval_book_of
from core.deals.events import PurchaseDecided, PurchaseHeld
from core.deals.intents import DealIntent
from core.deals.offers.facts import payment_words
from core.deals.tables import PurchaseRequest
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify, notify_chat, recipients
from core.storage.uow import UnitOfWork

WANTS = {
    "offer": N_("🧾 Approval needed: {name} wants to send an offer on “{title}” to {seller}."),
    "counter": N_("🧾 Approval needed: {name} wants to send a counter-offer on “{title}” to "
                  "{seller}."),
    "accept": N_("🧾 Approval needed: {name} wants to accept {seller}'s offer on “{title}”."),
    "buy": N_("🧾 Approval needed: {name} wants to buy “{title}” from {seller} now."),
}
DECIDED = {
    "approved": N_("✅ {approver} approved {name}'s purchase on “{title}” ({total})."),
    "lapsed": N_("⌛ {approver} approved {name}'s purchase on “{title}”, but it could not be "
                 "made any more: {reason}"),
    "rejected": N_("✖ {approver} rejected {name}'s purchase on “{title}” ({total}): {reason}"),
    "withdrawn": N_("↩ {name} withdrew the request to buy on “{title}” ({total})."),
}
TO_REQUESTER = {
    "approved": N_("✅ {approver} approved your purchase on “{title}” ({total}): it went out "
                   "in your name."),
    "lapsed": N_("⌛ {approver} approved your purchase on “{title}”, but it could not be made "
                 "any more: {reason}"),
    "rejected": N_("✖ {approver} rejected your purchase on “{title}” ({total}). Reason: {reason}"),
}


async def on_held(uow: UnitOfWork, event: PurchaseHeld) -> None:
    """The approval card goes to the company's team chat, if it chose one, and by DM to each
    approver who does not read that chat."""
    book = approval_book_of(uow)
    request = await book.request(event.request_id)
    if request is None:
        return
    approvers = await book.approvers(request.company_id, request.requester_id)
    await recipients(uow, {*approvers, request.requester_id})
    buttons: ActionRows = [
        [Action(CompanyIntent.PURCHASE_REQUEST, N_("✅ Approve"), f"approve:{request.id}"),
         Action(CompanyIntent.PURCHASE_REQUEST, N_("✖ Reject"), f"reject:{request.id}")],
        [Action(ListingIntent.VIEW_LISTING, N_("🔎 The listing"), str(request.listing_id))]]
    team = await _team_chat(uow, request)
    if team is not None:
        with written_for(*team):
            notify_chat(uow, team[1].channel, team[1].address, await card_text(uow, request),
                        buttons=buttons)
    for approver in await _by_dm(uow, approvers, team[1] if team else None):
        async with addressed_to(uow, approver):
            await notify(uow, approver, await card_text(uow, request), buttons=buttons)


async def on_decided(uow: UnitOfWork, event: PurchaseDecided) -> None:
    """The requester hears the decision (not her own withdrawal); the other approvers' cards
    are replaced by who decided, without buttons."""
    book = approval_book_of(uow)
    request = await book.request(event.request_id)
    if request is None:
        return
    approvers = await book.approvers(request.company_id, request.requester_id)
    await recipients(uow, {*approvers, request.requester_id})
    names = await _names(uow, request)
    key = f"purchase:{request.id}"
    if event.status in TO_REQUESTER:
        async with addressed_to(uow, request.requester_id):
            await notify(uow, request.requester_id, _(
                TO_REQUESTER[event.status], total=total_of(request),
                reason=request.reason or "", **names), about=(key,), buttons=_next(request))
    def decided() -> str:  # in the current reader's words
        return _(DECIDED[event.status], total=total_of(request), reason=request.reason or "",
                 **names)

    team = await _team_chat(uow, request)
    if team is not None:  # the chat's card loses its buttons
        with written_for(*team):
            notify_chat(uow, team[1].channel, team[1].address, decided(), about=(key,))
    for approver in await _by_dm(uow, approvers, team[1] if team else None):
        if approver == request.decided_by:
            continue  # the card she pressed already says it (replaced, or its buttons gone)
        async with addressed_to(uow, approver):
            await notify(uow, approver, decided(), about=(key,))


async def on_chat_chosen(uow: UnitOfWork, event: ApprovalsChatChosen) -> None:
    """The chosen team chat hears what it is for."""
    company = await roster_of(uow).company(event.company_id)
    chat = chat_of(company)
    if company is None or chat is None or chat.name != event.chat:
        return
    with written_for(company, chat):
        notify_chat(uow, chat.channel, chat.address, _(
            "🧾 Purchases of {company} that wait for approval will be posted here. An "
            "approver decides with the buttons on each card; the card then says who decided.",
            company=company.name))


async def _team_chat(uow: UnitOfWork, request: PurchaseRequest
                     ) -> tuple[CompanyView, Chat] | None:
    """The company and the team chat its approval cards go to, if it chose one."""
    company = await roster_of(uow).company(request.company_id)
    chat = chat_of(company)
    return (company, chat) if company is not None and chat is not None else None


async def _by_dm(uow: UnitOfWork, approvers: list[int], chat: Chat | None) -> list[int]:
    """The approvers who get their cards by DM: all, or those who do not read the chat."""
    if chat is None:
        return approvers
    return [a for a in approvers if not await reads_chat(uow, a, chat)]


async def card_text(uow: UnitOfWork | ApprovalBook, request: PurchaseRequest) -> str:
    """What the purchase is, in the reader's language: who wants what, the numbers, the
    terms, and the limit it is above (read from the approval book, so the card's chat runs on
    the tests' in-memory one too)."""
    book = approval_book_of(uow)
    listing = await book.negotiation().listing(request.listing_id)
    names = await _names(book, request)
    terms = terms_of(request)
    unit = listing.unit if listing else ""
    milli = int(terms.quantity * 1000)
    seat = await book.seat(request.requester_id)
    lines = [_(WANTS[request.kind], name=names["name"], title=names["title"],
               seller=names["seller"]),
             _("{quantity} × {price} per {unit} = {total}", quantity=cards.quantity(milli, unit),
               price=terms.price, unit=UNITS.get(unit, unit), total=total_of(request)),
             _("Delivery: {delivery}", delivery=cards.delivery_text(
                 terms.incoterm, terms.place, terms.delivery_from, terms.delivery_to)),
             _("Payment: {payment}", payment=payment_words(terms.payment_method, ()))]
    if terms.call_offs:
        lines.append(_("📑 Delivered in {count} call-offs; the total is all of them.",
                       count=terms.call_offs))
    if seat is not None and seat.limit is not None:
        lines.append(_("Above {name}'s limit of {limit} per purchase.", name=names["name"],
                       limit=seat.limit))
    return "\n".join(lines)


def _next(request: PurchaseRequest) -> list[list[Action]]:
    if request.result_deal_id:
        return [[Action(DealIntent.VIEW_DEAL, N_("🤝 Open the deal"), str(request.result_deal_id))]]
    return []


async def _names(uow: UnitOfWork | ApprovalBook, request: PurchaseRequest) -> dict[str, str]:
    book = approval_book_of(uow)
    listing = await book.negotiation().listing(request.listing_id)
    seller = listing.seller_id if listing else None
    found = await book.names([a for a in (request.requester_id, request.decided_by, seller)
                              if a is not None])
    return {"name": found.get(request.requester_id, "—"),
            "title": listing.title if listing else "—",
            "seller": found.get(seller, "—") if seller else "—",
            "approver": found.get(request.decided_by, "—") if request.decided_by else "—"}

