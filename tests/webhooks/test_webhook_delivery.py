"""A company's webhooks on the database (SQLite and PostgreSQL), delivered over real HTTP to a
receiver the test serves on 127.0.0.1, which checks every signature: a deal paid in a real
journey reaches the seller's company once, signed; a receiver failing twice gets three tries
on the retry schedule (the clock is moved, nothing sleeps); a delivery out of tries fails,
the admins are told, and a re-send is one more try of the same event; two workers claiming the
same delivery at once send it once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bots.webhook_poster import HttpPoster
from core.companies import service as companies
from core.companies.seats import seat_may
from core.deals import deals
from core.deals.terms import service as deal_terms
from core.errors import DomainError
from core.webhooks import queue, rules
from core.webhooks import service as webhooks
from core.webhooks.delivery import Deliverer
from core.webhooks.payloads import Fact
from core.webhooks.tables import WebhookAttempt, WebhookDelivery, WebhookEvent
from payments.escrow_rows import by_reference
from tests.catalog.helpers import make_account
from tests.deals.test_offers import agreed
from tests.support.outbox import told_texts
from tests.webhooks.helpers import company_endpoint, receiving


async def _deliveries(app) -> list[WebhookDelivery]:
    async with app.uow() as uow:
        return list((await uow.session.execute(
            select(WebhookDelivery).order_by(WebhookDelivery.id))).scalars())


async def _attempts(app) -> list[WebhookAttempt]:
    async with app.uow() as uow:
        return list((await uow.session.execute(
            select(WebhookAttempt).order_by(WebhookAttempt.number))).scalars())


async def _queued(app, company_admin: int, key: str = "deal:1:pay:to_ship") -> None:
    """A fact for the admin's company, queued as a domain event's handler queues it."""
    async with app.uow() as uow:
        seat = await seat_may(uow, company_admin, "manage")
        await queue.record(uow, Fact((seat.company.id,), "deal.paid", key, {"deal": {"id": 1}}))
        await uow.commit()


async def test_a_deal_paid_in_a_real_journey_reaches_the_seller_s_company_once_signed(app, clock):
    sam, bob, _, _, deal_id = await agreed(app)  # 100 t at 220.00 EUR
    async with receiving(clock) as receiver:
        await company_endpoint(app, sam.id, receiver, ["deal.paid"])
        async with app.uow() as uow:
            version = await deal_terms.current(uow, deal_id)
            await deal_terms.accept(uow, deal_id, bob.id, version.sha256)
            await deal_terms.accept(uow, deal_id, sam.id, version.sha256)
            await uow.commit()
        async with app.uow() as uow:
            escrow = await by_reference(uow, deals.reference(deal_id))
        await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
        assert await app.webhooks.run_once() == 1
        assert await app.webhooks.run_once() == 0  # nothing else queued, nothing twice

    [got] = receiver.got
    event = got.event
    assert got.verified and got.headers["agora-event-id"] == event["id"] == \
        got.headers["idempotency-key"]
    assert got.headers["agora-signature"].startswith(f"t={int(clock.now().timestamp())},v1=")
    assert (event["type"], event["object"]) == ("deal.paid", "event")
    deal = event["data"]["deal"]
    assert (deal["id"], deal["status"], deal["seller_id"]) == (deal_id, "to_ship", sam.id)
    assert deal["total"] == {"amount": "22000.00", "currency": "EUR"}
    assert deal["quantity"] == {"value": "100.000", "unit": "t"}
    [delivery] = await _deliveries(app)
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("delivered", 1, 200)

    # The same fact heard again queues nothing (one event per company and fact).
    async with app.uow() as uow:
        kept = (await uow.session.execute(select(WebhookEvent))).scalar_one()
        again = Fact((kept.company_id,), "deal.paid", kept.key, {})
        assert kept.key.startswith(f"deal:{deal_id}:") and kept.key.endswith(":to_ship")
        assert await queue.record(uow, again) == 0
        await uow.commit()


async def test_a_receiver_failing_twice_gets_three_tries_on_the_schedule(app, clock):
    sam = await make_account(app, "sam")
    async with receiving(clock, answers=[500, 503]) as receiver:
        await company_endpoint(app, sam.id, receiver, ["deal.paid"])
        await _queued(app, sam.id)
        assert await app.webhooks.run_once() == 1  # 500
        [waiting] = await _deliveries(app)
        wait = waiting.next_at - clock.now()
        assert timedelta(minutes=0.9) <= wait <= timedelta(minutes=1.1)  # 1 min, with jitter
        assert await app.webhooks.run_once() == 0  # not due yet
        clock.advance(minutes=1.2)
        assert await app.webhooks.run_once() == 1  # 503
        [waiting] = await _deliveries(app)
        assert timedelta(minutes=4.5) <= waiting.next_at - clock.now() <= timedelta(minutes=5.5)
        clock.advance(minutes=6)
        assert await app.webhooks.run_once() == 1  # 200

    assert [a.status_code for a in await _attempts(app)] == [500, 503, 200]
    assert [r.headers["agora-delivery-attempt"] for r in receiver.got] == ["1", "2", "3"]
    assert len({r.headers["agora-event-id"] for r in receiver.got}) == 1  # one event
    [delivery] = await _deliveries(app)
    assert (delivery.status, delivery.attempts) == ("delivered", 3)


async def test_out_of_tries_a_delivery_fails_the_admin_is_told_and_a_resend_tries_once_more(
        app, clock):
    sam = await make_account(app, "sam")
    async with receiving(clock, answers=[500] * rules.TRIES) as receiver:
        endpoint_id = await company_endpoint(app, sam.id, receiver, ["deal.paid"])
        await _queued(app, sam.id)
        for __ in range(rules.TRIES):
            assert await app.webhooks.run_once() == 1
            clock.advance(hours=27)  # past the longest wait
        assert await app.webhooks.run_once() == 0
        [failed] = await _deliveries(app)
        assert (failed.status, failed.attempts) == ("failed", rules.TRIES)
        assert await told_texts(app, sam.id, "could not be delivered")

        async with app.uow() as uow:
            again = await webhooks.resend(uow, sam.id, failed.id)
            await uow.commit()
        assert again.status == "pending"
        assert await app.webhooks.run_once() == 1
        async with app.uow() as uow:
            [shown] = await webhooks.deliveries(uow, sam.id, endpoint_id)
    assert (shown.status, len(shown.attempts)) == ("delivered", rules.TRIES + 1)
    assert shown.attempts[-1].status_code == 200
    assert len({r.headers["agora-event-id"] for r in receiver.got}) == 1  # the same event


async def test_two_workers_claiming_one_delivery_at_once_send_it_once(app, clock):
    sam = await make_account(app, "sam")
    async with receiving(clock, delay=0.3) as receiver:
        await company_endpoint(app, sam.id, receiver, ["deal.paid"])
        await _queued(app, sam.id)
        assert app.webhooks is not None
        sealer = app.engine.services.webhooks.sealer
        first, second = (Deliverer(app.uow, HttpPoster(), sealer, f"worker-{n}") for n in (1, 2))
        [delivery] = await _deliveries(app)
        sent = await asyncio.gather(first.deliver(delivery.id), second.deliver(delivery.id),
                                    first.run_once(), second.run_once())
    assert sum(sent) == 1 and len(receiver.got) == 1
    assert [a.number for a in await _attempts(app)] == [1]
    [delivery] = await _deliveries(app)
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


async def test_only_the_company_s_admins_manage_its_endpoints_and_a_disabled_one_gets_nothing(
        app, clock):
    sam, bob, ann = [await make_account(app, name) for name in ("sam", "bob", "ann")]
    keys = app.engine.services.webhooks
    async with app.uow() as uow:
        await companies.found(uow, sam.id, "Sam Pellets SIA")
        invitation = await companies.invite(uow, sam.id, ["buyer"], None)
        await companies.join(uow, ann.id, invitation.code)
        made = await webhooks.register(uow, sam.id, keys, "http://127.0.0.1:9/hooks",
                                       ["deal.paid"])
        with pytest.raises(DomainError):  # plain HTTP elsewhere than this machine
            await webhooks.register(uow, sam.id, keys, "http://erp.example.com/h", ["deal.paid"])
        for outsider in (bob.id, ann.id):  # no company; a buyer of it
            with pytest.raises(DomainError):
                await webhooks.endpoints(uow, outsider)
            with pytest.raises(DomainError):
                await webhooks.rotate(uow, outsider, keys, made.endpoint.id)
        rotated = await webhooks.rotate(uow, sam.id, keys, made.endpoint.id)
        assert rotated.secret != made.secret and rotated.secret.startswith("whsec_")
        await webhooks.set_enabled(uow, sam.id, made.endpoint.id, False)
        await uow.commit()
    await _queued(app, sam.id)
    assert await _deliveries(app) == [] and await app.webhooks.run_once() == 0
