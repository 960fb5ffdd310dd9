"""What the parties hear when a booking ends without a session (declined, expired, withdrawn or
cancelled, released unpaid, a no-show) and when a reschedule is turned down (the call to join
at the start is the session's: core.consulting.sessions.link). A “talk now” nobody answered
offers other consultants online in the same field."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.actions import Action, ActionRows, Intent
from core.consulting.bookings import calendar
from core.consulting.bookings.changes import max_amount
from core.consulting.bookings.notices import answer, people, view
from core.consulting.bookings.rules import no_show_fee
from core.consulting.events import BookingCancelled, BookingMoved
from core.consulting.tables import Booking, ConsultantProfile
from core.money.model import Money
from core.notifications.outbox import notify
from core.process.bookings import FEE_DECISION
from core.storage.uow import UnitOfWork

ALTERNATIVES = 3


async def alternatives(uow: UnitOfWork, booking: Booking) -> ActionRows:
    """Buttons to other live consultants online now who share a field with this one."""
    mine = await uow.session.get(ConsultantProfile, booking.consultant_id)
    fields = set(mine.categories or []) if mine else set()
    rows = (await uow.session.execute(select(ConsultantProfile, Account.display_name)
            .join(Account, Account.id == ConsultantProfile.account_id).where(
            ConsultantProfile.live.is_(True), ConsultantProfile.online_until > uow.clock.now(),
            ConsultantProfile.account_id != booking.consultant_id)
            .order_by(ConsultantProfile.sessions_completed.desc()))).all()
    found = [(p.account_id, name) for p, name in rows if fields & set(p.categories or [])]
    return [[Action(Intent.VIEW_CONSULTANT, f"👤 {name} (online)", str(account_id))]
            for account_id, name in found[:ALTERNATIVES]]


def _rebook(booking: Booking, name: str) -> Action:
    return Action(Intent.VIEW_CONSULTANT, f"📅 Book {name} again", str(booking.consultant_id))


async def on_ended(uow: UnitOfWork, event: BookingMoved) -> None:
    """Declined, expired, withdrawn, cancelled, released, no-show: each party hears why, what
    it costs (usually nothing) and what they can do next."""
    booking = await uow.session.get(Booking, event.booking_id)
    if booking is None:
        return
    p = await people(uow, booking)
    seeker, consultant = booking.seeker_id, booking.consultant_id
    them, you = p.names[consultant], p.names[seeker]
    fee = Money(booking.fee_minor, booking.currency)
    texts: dict[int, str] = {}
    extra: ActionRows = []
    if event.target == "declined":
        why = f" Reason: {booking.reason}" if booking.reason else ""
        texts[seeker] = f"✖ {them} declined your request. Nothing was charged.{why}"
        extra = await alternatives(uow, booking)
    elif event.target == "expired":
        texts[seeker] = f"⌛ {them} did not answer in time. Nothing was charged."
        texts[consultant] = f"⌛ The request from {you} expired unanswered."
        if booking.kind == "instant":
            extra = await alternatives(uow, booking)
            if extra:
                texts[seeker] += " These consultants in the same field are online now:"
    elif event.target == "released":
        texts[seeker] = (f"🔓 Your session with {them} was released: the payment was not "
                         "authorised in time. Nothing was charged.")
        texts[consultant] = f"🔓 The session with {you} was released: it was not paid in time."
        extra = [[_rebook(booking, them)]]
    elif event.target == "no_show_consultant":
        texts[seeker] = (f"🙁 {them} did not join within 10 minutes. The authorisation is "
                         "voided: nothing is charged. You can rebook:")
        texts[consultant] = f"🙁 You did not join your session with {you}; it was called off."
        extra = [[_rebook(booking, them)], *await alternatives(uow, booking)]
    elif event.target == "seeker_absent":
        await _fee_choice(uow, booking, them, you)
        return
    elif event.target == "no_show_seeker":
        charged = f" The no-show fee of {fee} is charged." if fee.amount else " Nothing is charged."
        texts[seeker] = f"🙁 You did not join your session with {them}.{charged}"
        texts[consultant] = f"🙁 {you} did not join.{charged}"
    for party, text in texts.items():
        buttons = extra if party == seeker else []
        await notify(uow, party, text, buttons=[*buttons, [view(booking.id)]])


async def _fee_choice(uow: UnitOfWork, booking: Booking, consultant_name: str,
                      seeker_name: str) -> None:
    """The consultant decides on the policy's no-show fee; the seeker hears it may come."""
    fee = no_show_fee(uow.policy.booking, max_amount(booking))
    hours = int(FEE_DECISION.total_seconds() // 3600)
    await notify(uow, booking.consultant_id,
                 f"🙁 {seeker_name} did not join. The policy lets you charge the no-show fee of "
                 f"{fee}, or waive it (waived by itself after {hours} h).",
                 buttons=[[answer("charge-fee", booking.id, f"💶 Charge {fee}"),
                           answer("waive-fee", booking.id, "Waive the fee")],
                          [view(booking.id)]])
    await notify(uow, booking.seeker_id,
                 f"🙁 You did not join your session with {consultant_name}. As the booking's "
                 f"policy says, they may charge the no-show fee of {fee} within {hours} h; you "
                 "will be told what they decide.", buttons=[[view(booking.id)]])


async def on_cancelled(uow: UnitOfWork, event: BookingCancelled) -> None:
    """The other party hears of it (with the invite's cancellation once a time was agreed);
    a late fee is said to both."""
    booking = await uow.session.get(Booking, event.booking_id)
    if booking is None:
        return
    p = await people(uow, booking)
    by = event.actor_id
    fee = Money(booking.fee_minor, booking.currency)
    cost = f" A late-cancellation fee of {fee} applies." if fee.amount else " Nothing is charged."
    agreed = event.source != "requested" and event.source != "proposed"
    invite = calendar.attachment(booking.id, "CANCEL") if agreed else None
    what = "session" if agreed else "request"
    for party in (booking.seeker_id, booking.consultant_id):
        if party == by and not fee.amount:
            continue  # the one who cancelled saw it happen
        other = p.names[p.other(party)]
        if party == by:
            text = f"❌ You cancelled your {what} with {other}"
        elif by == p.other(party):
            text = f"❌ {other} cancelled your {what}"
        else:
            text = f"❌ An admin cancelled your {what} with {other}"
        text += f" on {p.when(party)}." if booking.starts_at else "."
        await notify(uow, party, text + cost, buttons=[[view(booking.id)]], attachment=invite)


async def on_reschedule_declined(uow: UnitOfWork, event: BookingMoved) -> None:
    """The booked time stands: the party who proposed the change hears so."""
    booking = await uow.session.get(Booking, event.booking_id)
    if booking is None or event.actor_id is None:
        return
    p = await people(uow, booking)
    to = p.other(event.actor_id)
    await notify(uow, to, f"📌 The session with {p.names[event.actor_id]} stays on "
                          f"{p.when(to)}.", buttons=[[view(booking.id)]])
