"""`/market` on Telegram (the real python-telegram-bot against a fake Bot API) and on Slack
(signed requests into the real slack-bolt app, a fake Web API), and the chart on the App Home."""

from __future__ import annotations

import pytest

from tests.catalog.helpers import publish
from tests.market.helpers import monthly
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER


@pytest.mark.journey
async def test_a_telegram_seller_and_a_slack_buyer_read_the_market_with_its_chart(world):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram", roles=("seller",),
                           address=str(TELEGRAM_USER), display_name="Sam", country="LV",
                           city="Riga")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           roles=("buyer",), display_name="Bob", country="LV")
    riga = await publish(app, sam, price="230")
    await monthly(app, riga, bob.id, app.clock.now(), ["50", "51", "52", "53", "54", "55",
                                                       "56", "57", "58", "59", "60", "61"])

    mark = world.telegram.mark()
    await world.sam.say("/market", "which product")
    # Fitting the forecast and drawing four panels takes seconds on a busy 2-core CI machine.
    await world.sam.tap("Wood pellets", "Completed deals: 12", timeout=30)
    photo = await world.telegram.wait_for("sendPhoto", since=mark)
    assert photo.params["chat_id"] == str(TELEGRAM_USER)
    said = "\n".join(world.telegram.texts(TELEGRAM_USER, since=mark))
    assert "Wood pellets — Latvia" in said and "Forecast (80 % interval)" in said

    await world.bob.command("market pellets")
    await _settle()
    await world.bob_sees("Completed deals: 12")
    upload = await world.slack.wait_for("files.completeUploadExternal")
    assert upload.get("channel_id")  # the chart went into a DM
    assert any(content.startswith(b"\x89PNG") for content in world.slack.uploads.values())

    await world.bob.open_home()
    home = await world.slack.wait_for("views.publish", within=30)  # its chart drawn again
    images = [b for b in home["view"]["blocks"] if b["type"] == "image"]
    assert images and images[0]["alt_text"].startswith("Charts of Wood pellets in Latvia")
