"""What each party of a booking is told, with which next steps, in their own time zone. The
notices of its transitions are declared in core.process.bookings and these text and buttons
builders are named for them (core.consulting.booking_notices); a request and the payment's
steps, which are not transitions, are told by event handlers declared in core.consulting.wiring
(the payment's in core.consulting.bookings.notices.payment). All write to the outbox in the
emitting transaction. An agreed time carries the calendar invite;
a cancelled one its cancellation (core.consulting.bookings.notices.endings)."""

from __future__ import annotations

from dataclasses import dataclass

from core.actions import Action, ActionRows
from core.clock import local_time
from core.consulting.bookings import calendar
from core.consulting.bookings.diary import Proposal
from core.consulting.bookings.moves import authorised_later
from core.consulting.bookings.rules import policy_text
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.events import (
    BookingMoved,
    BookingRequested,
)
from core.consulting.intents import ConsultingIntent
from core.consulting.packages import balances as package_balances
from core.consulting.packages import view as package_view
from core.consulting.tables import Booking, ConsultantProfile
from core.errors import NotFound
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import account_of, addressed_to, notify, recipients
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
    """Names and zones of both parties (the consultant's zone is their profile's), as the
    notices read them (`recipients`) and the diary keeps the profile."""
    await recipients(uow, {booking.consultant_id, booking.seeker_id})
    consultant = await account_of(uow, booking.consultant_id)
    seeker = await account_of(uow, booking.seeker_id)
    try:
        profile: ConsultantProfile | None = await diary_of(uow).profile(booking.consultant_id)
    except NotFound:
        profile = None
    names = {booking.consultant_id: consultant.display_name if consultant else _("the consultant"),
             booking.seeker_id: seeker.display_name if seeker else _("the seeker")}
    zones = {booking.consultant_id: profile.timezone if profile else "UTC",
             booking.seeker_id: seeker.timezone if seeker else "UTC"}
    return People(booking, names, zones)


def meeting_line(link: str | None) -> str:
    """“🔗 Meeting link: https://…” — told to the booking's two parties only; empty without one."""
    return _("🔗 Meeting link: {link}", link=link) if link else ""


def view(booking_id: int, label: str = N_("📅 View the booking")) -> Action:
    return Action(ConsultingIntent.VIEW_BOOKING, label, str(booking_id))


def answer(verb: str, booking_id: int, label: str, proposal_id: int | None = None) -> Action:
    """A button answering a booking: accept / decline / propose / reschedule / keep."""
    arg = f"{verb}:{booking_id}" + (f":{proposal_id}" if proposal_id is not None else "")
    return Action(ConsultingIntent.ANSWER_BOOKING, label, arg)


async def _times(uow: UnitOfWork, booking: Booking) -> list[Proposal]:
    return await diary_of(uow).proposals(booking.id, booking.proposal_round)


def _amount(booking: Booking) -> Money:
    return Money(booking.max_minor, booking.currency)


async def on_requested(uow: UnitOfWork, event: BookingRequested) -> None:
    """The consultant gets the request with its answers."""
    booking = await diary_of(uow).booking(event.booking_id)
    if booking is None:
        return
    async with addressed_to(uow, booking.consultant_id):
        await _tell_requested(uow, booking, await people(uow, booking))


async def _tell_requested(uow: UnitOfWork, b: Booking, p: People) -> None:
    who, me = p.names[b.seeker_id], b.consultant_id
    if b.kind == "instant":
        window = int(diary_of(uow).policy().join_window.total_seconds() // 60)
        await notify(uow, me, _("⚡ {name} asks for a {minutes}-minute session (up to {amount}) "
                                "right now. Answer within {window} minutes.", name=who,
                                minutes=b.minutes, amount=_amount(b), window=window),
                     urgent=True, buttons=[[answer("accept", b.id, N_("✅ Accept")),
                                            answer("decline", b.id, N_("✖ Decline"))]])
        return
    rows = await _time_rows(uow, b, p, me, "accept")
    text = (_("📅 {name} asks for a {minutes}-minute session (up to {amount}) on {when}.",
              name=who, minutes=b.minutes, amount=_amount(b), when=p.when(me)) if b.starts_at
            else _("📅 {name} asks for a {minutes}-minute session (up to {amount}) at one of "
                   "these times:", name=who, minutes=b.minutes, amount=_amount(b)))
    if b.topic:
        text += _("\nTopic: {topic}", topic=b.topic)
    last = [answer("propose", b.id, N_("🕑 Propose other times")),
            answer("decline", b.id, N_("✖ Decline"))]
    await notify(uow, me, text, buttons=[*rows, last])


async def _time_rows(uow: UnitOfWork, b: Booking, p: People, reader: int, verb: str
                     ) -> ActionRows:
    """One button per proposed time in the reader's zone (or Accept for a held slot)."""
    if b.starts_at is not None and verb == "accept":
        return [[answer(verb, b.id, N_("✅ Accept"))]]
    return [[answer(verb, b.id, local_time(t.starts_at, p.zones[reader]), t.id)]
            for t in await _times(uow, b)]


def party(moved: Moved, role: str) -> int:
    """The account playing `role` in this move (a booking's parties are one account each)."""
    held = moved.parties[role]
    assert isinstance(held, int)
    return held


def actor_of(moved: Moved) -> int | None:
    """Who took this move (None: the system); a booking's moves are `BookingMoved`s."""
    if moved.event is None:
        return None
    assert isinstance(moved.event, BookingMoved)
    return moved.event.actor_id


async def view_buttons(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return [[view(moved.subject.id)]]


async def times_proposed(uow: UnitOfWork, moved: Moved, role: str, to: int) -> str:
    """The other party chooses one of the new times, proposes again, or declines."""
    b = moved.subject
    p = await people(uow, b)
    return _("🕑 {name} proposed other times for your {minutes}-minute session. Choose one:",
             name=p.names[p.other(to)], minutes=b.minutes)


async def choose_time(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    b = moved.subject
    p = await people(uow, b)
    by_consultant = moved.transition == "propose-times"
    rows = await _time_rows(uow, b, p, party(moved, role), "accept")
    last = [answer("propose", b.id, N_("🕑 Propose other times")),
            answer("withdraw" if by_consultant else "decline", b.id,
                   N_("✖ Withdraw") if by_consultant else N_("✖ Decline"))]
    return [*rows, last]


async def confirmed(uow: UnitOfWork, moved: Moved, role: str, me: int, *,
                    free_minutes: int) -> Said | None:
    """Both hear the agreed time in their zone and where they meet, with the invite; the seeker
    with the policy (`free_minutes`: what the session starts free, which the sessions know)."""
    b = moved.subject
    if b.starts_at is None:
        return None
    p = await people(uow, b)
    again = moved.transition in ("accept-reschedule", "move")
    other = p.names[p.other(me)]
    if b.kind == "instant":
        text = _("✅ {name} and you: “talk now” is confirmed.", name=other)
    elif again:
        text = _("✅ Rescheduled: your session with {name} on {when}.", name=other,
                 when=p.when(me))
    else:
        text = _("✅ Confirmed: your session with {name} on {when}.", name=other,
                 when=p.when(me))
    if me == b.seeker_id and b.package_purchase_id is not None:  # prepaid: no card involved
        balance = await package_balances.balance(uow, b.package_purchase_id, me)
        hours = int(diary_of(uow).policy().free_cancel.total_seconds() // 3600)
        text += " " + package_view.prepaid_line(balance) + " " + package_view.prepaid_policy(hours)
    elif me == b.seeker_id:
        text += " " + policy_text(diary_of(uow).policy(), _amount(b), b.starts_at, p.zones[me],
                                  authorised_later(b), b.kind == "instant",
                                  free_minutes=free_minutes)
    if b.meeting_url:
        text += "\n" + meeting_line(b.meeting_url)
    return Said(text, attachment=None if b.kind == "instant" else calendar.attachment(
        b.id, "REQUEST"))


async def reschedule_proposed(uow: UnitOfWork, moved: Moved, role: str, to: int) -> str | None:
    """The other party accepts a new time or keeps the booked one."""
    actor = actor_of(moved)
    if actor is None:
        return None
    p = await people(uow, moved.subject)
    return _("🔁 {name} asks to move your session on {when}. Accept a new "
             "time, or keep the booked one:", name=p.names[actor], when=p.when(to))


async def reschedule_times(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    b = moved.subject
    p = await people(uow, b)
    rows = await _time_rows(uow, b, p, party(moved, role), "reschedule")
    return [*rows, [answer("keep", b.id, N_("📌 Keep the booked time"))]]
