"""A company's webhooks in chat, through the real apps: Bob, an admin on Slack, registers the
company's endpoint in /webhooks' modal and reads its signing secret once; the receiver (a real
HTTP server the test starts) verifies with that secret, answers 500 to the first try; Sam, an
admin of the same company on Telegram, opens the endpoint, reads the failed try and re-sends
it — one more try of the same event, answered 200."""

from __future__ import annotations

import re

from core.companies import service as companies
from core.webhooks import queue
from core.webhooks.payloads import Fact
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER
from tests.webhooks.helpers import receiving


async def test_an_admin_registers_on_slack_and_another_re_sends_a_failed_delivery_on_telegram(
        world, clock):
    app, sam = world.app, world.sam
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           display_name="Bob", country="EE", city="Tallinn")
    sam_account = await registered(app, str(TELEGRAM_USER), channel="telegram",
                                   address=str(TELEGRAM_USER), display_name="Sam",
                                   country="LV", city="Riga")
    async with app.uow() as uow:
        company = await companies.found(uow, bob.id, "Baltic Heat AS")
        invitation = await companies.invite(uow, bob.id, ["admin"], None)
        await companies.join(uow, sam_account.id, invitation.code)
        await uow.commit()

    async with receiving(clock, answers=[500]) as receiver:
        # Bob registers the endpoint in Slack's modal; the secret is shown to him once.
        await world.bob.command("webhooks")
        await world.bob_sees("No endpoint yet")
        await world.bob_presses("Add an endpoint")
        await world.bob_fills({"url": receiver.url, "types": ["deal.paid", "deal.shipped"]})
        shown = await world.bob_sees("shown only now")
        [secret] = set(re.findall(r"whsec_[\w-]+", str(shown)))
        receiver.secret = secret

        # A deal of the company is paid: the first try is answered 500.
        async with app.uow() as uow:
            await queue.record(uow, Fact((company.id,), "deal.paid", "deal:7:pay:to_ship",
                                         {"deal": {"id": 7}}))
            await uow.commit()
        assert await app.webhooks.run_once() == 1
        assert receiver.got[-1].verified  # signed with the secret Bob was shown

        # Sam, on Telegram, finds the failed try and re-sends it.
        await sam.say("/webhooks", "Webhooks: your company's systems hear")
        await sam.tap(receiver.url[:40], "Latest deliveries")
        await sam.tap("deal.paid", "answered 500")
        await sam.tap("Re-send", "Queued again")
        assert await app.webhooks.run_once() == 1

    first, again = receiver.got
    assert again.verified and again.headers["agora-event-id"] == first.headers["agora-event-id"]
    assert again.event == first.event  # the same event, the same body
    await sam.tap("Back", "✅ delivered")
