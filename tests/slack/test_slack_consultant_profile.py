"""A consultant on Slack fills in their profile in one modal: offering sampling and lab analysis,
they name the countries they sample in in a multi-select that finds each country as it is typed
(a required answer then), and the preview names them in the reader's language."""

from __future__ import annotations

from core.consulting.profiles import service as profiles
from tests.slack.conftest import SlackWorld
from tests.support.accounts import registered

ESSENTIALS = {"headline": "Sampling and lab analysis of pellets",
              "bio": "Twenty years of sampling by ISO 18135 in Baltic ports and plants.",
              "categories": ["sampling-lab"], "languages": "en, lv", "rate_kind": "session",
              "session_minutes": "60", "price": "90", "inspection_fee": "150",
              "weekly_hours": "Mon-Fri 08:00-17:00"}


async def test_an_inspector_picks_the_countries_they_sample_in_found_as_typed(slack: SlackWorld):
    account = await registered(slack.app, "T0AGORA:U1ANN", channel="slack", address="U1ANN",
                               roles=("consultant",), display_name="Ann", country="LV")
    await slack.user.command("consultant")
    view = (await slack.fake.wait_for("views.open", lambda p: '"consultant"' in str(p)))["view"]
    [countries] = [b for b in view["blocks"] if b["block_id"] == "countries_served"]
    assert countries["element"]["type"] == "multi_external_select"  # ~250: found as typed
    none = await slack.user.submit(view, ESSENTIALS)
    assert set(none.json()["errors"]) == {"countries_served"}  # an inspector names some
    done = await slack.user.submit(view, {**ESSENTIALS, "countries_served": ["Latv", "Eesti"]})
    assert done.content in (b"", b"{}"), done.text
    await slack.posted("Samples in: Estonia, Latvia")
    async with slack.app.uow() as uow:
        assert (await profiles.own_profile(uow, account.id)).countries_served == ("LV", "EE")
