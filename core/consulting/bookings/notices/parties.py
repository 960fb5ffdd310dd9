"""What each party of a booking is told, with which next steps, in their own time zone. The
notices of its transitions are declared in core.process.bookings and these text and buttons
builders are named for them (core.consulting.bookings.notices.book); a request and the payment's
steps, which are not transitions, are told by event handlers registered in config.event_wiring.
All write to the outbox in the emitting transaction. An agreed time carries the calendar invite;
a cancelled one its cancellation (core.consulting.bookings.notices.endings)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.accounts.tables import Account
from core.actions import Action, ActionRows, Intent
from core.clock import local_time
from core.consulting.bookings import calendar
from core.consulting.bookings.moves import authorised_later, booking_of
from core.consulting.bookings.rules import SAVED_CARD, policy_text
from core.consulting.events import (
    AuthorisationOpened,
    AuthorisedOnSavedCard,
    BookingMoved,
    BookingRequested,
    CardRequested,
)
from core.consulting.tables import Booking, BookingProposal, ConsultantProfile
from core.money.events import MethodSaved
from core.money.model import Money
from core.notifications.outbox import notify, recipients
from core.process.bookings import AUTHORISE_BEFORE, RELEASE_UNPAID_BEFORE
from core.process.notices import Moved, Said
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class People:
    """A booking's two parties: names and zones by account id, and who is who."""

    booking: Booking
    names: dict[int, str]
    zones: dict[int, str]

    def other(self, account_id: int) -> int:
        b = self.booking
        return b.seeker_id if account_id == b.consultant_id else b.consultant_id

    def when(self, account_id: int) -> str:
        assert self.booking.starts_at is not None
        return local_time(self.booking.starts_at, self.zones[account_id])


async def people(uow: UnitOfWork, booking: Booking) -> People:
    """Names and zones of both parties (the consultant's zone is their profile's)."""
    await recipients(uow, {booking.consultant_id, booking.seeker_id})
    consultant = await uow.session.get(Account, booking.consultant_id)
    seeker = await uow.session.get(Account, booking.seeker_id)
    profile = await uow.session.get(ConsultantProfile, booking.consultant_id)
    names = {booking.consultant_id: consultant.display_name if consultant else "the consultant",
             booking.seeker_id: seeker.display_name if seeker else "the seeker"}
    zones = {booking.consultant_id: profile.timezone if profile else "UTC",
             booking.seeker_id: seeker.timezone if seeker else "UTC"}
    return People(booking, names, zones)


def view(booking_id: int, label: str = "📅 View the booking") -> Action:
    return Action(Intent.VIEW_BOOKING, label, str(booking_id))


def answer(verb: str, booking_id: int, label: str, proposal_id: int | None = None) -> Action:
    """A button answering a booking: accept / decline / propose / reschedule / keep."""
    arg = f"{verb}:{booking_id}" + (f":{proposal_id}" if proposal_id is not None else "")
    return Action(Intent.ANSWER_BOOKING, label, arg)


async def _load(uow: UnitOfWork, event: BookingMoved) -> tuple[Booking, People] | None:
    booking = await uow.session.get(Booking, event.booking_id)
    return (booking, await people(uow, booking)) if booking is not None else None


async def _times(uow: UnitOfWork, booking: Booking) -> list[BookingProposal]:
    return list((await uow.session.execute(select(BookingProposal).where(
        BookingProposal.booking_id == booking.id,
        BookingProposal.round == booking.proposal_round)
        .order_by(BookingProposal.starts_at))).scalars())


def _amount(booking: Booking) -> Money:
    return Money(booking.max_minor, booking.currency)


async def on_requested(uow: UnitOfWork, event: BookingRequested) -> None:
    """The consultant gets the request with its answers."""
    loaded = await _load(uow, event)
    if loaded is None:
        return
    b, p = loaded
    who, me = p.names[b.seeker_id], b.consultant_id
    head = f"{who} asks for a {b.minutes}-minute session (up to {_amount(b)})"
    if b.kind == "instant":
        window = int(uow.policy.booking.join_window.total_seconds() // 60)
        await notify(uow, me, f"⚡ {head} right now. Answer within {window} minutes.",
                     urgent=True, buttons=[[answer("accept", b.id, "✅ Accept"),
                                            answer("decline", b.id, "✖ Decline")]])
        return
    rows = await _time_rows(uow, b, p, me, "accept")
    text = f"📅 {head} on {p.when(me)}." if b.starts_at else f"📅 {head} at one of these times:"
    if b.topic:
        text += f"\nTopic: {b.topic}"
    last = [answer("propose", b.id, "🕑 Propose other times"), answer("decline", b.id, "✖ Decline")]
    await notify(uow, me, text, buttons=[*rows, last])


async def _time_rows(uow: UnitOfWork, b: Booking, p: People, reader: int, verb: str
                     ) -> ActionRows:
    """One button per proposed time in the reader's zone (or Accept for a held slot)."""
    if b.starts_at is not None and verb == "accept":
        return [[answer(verb, b.id, "✅ Accept")]]
    return [[answer(verb, b.id, local_time(t.starts_at, p.zones[reader]), t.id)]
            for t in await _times(uow, b)]


def party(moved: Moved, role: str) -> int:
    """The account playing `role` in this move (a booking's parties are one account each)."""
    held = moved.parties[role]
    assert isinstance(held, int)
    return held


async def view_buttons(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return [[view(moved.subject.id)]]


async def times_proposed(uow: UnitOfWork, moved: Moved, role: str, to: int) -> str:
    """The other party chooses one of the new times, proposes again, or declines."""
    b = moved.subject
    p = await people(uow, b)
    return (f"🕑 {p.names[p.other(to)]} proposed other times for your {b.minutes}-minute "
            "session. Choose one:")


async def choose_time(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    b = moved.subject
    p = await people(uow, b)
    by_consultant = moved.transition == "propose-times"
    rows = await _time_rows(uow, b, p, party(moved, role), "accept")
    last = [answer("propose", b.id, "🕑 Propose other times"),
            answer("withdraw" if by_consultant else "decline", b.id,
                   "✖ Withdraw" if by_consultant else "✖ Decline")]
    return [*rows, last]


async def confirmed(uow: UnitOfWork, moved: Moved, role: str, me: int) -> Said | None:
    """Both hear the agreed time in their zone, with the invite; the seeker with the policy."""
    b = moved.subject
    if b.starts_at is None:
        return None
    p = await people(uow, b)
    again = moved.transition == "accept-reschedule"
    if b.kind == "instant":
        text = f"✅ {p.names[p.other(me)]} and you: “talk now” is confirmed."
    else:
        word = "Rescheduled" if again else "Confirmed"
        text = f"✅ {word}: your session with {p.names[p.other(me)]} on {p.when(me)}."
    if me == b.seeker_id:
        text += " " + policy_text(uow.policy.booking, _amount(b), b.starts_at, p.zones[me],
                                  authorised_later(b), b.kind == "instant")
    return Said(text, attachment=None if b.kind == "instant" else calendar.attachment(
        b.id, "REQUEST"))


async def reschedule_proposed(uow: UnitOfWork, moved: Moved, role: str, to: int) -> str | None:
    """The other party accepts a new time or keeps the booked one."""
    actor = moved.event.actor_id if moved.event is not None else None
    if actor is None:
        return None
    p = await people(uow, moved.subject)
    return (f"🔁 {p.names[actor]} asks to move your session on {p.when(to)}. Accept a new "
            "time, or keep the booked one:")


async def reschedule_times(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    b = moved.subject
    p = await people(uow, b)
    rows = await _time_rows(uow, b, p, party(moved, role), "reschedule")
    return [*rows, [answer("keep", b.id, "📌 Keep the booked time")]]


def _authorise_by(booking: Booking, p: People, me: int) -> str:
    """When the authorisation is needed: a “talk now” before joining; a scheduled session
    before the unpaid time is released."""
    if booking.kind == "instant":
        return "now. Nothing is charged now; once it is authorised you can join the session."
    hours = int(RELEASE_UNPAID_BEFORE.total_seconds() // 3600)
    return (f"on {p.when(me)}. Nothing is charged now; if it is not authorised {hours} hours "
            "before, the time is released.")


async def on_authorisation_opened(uow: UnitOfWork, event: AuthorisationOpened) -> None:
    """The seeker authorises the maximum: nothing is charged now (asked again when the card
    saved at booking was declined)."""
    booking = await uow.session.get(Booking, event.booking_id)
    if booking is None or booking.starts_at is None:
        return
    p = await people(uow, booking)
    me = booking.seeker_id
    head = (f"❌ The card you saved was declined ({event.declined.rstrip('.')}). Please "
            "authorise again: " if event.declined else "💳 ")
    ask = "authorise" if event.declined else "Authorise"
    await notify(uow, me, f"{head}{ask} up to {_amount(booking)} for your session with "
                          f"{p.names[booking.consultant_id]} {_authorise_by(booking, p, me)}",
                 urgent=booking.kind == "instant" or bool(event.declined),
                 buttons=[[Action(Intent.PAY, "💳 Authorise", str(event.escrow_id))],
                          [view(booking.id)]])


async def on_card_requested(uow: UnitOfWork, event: CardRequested) -> None:
    """A session more than five days away: the seeker saves a card now, nothing charged."""
    booking = await uow.session.get(Booking, event.booking_id)
    if booking is None or booking.starts_at is None:
        return
    p = await people(uow, booking)
    me = booking.seeker_id
    at = local_time(booking.starts_at - AUTHORISE_BEFORE, p.zones[me])
    await notify(uow, me, f"💳 Save a card for your session with "
                          f"{p.names[booking.consultant_id]} on {p.when(me)}. {SAVED_CARD}: up "
                          f"to {_amount(booking)} on {at}, and nothing more is needed from you "
                          "then. Without a saved card you are asked to authorise it then.",
                 buttons=[[Action(Intent.SAVE_CARD, "💳 Save a card", str(event.saved_id))],
                          [view(booking.id)]])


async def on_method_saved(uow: UnitOfWork, event: MethodSaved) -> None:
    """The seeker saved the card for a booking: told when it will be used."""
    booking_id = booking_of(event.reference)
    booking = await uow.session.get(Booking, booking_id) if booking_id is not None else None
    if booking is None or booking.starts_at is None:
        return
    p = await people(uow, booking)
    me = booking.seeker_id
    card = f"Card •••• {event.last4}" if event.last4 else "Your card"
    at = local_time(booking.starts_at - AUTHORISE_BEFORE, p.zones[me])
    await notify(uow, me, f"✅ {card} saved for your session with "
                          f"{p.names[booking.consultant_id]} on {p.when(me)}. Nothing is charged "
                          f"now; up to {_amount(booking)} is authorised on it on {at}.",
                 buttons=[[view(booking.id)]])


async def on_authorised_on_saved_card(uow: UnitOfWork, event: AuthorisedOnSavedCard) -> None:
    """24 h before: authorised on the saved card; both hear nothing more is needed."""
    booking = await uow.session.get(Booking, event.booking_id)
    if booking is None or booking.starts_at is None:
        return
    p = await people(uow, booking)
    seeker, consultant = booking.seeker_id, booking.consultant_id
    await notify(uow, seeker, f"✅ Up to {_amount(booking)} for your session with "
                              f"{p.names[consultant]} on {p.when(seeker)} is authorised on the "
                              "card you saved. Nothing more is needed; nothing is charged before "
                              "the session.", buttons=[[view(booking.id)]])
    await notify(uow, consultant, f"✅ {p.names[seeker]}'s session on {p.when(consultant)} is "
                                  "authorised. Nothing more is needed.",
                 buttons=[[view(booking.id)]])
