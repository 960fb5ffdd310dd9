"""What one party of a session hears of the other's doing: a chat message relayed with the
clock, the consultant's call link, the recap granted, a review and its reply; and the money
layer's asks to the seeker, to authorise an extension or pay for a recap."""

from __future__ import annotations

from core.actions import Action
from core.consulting.intents import ConsultingIntent
from core.consulting.sessions.events import (
    CallLinkSet,
    RecapGranted,
    ReviewReplied,
    SessionMessagePosted,
    SessionReviewed,
)
from core.consulting.sessions.notice_parts import _session, _tell, elapsed
from core.consulting.sessions.sql_logbook import logbook_of
from core.consulting.sessions.tables import SessionExtension
from core.consulting.sessions.view import session_view
from core.i18n import N_, _
from core.money.intents import MoneyIntent
from core.money.model import Money
from core.notifications.outbox import account_of, addressed_to, notify
from core.storage.uow import UnitOfWork


async def on_message(uow: UnitOfWork, event: SessionMessagePosted) -> None:
    """Relay a session message to the other party on their own channel, with the clock."""
    session = await _session(uow, event.session_id)
    message = await logbook_of(uow).message(event.message_id)
    sender = await account_of(uow, event.sender_id)
    if session is None or message is None:
        return
    file = {"kind": "session-file", "key": str(message.id)} if message.file_path else None
    name = sender.display_name if sender else "?"
    async with addressed_to(uow, event.recipient_id):
        clock = elapsed(session_view(session), message.created_at)
        await _tell(uow, event.recipient_id, f"💬 {name} · {clock}\n{message.text}",
                    attachment=file)


async def on_call_link(uow: UnitOfWork, event: CallLinkSet) -> None:
    """The seeker gets the consultant's call link; the chat keeps time."""
    session = await _session(uow, event.session_id)
    if session is not None and session.call_link:
        async with addressed_to(uow, session.seeker_id):
            await _tell(uow, session.seeker_id, _("📞 Call link for session #{id}: "
                        "{link}\nThe chat keeps time and carries files.", id=session.id,
                        link=session.call_link))


async def on_recap_granted(uow: UnitOfWork, event: RecapGranted) -> None:
    """The seeker gets the recap as a PDF."""
    session = await _session(uow, event.session_id)
    if session is not None:
        async with addressed_to(uow, session.seeker_id):
            await notify(uow, session.seeker_id, _("📝 The recap of session #{id} is attached.",
                                                   id=session.id),
                         attachment={"kind": "session-recap", "key": str(session.id)})


async def on_reviewed(uow: UnitOfWork, event: SessionReviewed) -> None:
    """The consultant hears of a new review, with Reply (once)."""
    review = await logbook_of(uow).review(event.review_id)
    if review is not None:
        said = f"\n“{review.comment}”" if review.comment else ""
        async with addressed_to(uow, review.consultant_id):
            await notify(uow, review.consultant_id, _(
                "{stars} A review of session #{id}.{said}", stars="⭐" * review.stars,
                id=review.session_id, said=said), buttons=[[Action(
                    ConsultingIntent.REVIEW_SESSION, N_("↩ Reply"), f"reply:{review.session_id}")]])


async def on_replied(uow: UnitOfWork, event: ReviewReplied) -> None:
    """The seeker hears the consultant's reply to their review."""
    review = await logbook_of(uow).review(event.review_id)
    if review is not None:
        async with addressed_to(uow, review.seeker_id):
            await notify(uow, review.seeker_id, _("↩ The consultant replied to your review of "
                         "session #{id}:\n“{reply}”", id=review.session_id, reply=review.reply))


async def ask_to_authorise(uow: UnitOfWork, extension_id: int, escrow_id: int) -> None:
    """The seeker is asked to authorise an extension's larger amount (the money layer opened it)."""
    extension = await uow.get(SessionExtension, extension_id)
    session = await _session(uow, extension.session_id) if extension else None
    if extension is None or session is None:
        return
    amount = Money(extension.amount_minor, session.currency)
    async with addressed_to(uow, session.seeker_id):
        await _tell(uow, session.seeker_id, _("➕ To add {minutes} minutes to session "
                    "#{id}, authorise {amount} in all; it replaces the current "
                    "authorisation, and only the time used is charged.",
                    minutes=extension.minutes, id=session.id, amount=amount),
                    [[Action(MoneyIntent.PAY, N_("💳 Authorise"), str(escrow_id))]])


async def ask_to_pay_recap(uow: UnitOfWork, session_id: int, escrow_id: int, price: Money
                           ) -> None:
    """The seeker is asked to pay for the recap; it is sent once paid."""
    session = await _session(uow, session_id)
    if session is not None:
        async with addressed_to(uow, session.seeker_id):
            await notify(uow, session.seeker_id, _("📝 The recap of session #{id} costs "
                         "{price}; it is sent to you once paid.", id=session_id, price=price),
                         buttons=[[Action(MoneyIntent.PAY, N_("💳 Pay for the recap"), str(escrow_id))]])
