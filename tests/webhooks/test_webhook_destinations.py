"""A company's webhooks go to public addresses only, on the database (SQLite and PostgreSQL)
with the test's receiver on 127.0.0.1: a name leading to a private or internal address is
refused when registered; a name that resolved to a public address when registered and to an
internal one when its delivery is due is not posted, its try recorded as refused; where local
HTTP is off, a delivery to `localhost` reaches nothing; and the post connects to the address
checked, never to a second lookup of the name, while naming its host — over HTTPS, the
receiver's certificate verified against that name (a test CA's certificate for another name is
refused, nothing sent)."""

from __future__ import annotations

import pytest
import trustme
from sqlalchemy import select

from bots.webhook_poster import HttpPoster
from core.companies.seats import seat_may
from core.errors import DomainError
from core.webhooks import rules
from core.webhooks import service as webhooks
from core.webhooks.delivery import Deliverer
from core.webhooks.keys import Keys
from core.webhooks.payloads import Fact
from core.webhooks.queue import record
from core.webhooks.tables import WebhookAttempt, WebhookDelivery
from tests.catalog.helpers import make_account
from tests.support.servers import serve
from tests.webhooks.helpers import Receiver, company_endpoint, receiving


async def _queue_one(app, company_id: int) -> None:
    async with app.uow() as uow:
        await record(uow, Fact((company_id,), "deal.paid", "deal:1:payment-received:to_ship",
                               {"deal": {"id": 1}}))
        await uow.commit()


async def _tries(app) -> list[tuple[str, WebhookAttempt]]:
    async with app.uow() as uow:
        return [(d.status, a) for d, a in (await uow.session.execute(
            select(WebhookDelivery, WebhookAttempt).join(
                WebhookAttempt, WebhookAttempt.delivery_id == WebhookDelivery.id)
            .order_by(WebhookAttempt.number))).all()]


async def test_a_name_leading_inside_is_refused_at_registration_and_when_it_moves_there_later(
        app, clock):
    sam = await make_account(app, "sam")
    keys = app.engine.services.webhooks
    names = keys.resolver
    names.table.update({"intranet.erp.example": ["10.0.0.5"],
                        "both.erp.example": ["93.184.215.14", "fd00::5"]})
    async with receiving(clock) as receiver:  # the company, with an endpoint of its own
        await company_endpoint(app, sam.id, receiver, ["deal.agreed"])
    async with app.uow() as uow:
        for url in ("https://intranet.erp.example/h", "https://both.erp.example/h",
                    "https://169.254.169.254/latest/meta-data", "https://[::ffff:a00:5]/h",
                    "https://[fe80::1]/h", "https://nowhere.invalid/h"):
            with pytest.raises(DomainError):
                await webhooks.register(uow, sam.id, keys, url, ["deal.paid"])
        await webhooks.register(uow, sam.id, keys, "https://erp.example.com/agora", ["deal.paid"])
        await uow.commit()
    names.table["erp.example.com"] = ["169.254.169.254"]  # its DNS changed since
    try:
        await _queue_one(app, await _company_of(app, sam.id))
        assert await app.webhooks.run_once() == 1
    finally:
        names.table["erp.example.com"] = ["93.184.215.14"]
    [(status, attempt)] = await _tries(app)
    assert status == "pending" and attempt.status_code is None  # tried again later
    assert attempt.error.startswith("refused: ") and "169.254.169.254" in attempt.error


async def _company_of(app, account_id: int) -> int:
    async with app.uow() as uow:
        return (await seat_may(uow, account_id, "manage")).company.id


async def test_with_local_http_off_localhost_is_not_posted_and_a_post_goes_to_the_checked_address(
        app, clock):
    sam = await make_account(app, "sam")
    keys = app.engine.services.webhooks
    async with receiving(clock) as receiver:
        receiver.url = receiver.url.replace("127.0.0.1", "localhost")  # a name, not an address
        await company_endpoint(app, sam.id, receiver, ["deal.paid"])
        await _queue_one(app, await _company_of(app, sam.id))
        production = Deliverer(app.uow, HttpPoster(), Keys(keys.sealer, False, keys.resolver),
                               "worker-production")
        assert await production.run_once() == 1
        assert receiver.got == []  # nothing left this machine's worker for itself
        [(status, attempt)] = await _tries(app)
        assert status == "pending" and attempt.error.startswith("refused: ")

        # Where local HTTP is allowed it is sent, to the address checked, naming its host.
        clock.advance(minutes=2)
        assert await app.webhooks.run_once() == 1
        [got] = receiver.got
        assert got.verified and got.headers["host"] == receiver.url.split("/")[2]
        # The adapter never looks the name up again: a name that resolves nowhere reaches the
        # address it is given, and the request names the host it was written with.
        port = receiver.url.split(":")[2].split("/")[0]
        answer = await HttpPoster().post(f"http://pinned.invalid:{port}/hooks", "127.0.0.1",
                                         got.body, {rules.SIGNATURE_HEADER: "t=1,v1=0"}, 5)
    assert answer.status == 400  # the receiver answered (a bad signature, as sent)
    assert receiver.got[-1].headers["host"] == f"pinned.invalid:{port}"


async def test_over_https_the_certificate_is_verified_against_the_endpoints_name_not_its_address(
        app, clock):
    """The endpoint is a made-up name resolved to this machine; the poster connects to
    127.0.0.1, so only the TLS server name it sends makes a certificate for that name pass."""
    sam = await make_account(app, "sam")
    keys = app.engine.services.webhooks
    keys.resolver.table["erp.example.test"] = ["127.0.0.1"]
    ca = trustme.CA()  # the test's own authority; the poster trusts it besides httpx's own
    receiver = Receiver(lambda: int(clock.now().timestamp()))
    with (ca.cert_pem.tempfile() as authority,
          ca.issue_cert("other.example.test").private_key_and_cert_chain_pem.tempfile() as wrong,
          ca.issue_cert("erp.example.test").private_key_and_cert_chain_pem.tempfile() as right):
        deliverer = Deliverer(app.uow, HttpPoster(extra_ca=authority), keys, "worker-tls")
        async with serve(receiver.app(), certfile=wrong) as base:  # a certificate for another name
            port = int(base.rsplit(":", 1)[1])
            receiver.url = f"https://erp.example.test:{port}/hooks"
            await company_endpoint(app, sam.id, receiver, ["deal.paid"])
            await _queue_one(app, await _company_of(app, sam.id))
            assert await deliverer.run_once() == 1
        assert receiver.got == []  # refused in the handshake: not a byte of the event sent
        [(status, attempt)] = await _tries(app)
        assert status == "pending" and attempt.status_code is None
        assert attempt.error == "ConnectError"  # the certificate's verification failed

        clock.advance(minutes=2)  # its retry is due; the receiver now holds its own name's
        async with serve(receiver.app(), port, certfile=right):
            assert await deliverer.run_once() == 1
    [got] = receiver.got
    assert got.verified and got.headers["host"] == f"erp.example.test:{port}"
    assert [status for status, _ in await _tries(app)] == ["delivered", "delivered"]
