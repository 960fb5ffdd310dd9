"""A company's webhooks on the database (SQLite and PostgreSQL), delivered over real HTTP to a
receiver the test serves on 127.0.0.1, which checks every signature: a deal's real journey
(agreed, paid, shipped, delivered, completed, its documents) reaches the seller's company,
each event once and signed, and a company's request for supply its quote and award; a
receiver failing twice gets three tries on the retry schedule (the clock is moved, nothing
sleeps); a delivery out of tries fails, the admins are told, and a re-send is one more try of
the same event; two workers claiming the same delivery at once send it once; only a company's
admins manage its endpoints, and a disabled one gets nothing; events settled a month ago are
forgotten."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bots.webhook_poster import HttpPoster
from core.companies import service as companies
from core.companies.seats import seat_may
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.terms import service as deal_terms
from core.errors import DomainError
from core.webhooks import pruning, queue, rules
from core.webhooks import service as webhooks
from core.webhooks.delivery import Deliverer
from core.webhooks.payloads import Fact
from core.webhooks.tables import WebhookAttempt, WebhookDelivery, WebhookEvent
from payments import invoices
from payments.escrow_rows import by_reference
from tests.catalog.helpers import make_account
from tests.deals.test_offers import terms
from tests.deals.test_offers import world as deal_parties
from tests.deals.test_supply_requests import market, posted, quoted
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


async def test_a_deal_s_journey_reaches_the_seller_s_company_each_event_once_signed(app, clock):
    sam, bob, _, listing_id = await deal_parties(app, quantity="100")
    async with receiving(clock) as paid_only, receiving(clock) as everything:
        await company_endpoint(app, sam.id, paid_only, ["deal.paid"])
        async with app.uow() as uow:  # a second endpoint of the company, taking every event
            made = await webhooks.register(uow, sam.id, app.engine.services.webhooks,
                                           everything.url, list(rules.EVENT_TYPES))
            await uow.commit()
        everything.secret = made.secret
        async with app.uow() as uow:
            offer = await offers.make_offer(uow, listing_id, bob.id, terms(quantity="100"))
            deal_id = (await offers.accept(uow, offer.id, sam.id)).id
            await uow.commit()
        async with app.uow() as uow:
            version = await deal_terms.current(uow, deal_id)
            await deal_terms.accept(uow, deal_id, bob.id, version.sha256)
            await deal_terms.accept(uow, deal_id, sam.id, version.sha256)
            await uow.commit()
        async with app.uow() as uow:
            escrow = await by_reference(uow, deals.reference(deal_id))
        await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
        async with app.uow() as uow:
            await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-1", None)
            await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
            await deals.take(uow, deal_id, "confirm-receipt", bob.id)
            await uow.commit()
        while await app.webhooks.run_once():
            pass

    [got] = paid_only.got
    event = got.event
    assert got.verified and got.headers["agora-event-id"] == event["id"] == \
        got.headers["idempotency-key"]
    assert got.headers["agora-signature"].startswith(f"t={int(clock.now().timestamp())},v1=")
    assert (event["type"], event["object"]) == ("deal.paid", "event")
    deal = event["data"]["deal"]
    assert (deal["id"], deal["status"], deal["seller_id"]) == (deal_id, "to_ship", sam.id)
    assert deal["total"] == {"amount": "22000.00", "currency": "EUR"}
    assert deal["quantity"] == {"value": "100.000", "unit": "t"}
    assert event["data"]["transition"] == "payment-received"
    assert deal["api_url"] == f"/api/v1/deals/{deal_id}"  # where the API serves it

    assert all(r.verified for r in everything.got)
    types = [r.event["type"] for r in everything.got]
    assert [t for t in types if t.startswith("deal.")] == [
        "deal.agreed", "deal.paid", "deal.shipped", "deal.delivered", "deal.completed"]
    documents = [r.event["data"]["document"] for r in everything.got
                 if r.event["type"] == "document.issued"]
    assert documents and all(d["reference"] == f"deal:{deal_id}" for d in documents)
    # Each carries the number it was issued under and where to download it: the receipt of
    # the payment too (queued when numbered, right after the payment's commit).
    async with app.uow() as uow:
        issued = await invoices.of_reference(uow, deals.reference(deal_id))
    by_id = {d["id"]: d for d in documents}
    [receipt] = [i for i in issued if i.kind == "payment"]
    assert by_id[receipt.id]["total"] == {"amount": "22000.00", "currency": "EUR"}
    assert {(i.id, i.number, invoices.link(i)) for i in issued if i.id in by_id} == {
        (d["id"], d["number"], d["download_url"]) for d in documents}
    assert by_id[receipt.id]["number"] and receipt.token in by_id[receipt.id]["download_url"]
    assert {(d["api_pdf_url"], d["api_xml_url"]) for d in documents} == {
        (f"/api/v1/documents/{d['number']}.pdf", f"/api/v1/documents/{d['number']}.xml")
        for d in documents}
    assert len({r.event["id"] for r in everything.got}) == len(everything.got)
    assert all(d.status == "delivered" and d.attempts == 1 for d in await _deliveries(app))

    # The same fact heard again queues nothing (one event per company and fact).
    async with app.uow() as uow:
        kept = (await uow.session.execute(select(WebhookEvent).where(
            WebhookEvent.type == "deal.paid"))).scalar_one()
        again = Fact((kept.company_id,), "deal.paid", kept.key, {})
        assert kept.key == f"deal:{deal_id}:payment-received:to_ship"
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
        keys = app.engine.services.webhooks
        first, second = (Deliverer(app.uow, HttpPoster(), keys, f"worker-{n}") for n in (1, 2))
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


async def test_a_company_s_request_for_supply_tells_of_each_quote_and_the_award(app, clock):
    hanna, (aivar, *_) = await market(app)
    async with receiving(clock) as receiver:
        await company_endpoint(app, hanna.id, receiver,
                               ["request.offer_received", "request.awarded"])
        request_id = await posted(app, hanna)
        quote = await quoted(app, aivar, request_id, "1200", "21")
        async with app.uow() as uow:
            deal = await offers.accept(uow, quote, hanna.id)
            await uow.commit()
        while await app.webhooks.run_once():
            pass
    received, awarded = (r.event for r in receiver.got)
    assert received["type"] == "request.offer_received"
    assert received["data"]["request"]["id"] == request_id
    offer = received["data"]["offer"]
    assert (offer["id"], offer["seller_id"]) == (quote, aivar.id)
    assert offer["total"] == {"amount": "25200.00", "currency": "EUR"}  # 1,200 t at 21.00
    assert (offer["api_url"], received["data"]["request"]["api_url"]) == (
        f"/api/v1/offers/{quote}", f"/api/v1/requests/{request_id}/quotes")
    assert awarded["type"] == "request.awarded"
    assert (awarded["data"]["request"]["id"], awarded["data"]["deal"]["id"]) == (request_id,
                                                                                 deal.id)


def test_every_worker_sends_what_is_due_every_five_seconds_leader_or_not(app):
    from bots.scheduler import build_scheduler

    scheduler = build_scheduler(app, leader_jobs=False)  # a worker that does not lead
    [job] = [j for j in scheduler.get_jobs() if j.id == "webhooks"]
    assert job.trigger.interval == timedelta(seconds=5) and job.func == app.webhooks.run_once


async def test_events_settled_a_month_ago_are_forgotten_and_waiting_ones_kept(app, clock):
    sam = await make_account(app, "sam")
    async with receiving(clock, answers=[500]) as receiver:
        await company_endpoint(app, sam.id, receiver, ["deal.paid"])
        await _queued(app, sam.id, "deal:1:payment-received:to_ship")
        await _queued(app, sam.id, "deal:2:payment-received:to_ship")
        assert await app.webhooks.run_once() == 2  # the first answered 500, the second 200
    clock.advance(days=31)
    assert await pruning.forget_old(app.uow) == 1
    [waiting] = await _deliveries(app)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert [a.delivery_id for a in await _attempts(app)] == [waiting.id]
