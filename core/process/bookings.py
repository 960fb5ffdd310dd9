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
from enum import StrEnum

from core.i18n import N_
from core.process.model import ADMIN, STAY, SYSTEM, Notice, Process, Timer, Transition

CONSULTANT, SEEKER = "consultant", "seeker"
PARTY = (CONSULTANT, SEEKER)
OTHER = "other"  # a notice's addressee: the party who did not take the step
# A time is agreed; the session waits for it (a reschedule may be waiting for consent).
SCHEDULED = ("confirmed", "reschedule_proposed")
HOLDS_SLOT = ("requested", *SCHEDULED, "starting", "in_session")  # with a start time: busy
MEETS = (*SCHEDULED, "starting", "in_session")  # the parties are still to meet: the link shows

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
    "requested": N_("requested — waiting for the consultant"),
    "proposed": N_("other times proposed — waiting for the seeker"),
    "confirmed": N_("confirmed"),
    "reschedule_proposed": N_("confirmed — a new time waits for consent"),
    "starting": N_("starting — waiting for both to join"),
    "in_session": N_("in session"),
    "completed": N_("completed"),
    "declined": N_("declined"),
    "expired": N_("expired — not answered in time"),
    "cancelled": N_("cancelled"),
    "released": N_("released — the payment was not authorised in time"),
    "no_show_consultant": N_("the consultant did not come — nothing charged"),
    "seeker_absent": N_("the seeker did not come — the consultant decides on the no-show fee"),
    "no_show_seeker": N_("the seeker did not come"),
}


def _scheduled_timers(state: str, remind: bool) -> tuple[Timer, ...]:
    return (
        Timer(state, -AUTHORISE_BEFORE, "authorise-payment", anchor="start"),
        Timer(state, -RELEASE_UNPAID_BEFORE, "release-unpaid", anchor="start"),
        Timer(state, timedelta(0), "open-session", REMINDERS if remind else (), anchor="start"),
    )


# Who hears what, sent by core.consulting.booking_notices: the seeker first, then the
# consultant; `view` is the booking's own button.
_BOTH_CONFIRMED = (Notice(SEEKER, "confirmed", "view"), Notice(CONSULTANT, "confirmed", "view"))
# The other party hears (and the one who cancelled too, when a late fee applies).
_BOTH_CANCELLED = (Notice(SEEKER, "cancelled", "view"), Notice(CONSULTANT, "cancelled", "view"))
_BOTH_FEE_DECIDED = (Notice(SEEKER, "seeker_absent", "view"),
                     Notice(CONSULTANT, "seeker_absent", "view"))

class BookingState(StrEnum):
    """A booking's `status`: the states of BOOKING_PROCESS, compared by name."""

    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    PROPOSED = "proposed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    RESCHEDULE_PROPOSED = "reschedule_proposed"
    RELEASED = "released"
    STARTING = "starting"
    IN_SESSION = "in_session"
    NO_SHOW_CONSULTANT = "no_show_consultant"
    SEEKER_ABSENT = "seeker_absent"
    NO_SHOW_SEEKER = "no_show_seeker"
    COMPLETED = "completed"


BOOKING_PROCESS = Process(
    name="booking",
    initial="requested",
    transitions=(
        Transition("accept-request", ("requested",), "confirmed", (CONSULTANT,), N_("Accept"),
                   notices=_BOTH_CONFIRMED),
        Transition("propose-times", ("requested",), "proposed", (CONSULTANT,),
                   N_("Propose other times"),
                   notices=(Notice(SEEKER, "times_proposed", "choose_time"),)),
        Transition("decline-request", ("requested",), "declined", (CONSULTANT,), N_("Decline"),
                   notices=(Notice(SEEKER, "declined", "alternatives"),)),
        Transition("accept-proposal", ("proposed",), "confirmed", (SEEKER,), N_("Accept a time"),
                   notices=_BOTH_CONFIRMED),
        Transition("counter-times", ("proposed",), "requested", (SEEKER,),
                   N_("Propose other times"),
                   notices=(Notice(CONSULTANT, "times_proposed", "choose_time"),)),
        Transition("withdraw-request", ("requested", "proposed"), "cancelled", (SEEKER,),
                   N_("Withdraw the request"), notices=_BOTH_CANCELLED),
        Transition("expire-request", ("requested", "proposed"), "expired", (SYSTEM,),
                   notices=(Notice(SEEKER, "expired", "alternatives_if_instant"),
                            Notice(CONSULTANT, "expired", "view"))),
        Transition("propose-reschedule", ("confirmed",), "reschedule_proposed", PARTY,
                   N_("Propose a new time"),
                   notices=(Notice(OTHER, "reschedule_proposed", "reschedule_times"),)),
        Transition("accept-reschedule", ("reschedule_proposed",), "confirmed", PARTY,
                   N_("Accept the new time"),
                   notices=(Notice(SEEKER, "rescheduled", "view"),
                            Notice(CONSULTANT, "rescheduled", "view"))),
        # The seeker moves the session to another of the consultant's free times in one step,
        # while cancelling would still be free (core.consulting.bookings.rules.may_move).
        Transition("move", ("confirmed",), "confirmed", (SEEKER,),
                   N_("Move to another free time"),
                   notices=(Notice(SEEKER, "rescheduled", "view"),
                            Notice(CONSULTANT, "rescheduled", "view"))),
        Transition("decline-reschedule", ("reschedule_proposed",), "confirmed", PARTY,
                   N_("Keep the booked time"),
                   notices=(Notice(OTHER, "reschedule_declined", "view"),)),
        Transition("authorise-payment", SCHEDULED, STAY, (SYSTEM,),
                   silent="the money layer asks the seeker to authorise, or says the saved card "
                          "was used: core.consulting.bookings.notices.parties"),
        Transition("release-unpaid", SCHEDULED, "released", (SYSTEM,),
                   notices=(Notice(SEEKER, "released", "rebook"),
                            Notice(CONSULTANT, "released", "view"))),
        Transition("cancel", (*SCHEDULED, "starting"), "cancelled", (*PARTY, ADMIN),
                   N_("Cancel the booking"), notices=_BOTH_CANCELLED),
        Transition("open-session", SCHEDULED, "starting", (SYSTEM,),
                   silent="the session calls both to join: core.consulting.sessions.link"),
        Transition("start-session", (*SCHEDULED, "starting"), "in_session", (SYSTEM,),
                   silent="the session tells both it has started"),
        Transition("consultant-no-show", ("starting",), "no_show_consultant", (SYSTEM,),
                   notices=(Notice(SEEKER, "consultant_absent", "rebook_or_alternatives"),
                            Notice(CONSULTANT, "consultant_absent", "view"))),
        Transition("seeker-no-show", ("starting",), "seeker_absent", (CONSULTANT, SYSTEM),
                   N_("The seeker did not come"),
                   notices=(Notice(CONSULTANT, "fee_choice", "charge_or_waive"),
                            Notice(SEEKER, "fee_choice", "view"))),
        Transition("charge-no-show-fee", ("seeker_absent",), "no_show_seeker", (CONSULTANT,),
                   N_("Charge the no-show fee"), notices=_BOTH_FEE_DECIDED),
        Transition("waive-no-show-fee", ("seeker_absent",), "no_show_seeker",
                   (CONSULTANT, SYSTEM), N_("Waive the fee"), notices=_BOTH_FEE_DECIDED),
        # An admin's call-off of the waiting session (sessions.call_off) ends its booking too.
        Transition("call-off", ("starting",), "cancelled", (SYSTEM,), notices=_BOTH_CANCELLED),
        Transition("complete-session", ("in_session",), "completed", (SYSTEM,),
                   silent="the session's end tells both what was charged"),
    ),
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
