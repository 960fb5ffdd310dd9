"""Sharing into a channel, through the real bolt app: a listing's or one's deal's card is
shared read-only into the channel the person picks, with their note, "Open in Agora" and the
public page; where Agora is not a member the modal says so under the field; someone else's deal
cannot be shared."""

from __future__ import annotations

from tests.catalog.helpers import make_account, publish
from tests.support.accounts import registered
from tests.support.fake_slack import button_values, section_texts


async def _ann(slack):
    return await registered(slack.app, "T0AGORA:U1ANN", channel="slack", address="U1ANN",
                            display_name="Ann")


async def _share_modal(slack, command: str) -> dict:
    await slack.user.command(command)
    await slack.posted("ENplus A1 wood pellets")
    await slack.settle()
    share = slack.fake.newest_button(slack.user.user_id, "Share")
    assert share is not None
    await slack.user.click(share[0], message=share[1])
    return (await slack.fake.wait_for("views.open", lambda p: p["view"].get(
        "callback_id") == "agora_share"))["view"]


async def test_a_listing_is_shared_into_the_channel_the_person_picks(slack):
    await _ann(slack)
    listing_id = await publish(slack.app, await make_account(slack.app, "sam"))
    view = await _share_modal(slack, f"view {listing_id}")
    [picker] = [b for b in view["blocks"] if b.get("block_id") == "channel"]
    assert picker["element"]["type"] == "conversations_select"
    answer = await slack.user.submit(view, {"channel": "C0TEAM", "note": "Good for Q1 <!here>"})
    assert answer.content in (b"", b"{}"), answer.text
    card = await slack.fake.wait_for("chat.postMessage", lambda p: p["channel"] == "C0TEAM")
    words = "\n".join(section_texts(card["blocks"]))
    assert "ENplus A1 wood pellets" in words and "230.00 per t" in words
    said = card["blocks"][-2]["elements"][0]["text"]
    assert said == "Shared by <@U1ANN>: Good for Q1 &lt;!here&gt;"  # the note, inert
    buttons = button_values(card["blocks"])
    assert buttons["Open in Agora"] == f"view-{listing_id}"
    assert buttons["View the page"].endswith(f"/listings/{listing_id}")


async def test_where_agora_is_not_a_member_the_modal_says_so_under_the_field(slack):
    await _ann(slack)
    listing_id = await publish(slack.app, await make_account(slack.app, "sam"))
    view = await _share_modal(slack, f"view {listing_id}")
    slack.fake.not_in.add("C0SECRET")
    answer = await slack.user.submit(view, {"channel": "C0SECRET"})
    assert set(answer.json()["errors"]) == {"channel"}
    assert "/invite @Agora" in answer.json()["errors"]["channel"]


async def test_someone_elses_deal_cannot_be_shared(slack):
    await _ann(slack)
    await slack.user.command("share deal:1")
    await slack.posted("That deal doesn't exist.")  # to anyone but its parties
    await slack.settle()
    assert not [p for p in slack.fake.calls_to("views.open")
                if p["view"].get("callback_id") == "agora_share"]
