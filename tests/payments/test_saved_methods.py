"""Saving a card now for an authorisation made later, off-session, in the sandbox: the test
cards behave as Stripe documents them (4000 0000 0000 0341 is saved, then declined when it is
charged), each request saves once and each saved card authorises once."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from urllib.parse import urlparse

import httpx
import pytest

from bots.server import create_app
from core.errors import Conflict, NotAllowed
from core.money.model import Money
from payments.providers.base import ProviderError
from payments.tables import SavedMethod
from tests.payments.helpers import ADMIN, BUYER, people
from tests.support.servers import serve

REF = "booking:41"


async def asked(app, reference=REF):
    buyer, consultant = await people(app)
    saved = await app.payments.save_method(reference, buyer, BUYER)
    return saved, buyer, consultant


async def opened(app, buyer, consultant, reference=REF, amount=8_000):
    return await app.payments.open("session", "consulting", reference, buyer, consultant,
                                   Money(amount, "EUR"), BUYER)


def off_session_calls(app):
    return [key for what, key in app.payments.provider.calls if what == "authorise_saved"]


async def test_a_card_saved_now_authorises_the_session_later_and_is_captured(app):
    saved, buyer, consultant = await asked(app)
    assert (saved.state, saved.payer_id) == ("awaiting_method", buyer)
    assert saved.save_url and urlparse(saved.save_url).path.startswith("/pay/")
    assert await app.payments.save_method(REF, buyer, BUYER) == saved  # asked once
    done = await app.payments.save_with_test_card(saved.id, "4242 4242 4242 4242")
    assert (done.state, done.last4) == ("saved", "4242")
    escrow = await opened(app, buyer, consultant)
    outcome = await app.payments.authorise_saved(escrow.id, ADMIN)
    assert outcome.declined is None and outcome.escrow.state == "authorised"
    assert (await app.payments.saved_method(REF)).state == "used"
    captured = await app.payments.capture(escrow.id, Money(6_000, "EUR"), ADMIN)
    assert captured.state == "captured"


async def test_a_saved_card_is_voided_like_any_authorisation(app):
    saved, buyer, consultant = await asked(app)
    await app.payments.save_with_test_card(saved.id, "4242424242424242")
    escrow = await opened(app, buyer, consultant)
    await app.payments.authorise_saved(escrow.id, ADMIN)
    assert (await app.payments.void(escrow.id, ADMIN)).state == "voided"


async def test_a_card_declined_now_is_not_saved(app):
    saved, *_ = await asked(app)
    with pytest.raises(ProviderError, match="The card was not saved"):
        await app.payments.save_with_test_card(saved.id, "4000 0000 0000 0002")
    assert (await app.payments.saved_method(REF)).state == "awaiting_method"


async def test_the_card_that_attaches_but_declines_later_is_saved_then_declined(app):
    saved, buyer, consultant = await asked(app)
    done = await app.payments.save_with_test_card(saved.id, "4000 0000 0000 0341")
    assert (done.state, done.last4) == ("saved", "0341")
    escrow = await opened(app, buyer, consultant)
    outcome = await app.payments.authorise_saved(escrow.id, ADMIN)
    assert outcome.declined == "Your card was declined."
    assert outcome.escrow.state == "awaiting_authorisation"  # the payer can still authorise
    after = await app.payments.saved_method(REF)
    assert (after.state, after.failure) == ("declined", "Your card was declined.")
    with pytest.raises(Conflict):  # a declined card is not tried again
        await app.payments.authorise_saved(escrow.id, ADMIN)
    paid = await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    assert paid.state == "authorised"


async def test_two_authorisations_at_once_with_one_saved_card_authorise_once(app):
    saved, buyer, consultant = await asked(app)
    await app.payments.save_with_test_card(saved.id, "4242 4242 4242 4242")
    escrow = await opened(app, buyer, consultant)
    results = await asyncio.gather(app.payments.authorise_saved(escrow.id, ADMIN),
                                   app.payments.authorise_saved(escrow.id, ADMIN),
                                   return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "OffSessionOutcome"]
    assert off_session_calls(app) == [f"authorise:{REF}"]
    with pytest.raises(Conflict, match="already authorised"):
        await app.payments.authorise_saved(escrow.id, ADMIN)
    assert off_session_calls(app) == [f"authorise:{REF}"]


async def test_a_claim_left_by_a_crash_is_taken_over_after_the_lease(app, clock):
    saved, buyer, consultant = await asked(app)
    await app.payments.save_with_test_card(saved.id, "4242 4242 4242 4242")
    escrow = await opened(app, buyer, consultant)
    async with app.uow() as uow:  # a worker claimed it, then died before the provider answered
        row = await uow.session.get(SavedMethod, saved.id)
        row.state, row.updated_at = "authorising", clock.now()
        await uow.commit()
    with pytest.raises(Conflict):
        await app.payments.authorise_saved(escrow.id, ADMIN)
    clock.advance(minutes=6)
    assert (await app.payments.authorise_saved(escrow.id, ADMIN)).escrow.state == "authorised"


async def test_only_the_payer_may_save_a_card_on_a_request(app):
    saved, buyer, consultant = await asked(app)
    with pytest.raises(NotAllowed):
        await app.payments.savable(saved.id, consultant)
    await app.payments.save_with_test_card(saved.id, "4242 4242 4242 4242")
    with pytest.raises(Conflict, match="already saved"):
        await app.payments.savable(saved.id, buyer)
    with pytest.raises(Conflict):
        await app.payments.save_with_test_card(saved.id, "4000 0000 0000 0341")
    assert (await app.payments.saved_method(REF)).last4 == "4242"


async def test_the_sandbox_page_saves_a_card_in_test_mode(app):
    saved, *_ = await asked(app)
    path = urlparse(saved.save_url).path
    async with serve_app(app) as (base, http):
        page = await http.get(base + path)
        declined = await http.post(base + path, data={"card_number": "4000 0000 0000 0002"})
        done = await http.post(base + path, data={"card_number": "4000 0000 0000 0341"})
        again = await http.get(base + path)
    assert "TEST MODE" in page.text and "Save a card" in page.text
    assert "Nothing is charged now" in page.text
    assert declined.status_code == 402 and "not saved" in declined.text
    assert '<form method="post">' in declined.text  # another card, on the same page
    assert done.status_code == 200 and "Card •••• 0341 saved" in done.text
    assert "A card is saved for this session" in again.text
    assert (await app.payments.saved_method(REF)).state == "saved"


@asynccontextmanager
async def serve_app(app):
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        yield base, http
