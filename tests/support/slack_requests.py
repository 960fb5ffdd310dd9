"""What Slack sends to the app: signed slash commands, interactions and event callbacks."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

EVENTS_PATH = "/slack/events"
_ids = itertools.count(1)


def signed_headers(secret: str, body: str, content_type: str,
                   timestamp: int | None = None) -> dict[str, str]:
    """Headers as Slack signs them: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"content-type": content_type, "x-slack-request-timestamp": stamp,
            "x-slack-signature": signature}


class SlackUser:
    """One person in a Slack workspace, sending signed requests to the app's /slack/events."""

    def __init__(self, http: httpx.AsyncClient, secret: str, user_id: str = "U1ANN",
                 team_id: str = "T0AGORA", name: str = "ann") -> None:
        self.http, self.secret = http, secret
        self.user_id, self.team_id, self.name = user_id, team_id, name

    async def post(self, body: str, content_type: str, *, timestamp: int | None = None,
                   secret: str | None = None) -> httpx.Response:
        headers = signed_headers(secret or self.secret, body, content_type, timestamp)
        return await self.http.post(EVENTS_PATH, content=body.encode(), headers=headers)

    async def command(self, text: str = "", **kwargs: Any) -> httpx.Response:
        """`/agora text` typed in a channel, form-encoded like Slack sends it."""
        n = next(_ids)
        form = {
            "token": "legacy-verification-token", "team_id": self.team_id,
            "team_domain": "agora-test", "channel_id": "C0GENERAL", "channel_name": "general",
            "user_id": self.user_id, "user_name": self.name, "command": "/agora", "text": text,
            "api_app_id": "A0AGORA", "is_enterprise_install": "false",
            "response_url": f"https://hooks.slack.com/commands/{self.team_id}/{n}/x",
            "trigger_id": f"{n}.{n}.trigger{n}",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kwargs)

    async def interact(self, payload: dict[str, Any], **kwargs: Any) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def _who(self) -> dict[str, Any]:
        n = next(_ids)
        return {"user": {"id": self.user_id, "username": self.name, "name": self.name,
                         "team_id": self.team_id},
                "team": {"id": self.team_id, "domain": "agora-test"},
                "api_app_id": "A0AGORA", "token": "legacy-verification-token",
                "trigger_id": f"{n}.{n}.trigger{n}"}

    async def submit(self, view: dict[str, Any], answers: dict[str, Any]) -> httpx.Response:
        """Fill in an opened modal (see `modal_state`) and press its submit button; in a select
        that finds its options as one types (a country), the answer is typed and the first
        option the app suggests is picked (in a multi-select, for each of a list typed)."""
        answers = dict(answers)
        for block in view["blocks"]:
            element = block.get("element") or {}
            typed = answers.get(block.get("block_id"))
            if element.get("type") == "external_select" and isinstance(typed, str) and typed:
                answers[block["block_id"]] = (await self.suggest(view, block, typed))[0]
            elif element.get("type") == "multi_external_select" and isinstance(typed, list):
                answers[block["block_id"]] = [  # each typed, its first suggestion picked
                    t if isinstance(t, dict) else (await self.suggest(view, block, t))[0]
                    for t in typed]
        n = next(_ids)
        submitted = {"id": f"V{n:08d}", "hash": f"{n}.hash", "team_id": self.team_id, **view,
                     "state": {"values": modal_state(view, answers)}}
        payload = {**self._who(), "type": "view_submission", "view": submitted,
                   "response_urls": [], "is_enterprise_install": False}
        return await self.interact(payload)

    async def suggest(self, view: dict[str, Any], block: dict[str, Any], typed: str
                      ) -> list[dict[str, Any]]:
        """What the app offers in a select as `typed` is typed into it (Slack's block
        suggestion); fails, as the person would, when it offers nothing."""
        payload = {**self._who(), "type": "block_suggestion", "value": typed,
                   "action_id": block["element"]["action_id"], "block_id": block["block_id"],
                   "view": {"id": "V0", "type": view["type"], "callback_id": view["callback_id"],
                            "private_metadata": view.get("private_metadata", "")}}
        response = await self.interact(payload)
        assert response.status_code == 200, response.text
        options = response.json().get("options") or []
        assert options, f"nothing offered for {typed!r}"
        return options

    async def click(self, value: str, action_id: str = "agora:1",
                    container: str = "message", message: dict[str, Any] | None = None
                    ) -> httpx.Response:
        """Press a button (in the DM, or on the Home tab with container="view"); `message`,
        the DM message it is on as Slack shows it (FakeSlack.shown), is sent along as Slack
        does, so the app can edit it."""
        where = {"message_ts": message["ts"], "channel_id": message["channel"]} if message else {}
        payload = {**self._who(), "type": "block_actions",
                   **({"message": {k: message[k] for k in ("type", "ts", "text", "blocks", "user")
                                   if k in message}} if message else {}),
                   "container": {"type": container, "channel_id": f"D{self.user_id[1:]}", **where},
                   "channel": {"id": f"D{self.user_id[1:]}", "name": "directmessage"},
                   "response_url": "https://hooks.slack.com/actions/x/y/z",
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b1",
                                "value": value, "text": {"type": "plain_text", "text": "x"},
                                "action_ts": "1700000000.000001"}]}
        return await self.interact(payload)

    async def event(self, event: dict[str, Any], event_id: str | None = None,
                    **kwargs: Any) -> httpx.Response:
        """An Events API callback (JSON) carrying `event`."""
        body = {"token": "legacy-verification-token", "team_id": self.team_id,
                "api_app_id": "A0AGORA", "event": event, "type": "event_callback",
                "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()),
                "authorizations": [{"team_id": self.team_id, "user_id": "U0BOT",
                                    "is_bot": True}]}
        return await self.post(json.dumps(body), "application/json", **kwargs)

    async def dm(self, text: str, **extra: Any) -> httpx.Response:
        """A direct message to the app (message.im)."""
        n = next(_ids)
        event = {"type": "message", "channel_type": "im", "channel": f"D{self.user_id[1:]}",
                 "user": self.user_id, "text": text, "ts": f"1700000100.{n:06d}",
                 "team": self.team_id, **extra}
        return await self.event(event)

    async def open_home(self) -> httpx.Response:
        return await self.event({"type": "app_home_opened", "user": self.user_id,
                                 "channel": f"D{self.user_id[1:]}", "tab": "home",
                                 "event_ts": "1700000200.000001"})


def modal_state(view: dict[str, Any], answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Element states for `answers` by block_id, as Slack reports them for the modal's elements.

    Selects and checkboxes must offer the answered values, or this fails like a person who
    can't find the option would.
    """
    states: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element, answer = block["element"], answers.get(block["block_id"])
        kind = element["type"]
        state: dict[str, Any] = {"type": kind}
        options = {o["value"]: o for o in element.get("options") or []}
        if kind in ("static_select", "radio_buttons"):
            state["selected_option"] = options[answer] if answer is not None else None
        elif kind == "conversations_select":
            state["selected_conversation"] = answer
        elif kind == "external_select":  # an option the app suggested (SlackUser.submit)
            state["selected_option"] = answer if isinstance(answer, dict) else None
        elif kind == "multi_external_select":  # options the app suggested, or those shown
            state["selected_options"] = [a for a in answer or [] if isinstance(a, dict)]
        elif kind in ("checkboxes", "multi_static_select"):
            state["selected_options"] = [options[v] for v in answer or []]
        elif kind == "datetimepicker":
            state["selected_date_time"] = answer
        elif kind == "datepicker":
            state["selected_date"] = answer
        elif kind == "file_input":
            state["files"] = [{"id": f} for f in answer or []]
        else:
            state["value"] = answer
        states[block["block_id"]] = {element["action_id"]: state}
    return states
