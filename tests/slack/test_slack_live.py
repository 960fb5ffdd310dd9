"""A Slack DM kept current, through the real bolt app: a pressed button's answer takes its
message's place (chat.update), a prompt answered by typing loses its buttons, a finished step
does not post the menu again, and `/agora` shows the menu to the person only, where they typed
it."""

from __future__ import annotations

from bots.slack.live import is_prompt
from tests.catalog.helpers import make_account, publish
from tests.slack.conftest import message_text
from tests.support.accounts import registered
from tests.support.fake_slack import button_values


async def test_a_pressed_buttons_answer_takes_its_messages_place(slack):
    await registered(slack.app, "T0AGORA:U1ANN", channel="slack", address="U1ANN",
                     display_name="Ann")
    listing_id = await publish(slack.app, await make_account(slack.app, "sam"))
    await slack.user.command(f"view {listing_id}")
    card = await slack.posted("ENplus A1 wood pellets")
    posts = len(slack.fake.calls_to("chat.postMessage"))
    value, message = slack.fake.newest_button(slack.user.user_id, "Ask the seller")
    assert (await slack.user.click(value, message=message)).status_code == 200
    update = await slack.fake.wait_for("chat.update", lambda p: "Message" in message_text(p))
    assert update["ts"] == message["ts"] == card["_where"][1]
    await slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == posts  # nothing new posted
    # Typing the message answers the prompt: it keeps its words, loses its buttons.
    await slack.user.dm("Are the pellets bagged?")
    await slack.posted("Sent to")
    await slack.settle()
    prompts = [m for m in slack.fake.shown(slack.user.user_id) if is_prompt(m["blocks"])]
    assert len(prompts) == 1 and "Sent to" in message_text(prompts[0])
    assert "Message" in message_text(slack.fake.messages[card["_where"]])


async def test_slash_agora_shows_the_menu_to_the_person_only_where_they_typed_it(slack):
    await registered(slack.app, "T0AGORA:U1ANN", channel="slack", address="U1ANN",
                     display_name="Ann")
    posts = len(slack.fake.calls_to("chat.postMessage"))
    await slack.user.command("")
    menu = await slack.fake.wait_for("chat.postEphemeral")
    assert menu["channel"] == "C0GENERAL" and menu["user"] == slack.user.user_id
    assert "🔎 Search bioenergy" in button_values(menu["blocks"])
    await slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == posts
    # Where the app is not a member, the menu goes to the DM instead.
    slack.fake.not_in.add("C0GENERAL")
    await slack.user.command("")
    await slack.posted("Main menu")
