"""Stripe fixtures: localstripe started once per run, the Connect fake and Agora wired to them."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import stripe

from bots.server import create_app
from config.container import Container
from tests.support import containers
from tests.support.containers import settings_for
from tests.support.fake_stripe import FakeStripe, start_localstripe
from tests.support.servers import serve

SECRET = "whsec_agora_test_secret"
_events = itertools.count(1)


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    proc, url = start_localstripe()
    yield url
    proc.terminate()
    proc.wait(10)


@dataclass
class StripeWorld:
    app: Container
    fake: FakeStripe
    client: stripe.StripeClient  # plays the buyer's browser and the Stripe dashboard
    agora_url: str
    http: httpx.AsyncClient

    async def deliver(self, type_: str, obj: dict[str, Any], *, created: int | None = None,
                      event_id: str | None = None, signature: str | None = "sign",
                      tamper: bool = False) -> httpx.Response:
        """POST a Stripe event to Agora, signed like Stripe signs it."""
        event = {"id": event_id or f"evt_{next(_events)}", "object": "event", "type": type_,
                 "created": created or int(time.time()), "data": {"object": obj}}
        payload = json.dumps(event)
        headers = {"Content-Type": "application/json"}
        if signature:
            headers["Stripe-Signature"] = stripe.WebhookSignature.generate_signature_header(
                payload, SECRET)
        if tamper:
            payload = payload.replace('"amount": ', '"amount": 1')
        return await self.http.post(f"{self.agora_url}/stripe/webhook", content=payload,
                                    headers=headers)

    async def buyer_pays(self, pay_token: str, amount: int, *, manual: bool = False,
                         card: str = "4242424242424242") -> dict[str, Any]:
        """What Stripe's hosted page does: a PaymentIntent confirmed with the buyer's card."""
        method = await self.client.v1.payment_methods.create_async({"type": "card", "card": {
            "number": card, "exp_month": 12, "exp_year": 2030, "cvc": "123"}})
        params: dict[str, Any] = {"amount": amount, "currency": "eur", "confirm": True,
                                  "payment_method": method.id, "payment_method_types": ["card"],
                                  "metadata": {"pay_token": pay_token}}
        if manual:
            params["capture_method"] = "manual"
        intent = await self.client.v1.payment_intents.create_async(params)
        return await self.intent(intent.id)

    async def bank_sends(self, customer: str, amount: int, reference: str) -> dict[str, Any]:
        """A bank transfer reaching a customer's virtual IBAN (Stripe's test helper)."""
        txn = await self.client.v1.test_helpers.customers.fund_cash_balance_async(
            customer, {"amount": amount, "currency": "eur", "reference": reference})
        return json.loads(str(txn))

    async def intent(self, intent_id: str) -> dict[str, Any]:
        intent = await self.client.v1.payment_intents.retrieve_async(intent_id)
        return json.loads(str(intent))


@pytest.fixture
async def stripe_world(db_url: str, clock: Any, mailbox: Any, localstripe_url: str
                       ) -> AsyncIterator[StripeWorld]:
    fake = FakeStripe(localstripe_url)
    async with serve(fake.app) as stripe_url:
        settings = settings_for(db_url, payments_provider="stripe",
                                stripe_secret_key="sk_test_agora", stripe_webhook_secret=SECRET,
                                stripe_api_base=stripe_url, stripe_bank_transfer_country="DE")
        client = stripe.StripeClient("sk_test_agora", base_addresses={"api": stripe_url})
        async with containers.container(settings, clock=clock, mailbox=mailbox) as app, \
                serve(create_app(app, run_workers=False)) as agora_url, \
                httpx.AsyncClient() as http:
            yield StripeWorld(app, fake, client, agora_url, http)
