"""A contract indexed to an Agora price index, across channels: a buyer on Slack (the real
slack-bolt app) offers 3 monthly call-offs at the Baltic ENplus A1 index + €5/t, a seller on
Telegram (the real python-telegram-bot application) accepts. Call-off 1 is made before the
index has published a week, so it is priced at the agreed price and says so; call-off 2 is
made once a week is published, at that week's value plus the premium, and says which week."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.deals import contract_due
from core.deals.tables import Deal
from core.market.index_publish import publish_due
from tests.catalog.helpers import publish
from tests.market.helpers import baltic_pellets
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER

INDEX = "pellets-a1-baltic-fca"


@pytest.mark.journey
async def test_an_indexed_contracts_call_offs_are_priced_from_the_index_or_say_they_are_not(
        world, clock):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram",
                           address=str(TELEGRAM_USER), roles=("seller",), display_name="Sam",
                           country="LV", city="Riga")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="EE", city="Tallinn")
    listing_id = await publish(app, sam, negotiable="yes", min_order="20", quantity="500")

    await world.bob_drafts_an_offer(listing_id, "100", "200")
    await world.bob_presses("Deliver in call-offs")
    await world.bob_fills({"call_offs": "3", "call_off_every": "month"})
    await world.bob_presses("Index the price")
    await world.bob_fills({"price_index": INDEX, "index_premium": "5"})
    await world.bob_sees("📈 Price indexed to Wood pellets ENplus A1, Baltic, FCA + 5,00\xa0€/t")
    await world.bob_presses("Send")
    await world.bob_sees("Sent (offer #")
    mark = world.telegram.mark()
    await world.deliver()
    card = await world.sam_told("Offer #", mark)
    assert "📈 Price indexed to Wood pellets ENplus A1, Baltic, FCA + 5,00\xa0€/t" in card
    await world.sam.tap("Accept", "deal #")
    await world.deliver()
    await world.bob.command("start deal-1")
    await world.bob_sees("no week was published when this call-off was made, so it is the "
                         "contract's agreed 200,00\xa0€")

    await world.bob_presses("accept the terms")
    await world.bob_fills({"street": "Pärnu mnt 10", "postcode": "10148"})
    await world.bob_presses("Accept version 1")
    await world.bob_sees("Waiting for the other party")
    await world.sam_accepts_the_first_terms()
    await world.deliver()
    await world.bob_sees("is running: 3 call-offs, monthly")

    clock.advance(days=30)  # 20 Dec: call-off 2, once the week of 7 Dec is published
    await baltic_pellets(app, {datetime(2026, 12, 9, 12, tzinfo=UTC): ["210", "212", "214"]})
    await publish_due(app.uow)
    [second_id] = await contract_due.run_all(app.uow)  # (the index's trades are deals too)
    await world.deliver()
    await world.bob_sees(f"Deal #{second_id} (call-off 2 of 3, contract #1): 📦 Called off")
    async with app.uow() as uow:
        second = await uow.session.get(Deal, second_id)
        assert (second.price_minor, second.price_index, str(second.index_week)) == (
            21700, INDEX, "2026-12-07")  # €212 + €5
    await world.bob.command(f"start deal-{second_id}")
    await world.bob_sees("📈 Price indexed to Wood pellets ENplus A1, Baltic, FCA + 5,00\xa0€/t, "
                         "from the week of 7 Dec 2026: 217,00\xa0€.")
