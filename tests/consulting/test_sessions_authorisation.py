"""No one but the seeker and the consultant takes part in a session; admins may look; each
party does only their own part — refused in the service, whatever button was crafted. The
sessions' own use cases, the recap's and the figures' are refused on the in-memory logbook
(`test_sessions_on_logbook.py`, `test_sessions_recap.py`, `test_sessions_metrics.py`); here, on
the database, one case of each."""

from __future__ import annotations

import pytest

from core.consulting.profiles import metrics
from core.consulting.sessions import access, from_booking, recap
from core.consulting.sessions import service as sessions
from core.errors import NotAllowed, NotFound
from tests.consulting.session_support import act, book, live, people, row, texts, tick
from tests.support.accounts import registered

STRANGER_CALLS = [(access.get, ()), (sessions.end, ()), (recap.recap_pdf, ())]


async def test_a_stranger_can_neither_see_nor_act_on_a_session(app, clock):
    seeker, consultant = await people(app)
    eve = (await registered(app, "eve")).id
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=12)
    for service, extra in STRANGER_CALLS:
        with pytest.raises(NotFound):
            await act(app, service, session_id, eve, *extra)
    with pytest.raises(NotAllowed):
        await act(app, metrics.consultant_metrics, consultant, eve)
    assert (await row(app, session_id)).status == "live_free"  # nothing moved


async def test_an_admin_may_look_but_not_take_part(app, clock):
    seeker, consultant = await people(app)
    root = (await registered(app, "root")).id  # AGORA_ADMINS names terminal:root
    session_id = await live(app, seeker, consultant)
    await act(app, sessions.post, session_id, seeker, "Hello")
    assert [m.text for m in await act(app, access.transcript, session_id, root)] == ["Hello"]
    with pytest.raises(NotAllowed):
        await act(app, sessions.end, session_id, root)
    assert (await act(app, recap.recap_pdf, session_id, root)).startswith(b"%PDF")
    assert (await act(app, metrics.consultant_metrics, consultant, root)).sessions == 0


async def test_each_party_does_only_their_own_part(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=12)
    with pytest.raises(NotAllowed):
        await act(app, metrics.consultant_metrics, consultant, seeker)
    await act(app, sessions.end, session_id, seeker)
    with pytest.raises(NotAllowed):  # the recap is the seeker's once asked for
        await act(app, recap.recap_pdf, session_id, seeker)


async def test_a_waiting_session_is_called_off_by_the_system_or_an_admin_only(app, clock):
    seeker, consultant = await people(app)
    root = (await registered(app, "root")).id
    first = await book(app, seeker, consultant)
    with pytest.raises(NotAllowed):
        await act(app, from_booking.call_off, first, seeker)
    await act(app, from_booking.call_off, first, root)
    assert ((await row(app, first)).status, (await row(app, first)).ended_by) == (
        "called_off", "admin")
    second = await book(app, seeker, consultant, booking_id=2)
    await act(app, from_booking.call_off, second, None)  # the bookings code, as the system
    assert (await row(app, second)).status == "called_off"
    assert "Session #2 was called off" not in await texts(app, seeker)  # its booking says it
    clock.advance(minutes=15)
    assert await tick(app) == []  # its no-show timer was stopped
