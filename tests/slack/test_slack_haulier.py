"""A member on Slack declares themselves a haulier in one modal (the loading types as
checkboxes, the capacity unit a select); a country that is not a two-letter code is marked
under the routes."""

from __future__ import annotations

from core.deals.freight.tables import Haulier
from tests.slack.conftest import SlackWorld
from tests.support.accounts import registered


async def test_a_slack_member_declares_the_routes_loading_and_capacity_they_haul(slack: SlackWorld):
    account = await registered(slack.app, "T0AGORA:U1ANN", channel="slack", address="U1ANN",
                               display_name="Ann", country="LV", city="Riga")
    await slack.user.command("haulier")
    view = (await slack.fake.wait_for("views.open", lambda p: '"haulier"' in str(p)))["view"]
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"]}
    assert kinds["loading"] == "checkboxes" and kinds["unit"] == "static_select"
    wrong = await slack.user.submit(view, {"routes": "Latvia", "loading": ["bags"],
                                           "capacity": "20", "unit": "t"})
    assert set(wrong.json()["errors"]) == {"routes"}
    done = await slack.user.submit(view, {"routes": "lv, ee, LV-DE", "loading": ["tipper", "bags"],
                                          "capacity": "90", "unit": "m3"})
    assert done.content in (b"", b"{}"), done.text
    await slack.posted("Routes: LV, EE, LV-DE")
    async with slack.app.uow() as uow:
        row = await uow.get(Haulier, account.id)
        assert (row.routes, row.loading_types, row.capacity_milli, row.unit) == (
            ["LV", "EE", "LV-DE"], ["tipper", "bags"], 90_000, "m3")
