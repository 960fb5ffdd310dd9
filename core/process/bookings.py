"""The booking, declared once: from a seeker's request to a session held, or to the reason it
was not. Guards, who may do what, the timers (answer windows, the payment's timing, the start,
no-shows), the reminders and docs/booking-process.md all come from this declaration.

Lifecycle status lives here; the money is the session escrow `booking:<id>` (authorised, then
captured or voided), a field of its own. From `starting` on, the live session decides
(core.consulting.sessions.link): its start takes `start-session`, its end `complete-session`, and
its no-show timer `consultant-no-show` or `seeker-no-show`, all as the system — so `starting`
has no timers of its own here. After a seeker's no-show the consultant charges the policy's fee
or waives it (waived by itself after FEE_DECISION)."""

from __future__ import annotations

from datetime import timedelta

from core.process.model import ADMIN, STAY, SYSTEM, Process, Timer, Transition

CONSULTANT, SEEKER = "consultant", "seeker"
PARTY = (CONSULTANT, SEEKER)
# A time is agreed; the session waits for it (a reschedule may be waiting for consent).
SCHEDULED = ("confirmed", "reschedule_proposed")
HOLDS_SLOT = ("requested", *SCHEDULED, "starting", "in_session")  # with a start time: busy

# The payment's timing, as data: the maximum is authorised at booking, unless the session is
# more than AUTHORISE_AHEAD away; then a card is saved at booking and the maximum authorised on
# it 24 h before (or asked for then), and the time released if unpaid 2 h before.
AUTHORISE_AHEAD = timedelta(days=5)
AUTHORISE_BEFORE = timedelta(hours=24)
RELEASE_UNPAID_BEFORE = timedelta(hours=2)
REQUEST_TTL = timedelta(hours=24)  # a scheduled request unanswered (or before its first time)
CONSULTANT_GRACE = timedelta(minutes=10)  # then the session calls a no-show (its own timer)
# A seeker's no-show lets the consultant charge the policy's fee; the authorisation is held
# only this long for that choice, then the fee is waived and the authorisation voided.
FEE_DECISION = timedelta(hours=24)
REMINDERS = (timedelta(hours=24), timedelta(minutes=15))
MAX_PROPOSALS = 3

STATE_LABELS = {
    "requested": "requested — waiting for the consultant",
    "proposed": "other times proposed — waiting for the seeker",
    "confirmed": "confirmed",
    "reschedule_proposed": "confirmed — a new time waits for consent",
    "starting": "starting — waiting for both to join",
    "in_session": "in session",
    "completed": "completed",
    "declined": "declined",
    "expired": "expired — not answered in time",
    "cancelled": "cancelled",
    "released": "released — the payment was not authorised in time",
    "no_show_consultant": "the consultant did not come — nothing charged",
    "seeker_absent": "the seeker did not come — the consultant decides on the no-show fee",
    "no_show_seeker": "the seeker did not come",
}


def _scheduled_timers(state: str, remind: bool) -> tuple[Timer, ...]:
    return (
        Timer(state, -AUTHORISE_BEFORE, "authorise-payment", anchor="start"),
        Timer(state, -RELEASE_UNPAID_BEFORE, "release-unpaid", anchor="start"),
        Timer(state, timedelta(0), "open-session", REMINDERS if remind else (), anchor="start"),
    )


BOOKING_PROCESS = Process(
    name="booking",
    initial="requested",
    transitions=(
        Transition("accept-request", ("requested",), "confirmed", (CONSULTANT,), "Accept"),
        Transition("propose-times", ("requested",), "proposed", (CONSULTANT,),
                   "Propose other times"),
        Transition("decline-request", ("requested",), "declined", (CONSULTANT,), "Decline"),
        Transition("accept-proposal", ("proposed",), "confirmed", (SEEKER,), "Accept a time"),
        Transition("counter-times", ("proposed",), "requested", (SEEKER,),
                   "Propose other times"),
        Transition("withdraw-request", ("requested", "proposed"), "cancelled", (SEEKER,),
                   "Withdraw the request"),
        Transition("expire-request", ("requested", "proposed"), "expired", (SYSTEM,)),
        Transition("propose-reschedule", ("confirmed",), "reschedule_proposed", PARTY,
                   "Propose a new time"),
        Transition("accept-reschedule", ("reschedule_proposed",), "confirmed", PARTY,
                   "Accept the new time"),
        Transition("decline-reschedule", ("reschedule_proposed",), "confirmed", PARTY,
                   "Keep the booked time"),
        Transition("authorise-payment", SCHEDULED, STAY, (SYSTEM,)),
        Transition("release-unpaid", SCHEDULED, "released", (SYSTEM,)),
        Transition("cancel", (*SCHEDULED, "starting"), "cancelled", (*PARTY, ADMIN),
                   "Cancel the booking"),
        Transition("open-session", SCHEDULED, "starting", (SYSTEM,)),
        Transition("start-session", (*SCHEDULED, "starting"), "in_session", (SYSTEM,)),
        Transition("consultant-no-show", ("starting",), "no_show_consultant", (SYSTEM,)),
        Transition("seeker-no-show", ("starting",), "seeker_absent", (CONSULTANT, SYSTEM),
                   "The seeker did not come"),
        Transition("charge-no-show-fee", ("seeker_absent",), "no_show_seeker", (CONSULTANT,),
                   "Charge the no-show fee"),
        Transition("waive-no-show-fee", ("seeker_absent",), "no_show_seeker",
                   (CONSULTANT, SYSTEM), "Waive the fee"),
        # An admin's call-off of the waiting session (sessions.call_off) ends its booking too.
        Transition("call-off", ("starting",), "cancelled", (SYSTEM,)),
        Transition("complete-session", ("in_session",), "completed", (SYSTEM,)),
    ),
    told_by="core.consulting.bookings.notices and ending_notices",  # its notices are not declared yet
    final=("completed", "declined", "expired", "cancelled", "released", "no_show_consultant",
           "no_show_seeker"),
    timers=(
        Timer("requested", REQUEST_TTL, "expire-request"),
        Timer("proposed", REQUEST_TTL, "expire-request"),
        *_scheduled_timers("confirmed", remind=True),
        *_scheduled_timers("reschedule_proposed", remind=True),
        Timer("seeker_absent", FEE_DECISION, "waive-no-show-fee"),
    ),
)
