"""Boards across channels, end to end: a Slack member (signed requests into the real slack-bolt
app) follows “Pellet quality”; a Telegram member (the real python-telegram-bot application
against a fake Bot API) posts there; the post reaches Slack, where it is answered from the
notice's Reply button; the reply reaches the Telegram member, who reacts to it."""

from __future__ import annotations

import pytest

from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER

POST = "Has anyone had ENplus A1 pellets rejected for fines above 1%?"


@pytest.mark.journey
async def test_a_telegram_post_reaches_a_slack_follower_whose_reply_comes_back(world):
    app = world.app
    await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                     roles=("seller",), display_name="Sam", country="LV", city="Riga")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="EE", city="Tallinn")

    # Bob follows the board from Slack.
    assert (await world.bob.command("boards")).status_code == 200
    await _settle()
    await world.bob_sees("Boards")
    await world.bob_presses("Pellet quality")
    await world.bob_sees("🗣 Pellet quality (page 1 of 1)")
    await world.bob_presses("Follow")
    await world.bob_sees("You follow this board")

    # Sam posts from Telegram.
    await world.sam.say("/boards", "Boards")
    await world.sam.tap("Pellet quality", "Pellet quality (page 1 of 1)")
    await world.sam.tap("New post", "Type your post")
    await world.sam.say(POST, "Posted")

    # Bob reads it on Slack and answers from the notice.
    notice = await world.bob_sees("Pellet quality — Sam posted")
    assert POST in str(notice)
    await world.bob_presses("Reply")
    await world.bob_sees("Type your reply")
    await world.bob.dm("Yes — twice last winter; ask for a sieve test at loading.")
    await _settle()
    await world.bob_sees("Replied")

    # Sam gets the reply on Telegram, once, and reacts to the post from it.
    mark = world.telegram.mark()
    said = await world.sam_told("Bob replied to Sam's post", mark)
    assert "sieve test at loading" in said
    await world.deliver()
    replies = [c for c in world.telegram.calls[mark:] if c.method == "sendMessage"
               and "Bob replied" in str(c.params.get("text"))]
    assert len(replies) == 1
    await world.sam.tap("💡", "💡 1")
    assert not [p for p in world.slack.calls_to("chat.postMessage")
                if p.get("channel") == SLACK_USER and "Bob replied" in str(p)]
