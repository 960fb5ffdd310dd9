"""Only Slack may talk to the app: signatures, timestamps, and retries that change nothing."""

from __future__ import annotations

import asyncio
import json
import time

from sqlalchemy import func, select

from core.storage.tables import Conversation
from tests.slack.conftest import SIGNING_SECRET, SlackWorld, message_text
from tests.support.slack_requests import signed_headers


async def _conversations(slack: SlackWorld) -> int:
    async with slack.app.uow() as uow:
        return (await uow.session.execute(select(func.count(Conversation.id)))).scalar_one()


async def test_a_request_signed_with_the_wrong_secret_is_refused_and_changes_nothing(
        slack: SlackWorld):
    response = await slack.user.command("", secret="not-the-signing-secret")

    assert response.status_code == 401
    assert slack.fake.calls == []
    assert await _conversations(slack) == 0


async def test_a_tampered_body_is_refused(slack: SlackWorld):
    body = "command=%2Fagora&text=&user_id=U1ANN&team_id=T0AGORA&trigger_id=1.1.x"
    headers = signed_headers(SIGNING_SECRET, body, "application/x-www-form-urlencoded")
    tampered = body.replace("U1ANN", "U2EVE")

    response = await slack.http.post("/slack/events", content=tampered, headers=headers)

    assert response.status_code == 401
    assert await _conversations(slack) == 0


async def test_a_request_older_than_five_minutes_is_refused_even_if_correctly_signed(
        slack: SlackWorld):
    response = await slack.user.command("", timestamp=int(time.time()) - 6 * 60)

    assert response.status_code == 401
    assert slack.fake.calls == []
    assert await _conversations(slack) == 0


async def test_an_event_that_slack_retries_is_answered_once(slack: SlackWorld):
    await slack.register()
    before = len(slack.fake.calls_to("chat.postMessage"))
    event = {"type": "message", "channel_type": "im", "channel": "D1ANN", "user": "U1ANN",
             "text": "12 34", "ts": "1700000300.000001", "team": "T0AGORA"}

    first = await slack.user.event(event, event_id="Ev0RETRY")
    answers = await slack.new_posts(before)
    second = await slack.user.event(event, event_id="Ev0RETRY")
    await slack.settle()

    assert first.status_code == second.status_code == 200
    assert "The code is 6 digits" in message_text(answers[0])
    assert len(slack.fake.calls_to("chat.postMessage")) == before + len(answers)


async def test_slacks_url_verification_challenge_is_answered(slack: SlackWorld):
    body = json.dumps({"token": "legacy", "challenge": "c4a11e", "type": "url_verification"})

    response = await slack.user.post(body, "application/json")

    assert response.status_code == 200
    assert response.json() == {"challenge": "c4a11e"}


async def test_the_slash_command_is_acknowledged_before_the_engine_answers(slack: SlackWorld,
                                                                           monkeypatch):
    release = asyncio.Event()
    real_handle = slack.app.engine.handle

    async def slow_handle(env):
        await release.wait()
        return await real_handle(env)

    monkeypatch.setattr(slack.app.engine, "handle", slow_handle)

    response = await asyncio.wait_for(slack.user.command(""), 2)

    assert response.status_code == 200
    assert slack.fake.calls_to("views.open") == []
    release.set()
    await slack.fake.wait_for("views.open")


async def test_with_an_app_token_the_app_takes_commands_over_socket_mode(slack: SlackWorld):
    slack.app.settings.slack_app_token = slack.fake.app_token
    await slack.channel.start()
    try:
        await slack.fake.push({
            "envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
            "payload": {"command": "/agora", "text": "", "user_id": "U1ANN", "team_id": "T0AGORA",
                        "user_name": "ann", "channel_id": "C0GENERAL",
                        "trigger_id": "9.9.socket", "api_app_id": "A0AGORA",
                        "response_url": "https://hooks.slack.com/commands/x"}})

        view = (await slack.fake.wait_for("views.open"))["view"]
        assert view["blocks"][0]["block_id"] == "display_name"
        for _ in range(200):  # the ack went out first, over the socket
            if slack.fake.socket_acks:
                break
            await asyncio.sleep(0.01)
        assert slack.fake.socket_acks[0]["envelope_id"] == "env-1"
    finally:
        await slack.channel.stop()
    assert slack.fake.calls_to("apps.connections.open")
