"""Following a price index in chat, end to end: a Telegram seller follows it from the site's
link (`/start index-1`, the real python-telegram-bot application against a fake Bot API), a
Slack buyer in German from /index's list (signed requests into slack-bolt); when the weekly job
publishes the week each is told once, in their own language and format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.market.index_publish import publish_due
from tests.market.helpers import baltic_pellets
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER


@pytest.mark.journey
async def test_members_follow_an_index_in_chat_and_each_hears_the_week_once(world):
    app = world.app
    await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                     roles=("seller",), display_name="Sam", country="IE", city="Dublin")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="DE", city="Munich", language="de")

    await world.sam.say("/start index-1", "Wood pellets ENplus A1, Baltic, FCA")
    await world.sam.tap("🔔 Follow: its value every week", "You'll get its value here")
    await world.bob.command("index")
    await _settle()
    await world.bob_sees("Agora-Preisindizes")
    await world.bob_presses("Holzpellets ENplus A1, Baltikum, FCA")
    await world.bob_sees("Noch keine Woche veröffentlicht.")
    await world.bob_presses("🔔 Folgen: jede Woche sein Wert")
    await world.bob_sees("Sie erhalten seinen Wert hier")

    await baltic_pellets(app, {datetime(2026, 11, 11, 12, tzinfo=UTC): ["210", "212", "214"]})
    since = len(world.telegram.calls)
    await publish_due(app.uow)
    told = await world.sam_told("Wood pellets ENplus A1, Baltic, FCA, week of 9 Nov 2026", since)
    assert "€212.00/t · €44.17/MWh" in told and "30 t in 3 trades" in told
    await world.bob_sees("Holzpellets ENplus A1, Baltikum, FCA, Woche vom 9. Nov. 2026: "
                         "212,00\xa0€/t · 44,17\xa0€/MWh")
    await publish_due(app.uow)  # a rerun tells no one again
    await world.deliver()
    assert sum("week of 9 Nov" in str(c.params.get("text")) for c in world.telegram.calls) == 1
    assert len([t for t in world.slack.posted_texts(SLACK_USER) if "Woche vom" in t]) == 1
