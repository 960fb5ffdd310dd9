"""More time: the seeker authorises the larger amount, which replaces the authorisation in
force (voided); the booked end moves; only the time used is charged, from one capture. Who
may extend, when, and asking twice being one ask: on the in-memory logbook
(`test_sessions_on_logbook.py`)."""

from __future__ import annotations

from core.consulting.sessions import service as sessions
from payments.ledger import user
from tests.consulting.session_support import (
    CARD,
    act,
    balance,
    escrow_state,
    live,
    people,
    row,
    texts,
    tick,
    told,
)


async def _extend(app, session_id, seeker, minutes=15):
    extension = await act(app, sessions.extend, session_id, seeker, minutes)
    view = await app.payments.by_reference(extension.reference)
    return extension, view


async def test_extending_authorises_the_larger_amount_and_voids_the_old_authorisation(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=26)
    await tick(app)
    extension, view = await _extend(app, session_id, seeker)
    assert (extension.reference, view.amount.amount) == ("booking:1:extend:1", 9000)
    asked = [p for p in await told(app, seeker) if "authorise €90.00 in all" in p["text"]]
    assert asked[0]["buttons"] == [[{"label": "💳 Authorise", "intent": "pay",
                                     "arg": str(view.id)}]]
    await app.payments.pay_with_test_card(view.id, CARD)
    extended = await row(app, session_id)
    assert (extended.escrow_ref, extended.authorised_minor, extended.extended_minutes) == (
        "booking:1:extend:1", 9000, 15)
    assert await escrow_state(app, "booking:1") == "voided"
    assert "15 minutes added in all" in await texts(app, consultant)


async def test_an_extended_session_runs_to_its_new_end_and_charges_the_time_used(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=26)
    await tick(app)
    _, view = await _extend(app, session_id, seeker)
    await app.payments.pay_with_test_card(view.id, CARD)
    clock.advance(minutes=9)  # 35: past the first booked end, before the new one (45)
    assert await tick(app) == []
    assert (await row(app, session_id)).status == "live_paid"
    clock.advance(minutes=5)
    await act(app, sessions.end, session_id, seeker)
    assert (await row(app, session_id)).charged_minor == 6000 + 10 * 200  # €2 a minute
    assert await escrow_state(app, "booking:1:extend:1") == "captured"
    assert await balance(app, user(consultant, "paid_out")) == 8000 - 1200


async def test_more_time_can_be_asked_for_in_the_grace_time_after_the_booked_end(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=30)
    await tick(app)
    assert (await row(app, session_id)).status == "overtime"
    clock.advance(minutes=2)
    _, view = await _extend(app, session_id, seeker, 30)
    await app.payments.pay_with_test_card(view.id, CARD)
    assert (await row(app, session_id)).status == "live_paid"
    clock.advance(minutes=5)
    assert await tick(app) == []  # the grace time's end no longer applies
    clock.advance(minutes=23)  # 60: the new end
    assert await tick(app) == [(session_id, "time-up")]


async def test_an_extension_authorised_after_the_session_ended_is_voided(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=27)
    _, view = await _extend(app, session_id, seeker)
    await act(app, sessions.end, session_id, seeker)
    await app.payments.pay_with_test_card(view.id, CARD)
    assert await escrow_state(app, "booking:1:extend:1") == "voided"
    assert await escrow_state(app, "booking:1") == "captured"
    assert (await row(app, session_id)).charged_minor == 6000
