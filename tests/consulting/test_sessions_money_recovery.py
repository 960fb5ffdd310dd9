"""Money steps a failure left undone are taken again by the catch-up job: a capture or a void
the provider refused at the session's end, an authorisation an extension replaced."""

from __future__ import annotations

from core.consulting.sessions import service as sessions
from core.money.model import Money
from payments.bridges.sessions import SessionPayments
from payments.ledger import user
from payments.providers.base import ProviderError
from tests.consulting.session_support import (
    BOOKING,
    CARD,
    act,
    balance,
    escrow_state,
    live,
    people,
    row,
)


def _refusing(app, monkeypatch, call: str) -> None:
    async def refuse(*args, **kwargs):
        raise ProviderError("The provider is unavailable.")
    monkeypatch.setattr(app.payments.provider, call, refuse)


async def test_a_capture_refused_at_the_end_is_taken_by_the_catch_up(app, clock, monkeypatch):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=25)
    with monkeypatch.context() as patched:
        _refusing(app, patched, "capture")
        await act(app, sessions.end, session_id, seeker)  # the session ends all the same
    assert (await row(app, session_id)).status == "ended_paid"
    assert await escrow_state(app, "booking:1") == "authorised"
    catch_up = SessionPayments(app.payments).catch_up
    assert await catch_up() == 1
    assert await escrow_state(app, "booking:1") == "captured"
    assert await balance(app, user(consultant, "paid_out")) == 5100
    assert await catch_up() == 0  # nothing left behind: a second run does nothing


async def test_a_void_refused_in_the_free_minutes_is_taken_by_the_catch_up(app, clock, monkeypatch):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=4)
    with monkeypatch.context() as patched:
        _refusing(app, patched, "cancel")
        await act(app, sessions.end, session_id, consultant)
    assert await escrow_state(app, "booking:1") == "authorised"
    await SessionPayments(app.payments).catch_up()
    assert await escrow_state(app, "booking:1") == "voided"
    assert (await row(app, session_id)).charged_minor == 0


async def test_an_authorisation_replaced_by_an_extension_is_voided_by_the_catch_up(
        app, clock, monkeypatch):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=20)
    extension = await act(app, sessions.extend, session_id, seeker, 15)
    view = await app.payments.by_reference(extension.reference)
    with monkeypatch.context() as patched:
        _refusing(app, patched, "cancel")
        await app.payments.pay_with_test_card(view.id, CARD)
    assert (await row(app, session_id)).escrow_ref == extension.reference
    assert await escrow_state(app, "booking:1") == "authorised"
    assert await SessionPayments(app.payments).catch_up() == 1
    assert await escrow_state(app, "booking:1") == "voided"
    assert await escrow_state(app, extension.reference) == "authorised"  # the one in force


async def test_an_authorisation_of_a_session_still_running_is_left_alone(app, clock):
    seeker, consultant = await people(app)
    await live(app, seeker, consultant)
    view = await app.payments.open("session", "consulting", "booking:9", seeker, consultant,
                                   Money(1000, "EUR"), BOOKING)  # some other booking's
    await app.payments.pay_with_test_card(view.id, CARD)
    assert await SessionPayments(app.payments).catch_up() == 0
    assert await escrow_state(app, "booking:1") == "authorised"
