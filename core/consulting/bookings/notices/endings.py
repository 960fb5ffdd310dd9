"""What the parties hear when a booking ends without a session (declined, expired, withdrawn or
cancelled, released unpaid, a no-show) and when a reschedule is turned down (the call to join
at the start is the session's: core.consulting.sessions.link). A “talk now” nobody answered
offers other consultants online in the same field. Text and buttons builders, named by the
notices declared in core.process.bookings (sent by core.consulting.booking_notices)."""

from __future__ import annotations

from core.actions import Action, ActionRows
from core.consulting.bookings import calendar
from core.consulting.bookings.changes import max_amount
from core.consulting.bookings.notices.parties import actor_of, answer, people, view
from core.consulting.bookings.rules import no_show_fee
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.intents import ConsultingIntent
from core.consulting.tables import Booking
from core.errors import NotFound
from core.i18n import N_, _
from core.money.model import Money
from core.process.bookings import CONSULTANT, FEE_DECISION, SEEKER
from core.process.notices import Moved, Said
from core.storage.uow import UnitOfWork

ALTERNATIVES = 3
_ALTERNATIVES = "booking-alternatives"  # the session's info: alternatives found, by booking


async def alternatives(uow: UnitOfWork, booking: Booking) -> ActionRows:
    """Buttons to other live consultants online now who share a field with this one (found
    once per transaction: the text and the buttons of one notice read the same), labelled for
    the current reader."""
    found: dict[int, list[tuple[int, str]]] = uow.kept(_ALTERNATIVES, dict)
    if booking.id not in found:
        found[booking.id] = await _alternatives(uow, booking)
    return [[Action(ConsultingIntent.VIEW_CONSULTANT, _("👤 {name} (online)", name=name), str(account_id))]
            for account_id, name in found[booking.id]]


async def _alternatives(uow: UnitOfWork, booking: Booking) -> list[tuple[int, str]]:
    """The first few online now who share a field with the booking's consultant, read from
    the diary (the rule is here, the query in the diary's store)."""
    diary = diary_of(uow)
    try:
        fields = set((await diary.profile(booking.consultant_id)).categories or [])
    except NotFound:
        fields = set()
    alike = [p.account_id for p in await diary.online_now(booking.consultant_id)
             if fields & set(p.categories or [])][:ALTERNATIVES]
    names = await diary.names(alike)
    return [(account_id, names[account_id]) for account_id in alike if account_id in names]


def _rebook(booking: Booking, name: str) -> Action:
    return Action(ConsultingIntent.VIEW_CONSULTANT, _("📅 Book {name} again", name=name),
                  str(booking.consultant_id))


async def _names(uow: UnitOfWork, booking: Booking) -> tuple[str, str]:
    """(the consultant's name, the seeker's name)."""
    p = await people(uow, booking)
    return p.names[booking.consultant_id], p.names[booking.seeker_id]


async def declined(uow: UnitOfWork, moved: Moved, role: str, seeker: int) -> str:
    booking = moved.subject
    them, __ = await _names(uow, booking)
    if booking.reason:
        return _("✖ {name} declined your request. Nothing was charged. Reason: {reason}",
                 name=them, reason=booking.reason)
    return _("✖ {name} declined your request. Nothing was charged.", name=them)


async def with_alternatives(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    return [*await alternatives(uow, moved.subject), [view(moved.subject.id)]]


async def expired(uow: UnitOfWork, moved: Moved, role: str, me: int) -> str:
    """A “talk now” nobody answered offers the seeker other consultants online now."""
    booking = moved.subject
    them, you = await _names(uow, booking)
    if role != SEEKER:
        return _("⌛ The request from {name} expired unanswered.", name=you)
    text = _("⌛ {name} did not answer in time. Nothing was charged.", name=them)
    if booking.kind == "instant" and await alternatives(uow, booking):
        text += " " + _("These consultants in the same field are online now:")
    return text


async def alternatives_if_instant(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    booking = moved.subject
    extra = await alternatives(uow, booking) if booking.kind == "instant" else []
    return [*extra, [view(booking.id)]]


async def released(uow: UnitOfWork, moved: Moved, role: str, me: int) -> str:
    them, you = await _names(uow, moved.subject)
    if role == SEEKER:
        return _("🔓 Your session with {name} was released: the payment was not authorised "
                 "in time. Nothing was charged.", name=them)
    return _("🔓 The session with {name} was released: it was not paid in time.", name=you)


async def rebook(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    booking = moved.subject
    them, __ = await _names(uow, booking)
    return [[_rebook(booking, them)], [view(booking.id)]]


async def consultant_absent(uow: UnitOfWork, moved: Moved, role: str, me: int) -> str:
    them, you = await _names(uow, moved.subject)
    if role == SEEKER:
        return _("🙁 {name} did not join within 10 minutes. The authorisation is voided: "
                 "nothing is charged. You can rebook:", name=them)
    return _("🙁 You did not join your session with {name}; it was called off.", name=you)


async def rebook_or_alternatives(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    booking = moved.subject
    them, __ = await _names(uow, booking)
    return [[_rebook(booking, them)], *await alternatives(uow, booking), [view(booking.id)]]


async def fee_choice(uow: UnitOfWork, moved: Moved, role: str, me: int) -> str:
    """The consultant decides on the policy's no-show fee; the seeker hears it may come."""
    booking = moved.subject
    them, you = await _names(uow, booking)
    fee = no_show_fee(uow.policy.booking, max_amount(booking))
    hours = int(FEE_DECISION.total_seconds() // 3600)
    if role == CONSULTANT:
        return _("🙁 {name} did not join. The policy lets you charge the no-show fee of {fee}, "
                 "or waive it (waived by itself after {hours} h).", name=you, fee=fee,
                 hours=hours)
    return _("🙁 You did not join your session with {name}. As the booking's policy says, "
             "they may charge the no-show fee of {fee} within {hours} h; you will be told "
             "what they decide.", name=them, fee=fee, hours=hours)


async def charge_or_waive(uow: UnitOfWork, moved: Moved, role: str) -> ActionRows:
    booking = moved.subject
    fee = no_show_fee(uow.policy.booking, max_amount(booking))
    return [[answer("charge-fee", booking.id, _("💶 Charge {fee}", fee=fee)),
             answer("waive-fee", booking.id, N_("Waive the fee"))],
            [view(booking.id)]]


async def seeker_absent(uow: UnitOfWork, moved: Moved, role: str, me: int) -> str:
    """The fee decided: charged, or nothing."""
    booking = moved.subject
    them, you = await _names(uow, booking)
    fee = Money(booking.fee_minor, booking.currency)
    charged = (_("The no-show fee of {fee} is charged.", fee=fee) if fee.amount
               else _("Nothing is charged."))
    if role == SEEKER:
        return _("🙁 You did not join your session with {name}.", name=them) + " " + charged
    return _("🙁 {name} did not join.", name=you) + " " + charged


async def cancelled(uow: UnitOfWork, moved: Moved, role: str, me: int) -> Said | None:
    """The other party hears of it (with the invite's cancellation once a time was agreed);
    a late fee is said to both."""
    booking = moved.subject
    p = await people(uow, booking)
    by = actor_of(moved)
    fee = Money(booking.fee_minor, booking.currency)
    if me == by and not fee.amount:
        return None  # the one who cancelled saw it happen
    agreed = moved.source != "requested" and moved.source != "proposed"
    other = p.names[p.other(me)]
    who = "you" if me == by else "other" if by == p.other(me) else "admin"
    cost = (_("A late-cancellation fee of {fee} applies.", fee=fee) if fee.amount
            else _("Nothing is charged."))
    when = p.when(me) if booking.starts_at else ""
    text = _(_CANCELLED[who, agreed, bool(booking.starts_at)], other=other, when=when)
    return Said(text + " " + cost,
                attachment=calendar.attachment(booking.id, "CANCEL") if agreed else None)


# A cancellation as its other party reads it: (who cancelled, a time was agreed, it has a time).
_CANCELLED = {
    ("you", True, True): N_("❌ You cancelled your session with {other} on {when}."),
    ("you", True, False): N_("❌ You cancelled your session with {other}."),
    ("you", False, True): N_("❌ You cancelled your request with {other} on {when}."),
    ("you", False, False): N_("❌ You cancelled your request with {other}."),
    ("other", True, True): N_("❌ {other} cancelled your session on {when}."),
    ("other", True, False): N_("❌ {other} cancelled your session."),
    ("other", False, True): N_("❌ {other} cancelled your request on {when}."),
    ("other", False, False): N_("❌ {other} cancelled your request."),
    ("admin", True, True): N_("❌ An admin cancelled your session with {other} on {when}."),
    ("admin", True, False): N_("❌ An admin cancelled your session with {other}."),
    ("admin", False, True): N_("❌ An admin cancelled your request with {other} on {when}."),
    ("admin", False, False): N_("❌ An admin cancelled your request with {other}."),
}


async def reschedule_declined(uow: UnitOfWork, moved: Moved, role: str, to: int) -> str | None:
    """The booked time stands: the party who proposed the change hears so."""
    actor = actor_of(moved)
    if actor is None:
        return None
    p = await people(uow, moved.subject)
    return _("📌 The session with {name} stays on {when}.", name=p.names[actor],
             when=p.when(to))
