"""A buyer on Slack asks for supply in one modal (the product a select, the quantity with its
unit; a wrong unit marked under the quantity), previews the request and publishes it with a
button; the seller of chips is asked to quote."""

from __future__ import annotations

from sqlalchemy import select

from core.deals.requests.tables import RequestInvite
from core.deals.tables import SupplyRequest
from tests.catalog.helpers import make_account, publish
from tests.deals.test_supply_requests import CHIPS
from tests.slack.conftest import SlackWorld
from tests.slack.test_slack_listing import button_value


async def test_a_slack_buyer_asks_for_supply_in_one_modal_and_publishes(slack: SlackWorld):
    await slack.register()
    seller = await make_account(slack.app, "aivar", roles=("seller",))
    await publish(slack.app, seller, **CHIPS)
    await slack.user.command("request")
    view = (await slack.fake.wait_for("views.open", lambda p: '"request"' in str(p)))["view"]
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"]}
    assert kinds["product_type"] == "static_select" and kinds["unit"] == "static_select"
    wrong = await slack.user.submit(view, {"product_type": "chips", "quantity": "2000 l",
                                           "unit": None, "place": "Tartu"})
    assert set(wrong.json()["errors"]) == {"quantity"}
    done = await slack.user.submit(view, {"product_type": "chips", "quantity": "2000 t",
                                          "unit": None, "place": "Tartu"})
    assert done.content in (b"", b"{}"), done.text
    preview = await slack.posted("Request for supply: 2\xa0000 t of Wood chips")
    await slack.user.click(button_value(preview, "Publish"))
    await slack.posted("1 seller was asked to quote")
    async with slack.app.uow() as uow:
        request = (await uow.session.execute(select(SupplyRequest))).scalar_one()
        invited = (await uow.session.execute(select(RequestInvite.seller_id))).scalars().all()
        assert (request.quantity_milli, request.unit, invited) == (2_000_000, "t", [seller.id])
