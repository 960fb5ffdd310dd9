"""A Stripe webhook body is read only when it is signed and has the shape the handlers read;
anything else is a 400 before any claim is taken, without a traceback — tested without a
database: the refusal comes before the service is reached. Bodies that are claimed and handled,
the claims themselves and the route through the web server stay on the database
(test_webhook_claims.py)."""

from __future__ import annotations

import logging

import pytest
import stripe

from payments.webhooks import StripeWebhooks

SECRET = "whsec_shapes"


class Unreachable:
    """The payments service, which a refused body never reaches."""

    def __getattr__(self, name: str):
        raise AssertionError(f"a refused body reached payments.{name}")


async def answer(body: str, signature: str | None = None) -> int:
    hooks = StripeWebhooks(SECRET, Unreachable())  # type: ignore[arg-type]
    if signature is None:
        signature = stripe.WebhookSignature.generate_signature_header(body, SECRET)
    status, _ = await hooks.handle(body.encode(), signature)
    return status


@pytest.mark.parametrize("body", [
    "[1, 2]", "[]", "null", '"evt_1"', "7", "[" * 50_000, "{",
    '{"id": "evt_a", "type": "x", "data": [1]}',
    '{"id": 7, "type": "x", "data": {"object": {}}}',
    '{"id": "evt_long' + "x" * 80 + '", "type": "x", "data": {"object": {}}}',
    '{"id": "evt_b", "type": "payment_intent.succeeded", "data": {"object": []}}',
    '{"id": "evt_c", "type": "account.updated", "created": "soon", '
    '"data": {"object": {"id": "acct_1"}}}',
    '{"id": "evt_d", "type": "payment_intent.succeeded", '
    '"data": {"object": {"id": "pi_1", "metadata": {"pay_token": ["x"]}}}}',
    '{"id": "evt_e", "type": "payment_intent.payment_failed", '
    '"data": {"object": {"id": "pi_1", "last_payment_error": "no"}}}',
    '{"id": "evt_h", "type": "x", "data": {"object": {"id": 12}}}',
])
async def test_a_signed_body_of_any_other_shape_is_a_bad_request_without_a_traceback(body,
                                                                                    caplog):
    assert await answer(body) == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_an_unsigned_or_wrongly_signed_body_is_refused_before_it_is_read():
    body = '{"id": "evt_1", "type": "x", "data": {"object": {}}}'
    assert await answer(body, "") == 400
    other = stripe.WebhookSignature.generate_signature_header(body, "whsec_someone_else")
    assert await answer(body, other) == 400
