"""The weekly picks across channels, end to end: a buyer on Telegram and one on Slack each get
their own message on their own channel, with reasons and buttons, and “Not interested” works
from both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bots.scheduler import send_weekly_picks
from core.accounts.tables import Account
from core.recommend.tables import PickDeclined
from tests.catalog.helpers import make_account
from tests.recommend.helpers import bought, listing
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER


@pytest.mark.journey
async def test_weekly_picks_reach_telegram_and_slack_and_not_interested_works_on_both(world, clock):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                           display_name="Sam", country="LV", city="Riga")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           display_name="Bob", country="DE", city="Hamburg")
    async with app.uow() as uow:
        for who, zone in ((sam, "Europe/Riga"), (bob, "Europe/Berlin")):
            (await uow.session.get(Account, who.id)).timezone = zone
        await uow.commit()
    seller = await make_account(app, "terminal:sella")
    await bought(app, sam, await listing(app, seller, "pellets", "Riga"), days_ago=12)
    await bought(app, bob, await listing(app, seller, "chips", "Hamburg"), days_ago=20)
    await listing(app, seller, "pellets", "Daugavpils", title="Latgale pellets")
    await listing(app, seller, "chips", "Hamburg", title="Elbe wood chips")

    clock._now = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # Monday 10:30 Riga, 09:30 Berlin
    mark = world.telegram.mark()
    await send_weekly_picks(app)
    await send_weekly_picks(app)  # a second run the same hour sends nothing more

    said = await world.sam_told("Picked for you this week", mark)
    assert "Latgale pellets" in said and "because you bought wood pellets in Latvia once" in said
    assert "Elbe wood chips" not in said
    await world.sam.tap("Not interested", "won't recommend that to you again")

    notice = await world.bob_sees("Picked for you this week")
    assert "because you bought wood chips in Germany once" in str(notice)
    assert "Latgale pellets" not in str(notice)
    await world.bob_presses("Not interested")
    await world.bob_sees("won't recommend that to you again")
    posted = [t for t in world.slack.posted_texts(SLACK_USER) if "Picked for you" in t]
    assert len(posted) == 1

    async with app.uow() as uow:
        rows = (await uow.session.execute(select(PickDeclined))).scalars().all()
        assert sorted(r.account_id for r in rows) == sorted([sam.id, bob.id])
