"""Whatever arrives at /slack/events gets a clean 2xx or 4xx, never a traceback."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest

from tests.slack.conftest import SIGNING_SECRET, SlackWorld
from tests.support.slack_requests import signed_headers

FORM = "application/x-www-form-urlencoded"


async def _post(slack: SlackWorld, body: str, content_type: str, **headers: str):
    sent = {**signed_headers(SIGNING_SECRET, body, content_type), **headers}
    return await slack.http.post("/slack/events", content=body, headers=sent)


@pytest.mark.parametrize("timestamp", ["soon", "", "1e9", "12.5", "9" * 40])
async def test_a_timestamp_that_is_not_a_number_is_refused(slack: SlackWorld, timestamp, caplog):
    response = await _post(slack, "command=%2Fagora", FORM,
                           **{"x-slack-request-timestamp": timestamp})
    assert response.status_code == 401
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(("body", "content_type"), [
    ("{not json", "application/json"),
    ("payload=%7Bnot+json", FORM),
    ("payload=%5B1%2C2%5D", FORM),
    ("[1, 2, 3]", "application/json"),
    ("[" * 50_000, "application/json"),
    ("payload=" + "%5B" * 50_000, FORM),
])
async def test_a_signed_body_that_does_not_parse_is_a_bad_request(slack: SlackWorld, body,
                                                                  content_type, caplog):
    response = await _post(slack, body, content_type)
    assert response.status_code == 400
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("payload", [
    {"type": "block_actions", "actions": [], "user": {"id": "U1ANN", "team_id": "T0AGORA"}},
    {"type": "block_actions", "actions": [{"action_id": "agora:1", "value": 42}],
     "user": {"id": "U1ANN", "team_id": "T0AGORA"}, "trigger_id": "1.2.3"},
    {"type": "view_submission", "view": {"callback_id": "agora_form"},
     "user": {"id": "U1ANN", "team_id": "T0AGORA"}},
    {"type": "view_submission", "view": {"type": "modal", "callback_id": "agora_form",
                                         "private_metadata": "{]", "state": 7},
     "user": {"id": "U1ANN", "team_id": "T0AGORA"}},
])
async def test_odd_interaction_payloads_are_answered_cleanly(slack: SlackWorld, payload, caplog):
    caplog.set_level(logging.INFO)
    body = "payload=" + json.dumps(payload).replace("%", "%25").replace("&", "%26").replace(
        "+", "%2B").replace("=", "%3D")
    response = await _post(slack, body, FORM)
    assert response.status_code < 500
    await slack.settle()
    assert "Traceback" not in caplog.text


ANN_USER = {"id": "U1ANN", "team_id": "T0AGORA"}


@pytest.mark.parametrize("payload", [
    {"type": "block_actions", "actions": [{"value": "menu"}], "user": ANN_USER,
     "trigger_id": "1.2.3"},
    {"type": "block_actions", "actions": [{"action_id": ["agora:1"], "value": "menu"}],
     "user": ANN_USER, "trigger_id": "1.2.3"},
    {"type": "block_actions", "actions": [{"action_id": "agora:1", "value": "menu"}],
     "user": ["U1ANN"], "trigger_id": "1.2.3"},
    {"type": "block_actions", "actions": [{"action_id": "agora:1", "value": "menu"}],
     "user": {"id": "", "team_id": "T0AGORA"}, "trigger_id": "1.2.3"},
    {"type": "view_submission", "user": {"id": "", "team_id": "T0AGORA"},
     "view": {"type": "modal", "callback_id": "agora_form"}},
    {"type": "block_actions", "actions": [{"action_id": "agora:1"}], "user": ANN_USER,
     "authorizations": True},
])
async def test_a_signed_interaction_bolt_could_not_read_is_a_bad_request_and_logs_no_error(
        slack: SlackWorld, payload, caplog):
    body = urlencode({"payload": json.dumps(payload)})
    response = await _post(slack, body, FORM)
    await slack.settle()
    assert response.status_code == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("team_id", ["\x00", "T0\x00AGORA", "T\n"])
async def test_a_signed_event_from_a_team_id_with_control_characters_is_a_bad_request(
        slack: SlackWorld, team_id, caplog):
    body = json.dumps({"team_id": team_id, "api_app_id": "A0AGORA", "type": "event_callback",
                       "event_id": "Ev1", "event": {"type": "app_home_opened", "user": "U1ANN",
                                                    "tab": "home"}})
    response = await _post(slack, body, "application/json")
    await slack.settle()
    assert response.status_code == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert slack.fake.calls_to("views.publish") == []


@pytest.mark.parametrize("fields", [{"user_id": ""}, {"user_id": "  "}, {"team_id": ""},
                                    {"user_id": "U1\x00"}])
async def test_a_signed_slash_command_without_a_user_is_a_bad_request(slack: SlackWorld,
                                                                     fields, caplog):
    form = {"command": "/agora", "text": "", "team_id": "T0AGORA", "user_id": "U1ANN",
            "trigger_id": "1.2.3", **fields}
    response = await _post(slack, urlencode(form), FORM)
    await slack.settle()
    assert response.status_code == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert slack.fake.calls_to("views.open") == []


@pytest.mark.parametrize("user", [["U1ANN"], {"id": "U1ANN"}, ""])
async def test_a_signed_event_whose_user_is_not_an_id_is_ignored(slack: SlackWorld, user, caplog):
    for event in ({"type": "message", "channel_type": "im", "text": "hi", "ts": "1.5"},
                  {"type": "app_home_opened", "tab": "home"}):
        response = await slack.user.event({**event, "user": user, "channel": "D1ANN"},
                                          event_id=f"Ev{time.time_ns()}")
        assert response.status_code == 200
    await slack.settle()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert slack.fake.calls_to("chat.postMessage") == slack.fake.calls_to("views.publish") == []


@pytest.mark.parametrize("event", [
    {"type": "message", "channel_type": "im", "user": "U1ANN", "text": 42, "ts": "1.2"},
    {"type": "message", "channel_type": "im", "user": "U1ANN", "ts": "1.3", "subtype": "file_share",
     "files": [{"id": "F1", "name": "a.pdf", "mimetype": "application/pdf", "size": "big"}]},
    {"type": "message", "channel_type": "im", "user": "U1ANN", "text": "\x00nul \ud800 here",
     "ts": "1.4"},
])
async def test_odd_messages_are_answered_cleanly(slack: SlackWorld, event, caplog):
    await slack.register()
    response = await slack.user.event({**event, "channel": "D1ANN", "team": "T0AGORA"},
                                      event_id=f"Ev{time.time_ns()}")
    assert response.status_code == 200
    await slack.settle()
    assert "Traceback" not in caplog.text and "Sorry, something went wrong" not in str(
        slack.fake.calls_to("chat.postMessage"))


async def test_a_home_tab_button_whose_view_names_no_callback_id_is_still_answered(
        slack: SlackWorld, caplog):
    payload = {"type": "block_actions", "user": ANN_USER, "trigger_id": "1.2.3",
               "container": {"type": "view", "view_id": "V1"}, "view": {"type": "home"},
               "actions": [{"action_id": "agora:1", "value": "@menu"}]}
    response = await _post(slack, urlencode({"payload": json.dumps(payload)}), FORM)
    await slack.settle()
    assert response.status_code == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
