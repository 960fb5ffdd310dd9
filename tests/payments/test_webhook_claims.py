"""A Stripe event is processed by exactly one delivery, however many arrive at once."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import httpx
import pytest
import stripe

from bots.server import create_app
from payments.webhooks import CLAIM_LEASE, StripeWebhooks
from tests.support.servers import serve

SECRET = "whsec_claims"


def signed(event_id: str) -> tuple[bytes, str]:
    event = {"id": event_id, "object": "event", "type": "payment_intent.succeeded",
             "created": int(time.time()), "data": {"object": {"id": "pi_x", "metadata": {}}}}
    payload = json.dumps(event)
    return payload.encode(), stripe.WebhookSignature.generate_signature_header(payload, SECRET)


def counting(app) -> tuple[StripeWebhooks, list[str]]:
    hooks, runs = StripeWebhooks(SECRET, app.payments), []

    async def dispatch(event):  # the handler's effect, slow enough for deliveries to overlap
        runs.append(event["id"])
        await asyncio.sleep(0.05)

    hooks._dispatch = dispatch  # type: ignore[method-assign]
    return hooks, runs


async def test_ten_concurrent_deliveries_of_one_event_run_its_handler_once(app):
    hooks, runs = counting(app)
    payload, signature = signed("evt_concurrent")
    answers = await asyncio.gather(*(hooks.handle(payload, signature) for _ in range(10)))
    assert runs == ["evt_concurrent"]
    assert sorted(status for status, _ in answers).count(200) >= 1
    assert all(status in (200, 409) for status, _ in answers)
    assert await hooks.handle(payload, signature) == (200, {"duplicate": True})


async def test_a_failed_handler_releases_the_event_for_stripes_retry(app):
    hooks, runs = counting(app)
    payload, signature = signed("evt_fails_once")

    async def broken(event):
        raise RuntimeError("database went away")

    real, hooks._dispatch = hooks._dispatch, broken  # type: ignore[method-assign]
    try:
        await hooks.handle(payload, signature)
    except RuntimeError:
        pass
    hooks._dispatch = real  # type: ignore[method-assign]
    assert (await hooks.handle(payload, signature))[0] == 200 and runs == ["evt_fails_once"]


async def test_a_claim_left_by_a_worker_that_died_is_taken_over_after_the_lease(app, clock):
    hooks, runs = counting(app)
    payload, signature = signed("evt_orphan")
    event = json.loads(payload)
    assert await hooks._claim(event["id"], event["type"], event) == "claimed"  # then it died
    assert (await hooks.handle(payload, signature))[0] == 409
    clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)
    assert (await hooks.handle(payload, signature))[0] == 200 and runs == ["evt_orphan"]


async def test_a_signed_body_that_is_not_an_event_is_a_bad_request(app):
    hooks, _ = counting(app)
    payload = json.dumps({"id": 7, "type": ["x"]})
    signature = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
    assert (await hooks.handle(payload.encode(), signature))[0] == 400


@pytest.mark.parametrize(("body", "status"), [
    # Refused before any claim (every other shape refused: test_webhook_shapes.py, no database)
    ("[" * 50_000, 400),
    # Claimed and handled, though its object has no id or an odd field
    ('{"id": "evt_f", "type": "payment_intent.succeeded", "data": {"object": {}}}', 200),
    ('{"id": "evt_g", "type": "payment_intent.succeeded", '
     '"data": {"object": {"id": "pi_1", "latest_charge": [1]}}}', 200),
])
async def test_a_signed_body_of_any_other_shape_is_answered_without_a_traceback(app, body, status,
                                                                               caplog):
    app.stripe_webhooks = StripeWebhooks(SECRET, app.payments)
    signature = stripe.WebhookSignature.generate_signature_header(body, SECRET)
    async with serve(create_app(app, run_workers=False)) as url, httpx.AsyncClient() as http:
        answer = await http.post(f"{url}/stripe/webhook", content=body.encode(), headers={
            "Stripe-Signature": signature, "Content-Type": "application/json"})
    assert answer.status_code == status
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
