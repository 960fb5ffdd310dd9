"""A person's bookings and sessions, as consultant or seeker: those awaiting an answer, the
upcoming ones and the recent past, each with the one next step it needs and from whom — so a
booking is reachable from a list of one's own (in chat and on the Slack App Home), not only
from its notice."""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import local_time
from core.consulting.bookings.diary import Diary
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.tables import Booking
from core.i18n import _
from core.process.bookings import CONSULTANT, MEETS, STATE_LABELS, BookingState
from core.storage.uow import UnitOfWork

AWAITING = ("requested", "proposed", "reschedule_proposed", "seeker_absent")
UPCOMING = ("confirmed", "starting", "in_session")
PAST_SHOWN = 5  # the most recent ended bookings listed


@dataclass(frozen=True)
class AgendaLine:
    booking_id: int
    group: str  # awaiting | upcoming | past
    role: str  # consultant | seeker
    other: str  # the other party's name
    when: str  # in the reader's zone, or "time not agreed yet"
    minutes: int
    status: str
    next_step: str  # what it needs now, and from whom
    topic: str | None
    meeting_url: str | None = None  # where the two parties meet, while they are still to


def _next_step(b: Booking, role: str, other: str) -> str:
    """The one step a booking needs now, for this reader (yours, or whom it waits for)."""
    mine = b.proposed_by not in (None, role)  # proposals wait for the one who did not make them
    if b.status == BookingState.REQUESTED:
        return _("accept or decline") if role == CONSULTANT else \
            _("waiting for {other} to answer", other=other)
    if b.status in (BookingState.PROPOSED, BookingState.RESCHEDULE_PROPOSED):
        return _("choose one of the proposed times") if mine else \
            _("waiting for {other} to choose", other=other)
    if b.status == BookingState.SEEKER_ABSENT:
        return _("charge or waive the no-show fee") if role == CONSULTANT else \
            _("waiting for {other} to decide on the no-show fee", other=other)
    if b.status in (BookingState.STARTING, BookingState.IN_SESSION):
        return _("join the session now")
    if b.status == BookingState.CONFIRMED:
        return _("join at the start (you are reminded)")
    return _("nothing: it is over")


async def agenda(uow: UnitOfWork | Diary, account_id: int) -> list[AgendaLine]:
    """Awaiting first, then upcoming (each in the order made), then the recent past."""
    diary = diary_of(uow)
    zone = await diary.zone_of(account_id)
    rows = await diary.bookings_of(account_id, 200)
    others = await diary.names({b.seeker_id for b in rows} | {b.consultant_id for b in rows})
    lines = []
    past = 0
    for b in rows:
        group = "awaiting" if b.status in AWAITING else "upcoming" if b.status in UPCOMING \
            else "past"
        if group == "past":
            past += 1
            if past > PAST_SHOWN:
                continue
        role = CONSULTANT if b.consultant_id == account_id else "seeker"
        other = others.get(b.seeker_id if role == CONSULTANT else b.consultant_id, "?")
        when = local_time(b.starts_at, zone) if b.starts_at else _("time not agreed yet")
        lines.append(AgendaLine(b.id, group, role, other, when, b.minutes,
                                _(STATE_LABELS[b.status]), _next_step(b, role, other), b.topic,
                                b.meeting_url if b.status in MEETS else None))
    order = {"awaiting": 0, "upcoming": 1, "past": 2}
    return sorted(lines, key=lambda x: (order[x.group], x.booking_id if x.group != "past"
                                        else -x.booking_id))
