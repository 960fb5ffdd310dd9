"""manifest.yml, the Slack app as a workspace installs it, says what the code does: the slash
command, shortcuts and events the bolt app answers (a signed request for each is handled, one
it does not declare is not), the scopes of every Web API method the app calls, and request and
redirect URLs on the paths the server serves."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bots.slack.channel import EVENTS_PATH
from bots.slack.inbound import COMMAND
from bots.slack.surfaces import EVENTS, SHORTCUTS
from bots.web.site.slack import CALLBACK

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())
# The bot scope each Web API method the app calls needs (Slack's method reference); a method
# not listed here fails the test until its scope is added here and to the manifest.
METHOD_SCOPES = {"chat_postMessage": "chat:write", "chat_update": "chat:write",
                 "chat_postEphemeral": "chat:write",
                 "chat_unfurl": "links:write", "conversations_open": "im:write",
                 # whether the app is in a picked channel, public or private
                 "conversations_info": ("channels:read", "groups:read"),
                 "files_info": "files:read", "files_upload_v2": "files:write",
                 "users_info": "users:read", "views_open": None, "views_update": None,
                 "views_publish": None}
EVENT_SCOPES = {"message.im": "im:history", "link_shared": "links:read", "app_home_opened": None}
CALLED = re.compile(r"client\.((?:chat|conversations|files|users|views|reactions|pins|team)_\w+)\(")


def _called_methods() -> set[str]:
    found = set()
    for path in (ROOT / "bots").rglob("*.py"):
        found |= set(CALLED.findall(path.read_text()))
    return found


def test_the_manifest_declares_the_command_shortcuts_and_events_the_code_registers():
    features, settings = MANIFEST["features"], MANIFEST["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert {s["callback_id"]: s["type"] for s in features["shortcuts"]} == SHORTCUTS
    assert set(settings["event_subscriptions"]["bot_events"]) == set(EVENTS)
    for url in (settings["event_subscriptions"]["request_url"],
                settings["interactivity"]["request_url"], features["slash_commands"][0]["url"],
                settings["interactivity"]["message_menu_options_url"]):  # a country's options
        assert url.endswith(EVENTS_PATH)
    assert all(url.endswith(CALLBACK) for url in MANIFEST["oauth_config"]["redirect_urls"])
    assert "openid" in MANIFEST["oauth_config"]["scopes"]["user"]  # Sign in with Slack
    assert features["unfurl_domains"] and features["app_home"]["home_tab_enabled"]


def test_the_manifest_asks_for_exactly_the_scopes_the_app_uses():
    called = _called_methods()
    assert {"chat_postMessage", "chat_unfurl", "users_info", "views_open"} <= called
    unknown = called - set(METHOD_SCOPES)
    assert not unknown, f"add the scopes of {sorted(unknown)}"
    scopes = [METHOD_SCOPES[m] for m in called]
    needed = {s for found in scopes for s in (found if isinstance(found, tuple) else (found,))}
    needed |= {EVENT_SCOPES[e] for e in EVENTS}
    needed |= {"commands"}  # the slash command and the shortcuts
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed - {None}


async def test_bolt_answers_every_event_and_shortcut_the_manifest_declares(slack):
    for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        kind = event.split(".")[0]
        body = {"type": kind, "user": slack.user.user_id, "channel": "D0X", "tab": "home",
                "channel_type": "im", "text": "hi", "ts": "1700000000.000001", "links": []}
        assert (await slack.user.event(body)).status_code == 200, event
    for shortcut in MANIFEST["features"]["shortcuts"]:
        payload = {**slack.user._who(), "callback_id": shortcut["callback_id"],
                   "type": "shortcut" if shortcut["type"] == "global" else "message_action",
                   "message": {"type": "message", "text": "x", "ts": "1.1"},
                   "channel": {"id": "C0GENERAL"}}
        assert (await slack.user.interact(payload)).status_code == 200, shortcut["name"]
    # What the manifest does not declare, bolt does not answer: the check above means it.
    unknown = {"type": "reaction_added", "user": slack.user.user_id, "reaction": "+1"}
    assert (await slack.user.event(unknown)).status_code == 404
    await slack.settle()
