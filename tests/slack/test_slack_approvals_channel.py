"""Approval cards in a team channel, through the real bolt app: an admin picks the channel in a
modal (one Agora is not in is refused under the field); a purchase above a buyer's limit is
posted there with Approve and Reject; the approver presses Approve on the channel's card, is
answered in her DM, and the channel's card loses its buttons as the decision is posted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.companies import service as companies
from core.deals.approvals import service as approvals
from core.deals.tables import PurchaseRequest
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.companies.test_purchase_approval import terms
from tests.slack.conftest import message_text
from tests.support.accounts import registered
from tests.support.fake_slack import button_values

CHANNEL = "C0BUYING"


def _channel_messages(slack) -> list[dict[str, Any]]:
    """The team channel's messages as they stand now, oldest first."""
    return [m for (where, _ts), m in slack.fake.messages.items() if where == CHANNEL]


async def _company(slack) -> tuple[Any, int]:
    """Alice (on Slack) runs Baltic Heat; Anna buys for it with a 10,000 € limit."""
    alice = await registered(slack.app, "T0AGORA:U1ANN", channel="slack", address="U1ANN",
                             display_name="Alice", roles=("buyer",))
    anna = await make_account(slack.app, "anna", roles=("buyer",))
    listing_id = await publish(slack.app, await make_account(slack.app, "sam"), quantity="500",
                               min_order="20", negotiable="yes")
    async with slack.app.uow() as uow:
        await companies.found(uow, alice.id, "Baltic Heat AS", slack_team="T0AGORA")
        invite = await companies.invite(uow, alice.id, ["buyer"], Money.parse("10000", "EUR"))
        await uow.commit()
    async with slack.app.uow() as uow:
        await companies.join(uow, anna.id, invite.code)
        await uow.commit()
    return anna, listing_id


async def test_approval_cards_go_to_the_channel_the_admin_picks_and_are_decided_there(slack):
    anna, listing_id = await _company(slack)
    await slack.channel.start()  # its sender delivers the outbox
    await slack.user.command("company")
    await slack.posted("Approval cards: by direct message to each approver")
    await slack.settle()
    value, message = slack.fake.newest_button("U1ANN", "Where approvals go")
    await slack.user.click(value, message=message)
    view = (await slack.fake.wait_for("views.open", lambda p: "Where approvals go" in str(
        p["view"]["title"])))["view"]
    [picker] = [b for b in view["blocks"] if b.get("block_id") == "chat"]
    assert picker["element"]["type"] == "conversations_select" and picker["optional"]

    slack.fake.not_in.add("C0SECRET")
    refused = await slack.user.submit(view, {"chat": "C0SECRET"})
    assert "/invite @Agora" in refused.json()["errors"]["chat"]
    chosen = await slack.user.submit(view, {"chat": CHANNEL})
    assert chosen.status_code == 200 and "errors" not in chosen.text
    await slack.posted("Approval cards will be posted in that channel")
    await slack.settle()
    await slack.app.dispatcher.run_once()
    await slack.posted("Purchases of Baltic Heat AS that wait for approval", channel=CHANNEL)

    async with slack.app.uow() as uow:
        held = await approvals.offer(uow, listing_id, anna.id, terms("100", "220"))
        await uow.commit()
    await slack.app.dispatcher.run_once()
    card = await slack.posted("Approval needed: Anna wants to send an offer", channel=CHANNEL)
    assert "22,000.00" in message_text(card)
    assert not [m for m in slack.fake.shown("U1ANN") if "Approval needed" in m["text"]]

    [shown] = [m for m in _channel_messages(slack) if "Approval needed" in m["text"]]
    approve = button_values(shown["blocks"])["✅ Approve"]
    await slack.user.click(approve, message=shown)
    await slack.posted("Approved: it went out in the buyer's name")  # in Alice's DM
    await slack.settle()
    await slack.app.dispatcher.run_once()
    await slack.posted("Alice approved Anna's purchase", channel=CHANNEL)
    [shown] = [m for m in _channel_messages(slack) if "Approval needed" in m["text"]]
    assert button_values(shown["blocks"]) == {}  # the channel's card: decided, no buttons
    assert "Approval needed" in shown["text"]  # its words stay, as a record
    async with slack.app.uow() as uow:
        status = await uow.session.scalar(select(PurchaseRequest.status).where(
            PurchaseRequest.id == held.held))
    assert status == "approved"
