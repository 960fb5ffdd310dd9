"""No one but a booking's two parties and admins can see or act on it: a stranger is told it
doesn't exist, whatever they try; a party may take only their own steps; an admin may look and
cancel, never answer for a party. Who may do what is the use cases' rule: these run on the
bookings' diary in memory (`tests/consulting/booking_fakes.py`); the chat's and the money's
journeys through the same steps run on the database (`test_booking_paths.py`,
`test_booking_endings.py`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.consulting.bookings import changes
from core.consulting.bookings import service as bookings
from core.consulting.events import BookingCancelled
from core.errors import NotAllowed, NotFound
from tests.consulting.booking_fakes import ANN, BOB, EVE, ROOT, booked, confirmed, staffed

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

EVERY_STEP = {
    "get": lambda uow, b, who: bookings.get(uow, b, who),
    "proposals": lambda uow, b, who: bookings.proposals(uow, b, who),
    "accept": lambda uow, b, who: bookings.accept(uow, b, who),
    "decline": lambda uow, b, who: bookings.decline(uow, b, who),
    "propose_times": lambda uow, b, who: bookings.propose_times(uow, b, who, [LATER]),
    "withdraw": lambda uow, b, who: bookings.withdraw(uow, b, who),
    "cancel": lambda uow, b, who: changes.cancel(uow, b, who),
    "propose_reschedule": lambda uow, b, who: changes.propose_reschedule(uow, b, who, [LATER]),
    "answer_reschedule": lambda uow, b, who: changes.answer_reschedule(uow, b, who, None),
    "record_join": lambda uow, b, who: changes.record_join(uow, b, who),
    "report_no_show": lambda uow, b, who: changes.report_no_show(uow, b, who),
    "session_terms": lambda uow, b, who: changes.session_terms(uow, b, who),
}


@pytest.mark.parametrize("step", sorted(EVERY_STEP))
async def test_a_stranger_is_told_a_booking_does_not_exist_whatever_they_try(step):
    diary = staffed()
    booking = await confirmed(diary, BOB, ANN, MONDAY_10)
    told = len(diary.events)
    with pytest.raises(NotFound, match="That booking doesn't exist"):
        await EVERY_STEP[step](diary, booking.id, EVE)
    assert (booking.status, booking.starts_at, len(diary.events)) == ("confirmed", MONDAY_10,
                                                                      told)


async def test_each_party_may_take_only_their_own_steps():
    diary = staffed()
    request = await booked(diary, BOB, ANN, MONDAY_10)
    with pytest.raises(NotAllowed):
        await bookings.accept(diary, request.id, BOB)  # the consultant accepts a request
    with pytest.raises(NotAllowed):
        await bookings.decline(diary, request.id, BOB)
    with pytest.raises(NotAllowed):
        await bookings.withdraw(diary, request.id, ANN)  # the seeker withdraws
    with pytest.raises(NotAllowed, match="yourself"):
        await bookings.request_slot(diary, ANN, ANN, LATER)
    assert request.status == "requested"


async def test_an_admin_may_see_and_cancel_a_booking_but_not_answer_for_a_party():
    diary = staffed()
    request = await booked(diary, BOB, ANN, MONDAY_10)
    assert (await bookings.get(diary, request.id, ROOT)).id == request.id
    with pytest.raises(NotAllowed):
        await bookings.accept(diary, request.id, ROOT)
    done = await confirmed(diary, BOB, ANN, LATER)
    terms = await changes.session_terms(diary, done.id, ROOT)
    assert (terms.consultant_id, terms.seeker_id, terms.minutes) == (ANN, BOB, 60)
    cancelled = await changes.cancel(diary, done.id, ROOT)
    assert (cancelled.status, cancelled.fee_minor, cancelled.ended_by) == ("cancelled", 0,
                                                                          "admin")
    assert isinstance(diary.events[-1], BookingCancelled)


async def test_the_session_runtime_reads_the_terms_it_needs():
    diary = staffed()
    diary.profiles[ANN].meeting_url = "https://meet.example.com/ann"
    booking = await confirmed(diary, BOB, ANN, MONDAY_10)
    terms = await changes.session_terms(diary, booking.id, None)
    assert (terms.starts_at, terms.minutes, terms.rate_kind, str(terms.rate),
            str(terms.max_amount), terms.escrow_reference, terms.meeting_url) == (
        MONDAY_10, 60, "session", "€80.00", "€80.00", f"booking:{booking.id}",
        "https://meet.example.com/ann")
    assert (await changes.session_terms(diary, booking.id, ROOT)).meeting_url is None
