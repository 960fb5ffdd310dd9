"""The operator console's company page shows a company's webhook deliveries with every try and
re-sends one: support reads the failed try (500) and presses Re-send; the next try is the same
event, answered 200. Support registers an endpoint for the company (its secret shown once, an
address refused at once), and it lands in the company's decisions. An operator without the
support role is refused the page."""

from __future__ import annotations

import re

from core.companies import audit_trail
from core.companies.seats import seat_of
from core.operators import grants
from core.webhooks import service as webhooks
from tests.catalog.helpers import make_account
from tests.console.helpers import client, post_form, root, signed_in
from tests.webhooks.helpers import company_endpoint, receiving
from tests.webhooks.test_webhook_delivery import _queued


async def test_support_reads_a_company_s_deliveries_and_re_sends_one(app, clock):
    sam, sue, fred = [await make_account(app, name) for name in ("sam", "sue", "fred")]
    admin = await root(app)
    async with app.uow() as uow:
        await grants.grant(uow, admin.id, sue.id, "support")
        await grants.grant(uow, admin.id, fred.id, "finance")
        await uow.commit()
    async with receiving(clock, answers=[500]) as receiver:
        await company_endpoint(app, sam.id, receiver, ["deal.paid"])
        await _queued(app, sam.id)
        assert await app.webhooks.run_once() == 1
        async with app.uow() as uow:
            seat = await seat_of(uow, sam.id)
        assert seat is not None
        company_id = seat.company.id
        page = f"/admin/companies/{company_id}/webhooks"
        async with client(app) as http:
            await signed_in(app, http, fred)
            assert (await http.get(page)).status_code in (403, 404)
        async with client(app) as http:
            await signed_in(app, http, sue)
            shown = (await http.get(page)).text
            assert receiver.url in shown and "deal.paid" in shown and "500 in" in shown
            delivery_id = shown.split('name="delivery" value="', 1)[1].split('"', 1)[0]
            again = await post_form(http, page, f"{page}/resend", delivery=delivery_id)
            assert again.status_code == 303 and "done=webhook-resent" in again.headers["location"]
            assert await app.webhooks.run_once() == 1
            shown = (await http.get(page)).text
            assert "delivered" in shown and "200 in" in shown
            refused = await post_form(http, page, page, url="ftp://erp.example.com",
                                      types="deal.paid")
            assert refused.status_code == 400 and "https://" in refused.text
            made = await post_form(http, page, page, url="https://erp.example.com/agora",
                                   types="deal.shipped")
            assert made.status_code == 200
            [secret] = set(re.findall(r"whsec_[\w-]+", made.text))
            assert secret not in (await http.get(page)).text  # shown once
    first, resent = receiver.got
    assert first.headers["agora-event-id"] == resent.headers["agora-event-id"]
    async with app.uow() as uow:
        assert [e.url for e in await webhooks.endpoints(uow, sam.id)] == [
            receiver.url, "https://erp.example.com/agora"]
        decided = [d.action for d in await audit_trail.trail(uow, sam.id)]
    assert decided[:2] == ["webhook_added", "webhook_added"]

