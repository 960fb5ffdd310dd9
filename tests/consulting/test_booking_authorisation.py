"""No one but a booking's two parties and admins can see or act on it: a stranger is told it
doesn't exist, whatever they try; a party may take only their own steps; an admin may look and
cancel, never answer for a party."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.consulting.bookings import changes
from core.consulting.bookings import service as bookings
from core.errors import NotAllowed, NotFound
from tests.consulting.helpers import booked, confirmed, consultant, seeker
from tests.support.accounts import registered

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
async def test_a_stranger_is_told_a_booking_does_not_exist_whatever_they_try(app, step):
    ann, bob = await consultant(app), await seeker(app)
    eve = await seeker(app, "eve")
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    async with app.uow() as uow:
        with pytest.raises(NotFound, match="That booking doesn't exist"):
            await EVERY_STEP[step](uow, booking.id, eve.id)


async def test_each_party_may_take_only_their_own_steps(app):
    ann, bob = await consultant(app), await seeker(app)
    request = await booked(app, bob.id, ann.id, MONDAY_10)
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):
            await bookings.accept(uow, request.id, bob.id)  # the consultant accepts a request
        with pytest.raises(NotAllowed):
            await bookings.decline(uow, request.id, bob.id)
        with pytest.raises(NotAllowed):
            await bookings.withdraw(uow, request.id, ann.id)  # the seeker withdraws
        with pytest.raises(NotAllowed, match="yourself"):
            await bookings.request_slot(uow, ann.id, ann.id, LATER)


async def test_an_admin_may_see_and_cancel_a_booking_but_not_answer_for_a_party(app):
    ann, bob = await consultant(app), await seeker(app)
    root = await registered(app, "root")
    request = await booked(app, bob.id, ann.id, MONDAY_10)
    async with app.uow() as uow:
        assert (await bookings.get(uow, request.id, root.id)).id == request.id
        with pytest.raises(NotAllowed):
            await bookings.accept(uow, request.id, root.id)
    done = await confirmed(app, bob.id, ann.id, LATER)
    async with app.uow() as uow:
        terms = await changes.session_terms(uow, done.id, root.id)
        assert (terms.consultant_id, terms.seeker_id, terms.minutes) == (ann.id, bob.id, 60)
        cancelled = await changes.cancel(uow, done.id, root.id)
        assert (cancelled.status, cancelled.fee_minor, cancelled.ended_by) == ("cancelled", 0,
                                                                              "admin")
        await uow.commit()


async def test_the_session_runtime_reads_the_terms_it_needs(app):
    ann, bob = await consultant(app, meeting_url="https://meet.example.com/ann"), await seeker(app)
    booking = await confirmed(app, bob.id, ann.id, MONDAY_10)
    async with app.uow() as uow:
        terms = await changes.session_terms(uow, booking.id, None)
    assert (terms.starts_at, terms.minutes, terms.rate_kind, str(terms.rate),
            str(terms.max_amount), terms.escrow_reference, terms.meeting_url) == (
        MONDAY_10, 60, "session", "€80.00", "€80.00", f"booking:{booking.id}",
        "https://meet.example.com/ann")
