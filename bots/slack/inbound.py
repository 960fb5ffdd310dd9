"""What arrives from Slack as neutral messages: the slash command's text, a direct message (text
or file), and whose it is."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request, Response
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_sdk.signature import SignatureVerifier

from bots.slack import blocks
from conversations.messages import Command, Envelope, FileUpload, Inbound, Text
from conversations.sanitise import clean_message, clean_text

COMMAND = "/agora"


def to_command(text: object) -> Command:
    """`/agora` → start; `/agora link CODE` → Command("link", "CODE")."""
    words = blocks.unescape(clean_text(text, 2048)).strip().split(maxsplit=1)
    if not words:
        return Command("start")
    return Command(words[0].lstrip("/").lower(), words[1] if len(words) > 1 else "")


def to_inbound(event: dict[str, Any]) -> Inbound:
    """A direct message: its first file if it carries one, otherwise its text."""
    files = event.get("files") or []
    if isinstance(files, list) and files and isinstance(files[0], dict):
        first = files[0]
        mime = clean_text(first.get("mimetype") or "application/octet-stream", 100)
        return clean_message(FileUpload(
            file_id=str(first.get("id", "")), file_name=str(first.get("name", "")),
            mime_type=mime, size=first.get("size") or 0,
            kind="photo" if mime.startswith("image/") else "document"))  # type: ignore[return-value]
    return Text(blocks.unescape(clean_text(event.get("text"), 4096)))


def envelope(team_id: str, user_id: str, message: Inbound, event_id: str | None,
             display_name: str = "") -> Envelope:
    """Slack's identity is team + user; the conversation lives in the user's DM with the app."""
    return Envelope(channel="slack", user_key=f"{team_id}:{user_id}", chat_id=user_id,
                    message=message, event_id=event_id[:128] if event_id else None,
                    display_name=display_name, can_show_forms=True, command_prefix=f"{COMMAND} ")


async def refusal(request: Request, signing_secret: str) -> Response | None:
    """Refuse at once what is not a well-formed, signed Slack request (401 unsigned or stale,
    400 unreadable); None lets bolt handle it."""
    stamp = request.headers.get("x-slack-request-timestamp", "")
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) < 12):
        return Response("invalid request timestamp", status_code=401)
    body = await request.body()
    verifier = SignatureVerifier(signing_secret)
    if not verifier.is_valid(body, stamp, request.headers.get("x-slack-signature", "")):
        return Response("invalid request signature", status_code=401)
    try:
        _parsed(body.decode("utf-8"), request.headers.get("content-type", ""))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested past the parser
        return Response("unreadable body", status_code=400)
    return None


def _parsed(text: str, content_type: str) -> dict[str, Any]:
    """The body as Slack sends it: JSON (events) or a form, whose `payload` is JSON."""
    if "json" in content_type:
        data = json.loads(text)
    else:
        form = parse_qs(text)
        payload = form.get("payload")
        data = json.loads(payload[0]) if payload else {k: v[0] for k, v in form.items()}
    if not isinstance(data, dict) or not _shape_ok(data):
        raise ValueError("not a Slack request of a known shape")
    return data


INTERACTIONS = ("block_actions", "view_submission", "view_closed", "shortcut", "message_action")


def _shape_ok(data: dict[str, Any]) -> bool:
    """What bolt reads without checking, before any listener of ours runs: the ids it takes
    into its context, the action's id, the view's callback id, the event's type. A request
    that would break bolt there is refused here, as a 400, instead of failing inside it."""
    try:
        build_async_context(AsyncBoltContext({}), data)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return False
    if not _ids_ok(data):
        return False
    kind = data.get("type")
    if kind in INTERACTIONS and not (isinstance(data.get("user"), dict)
                                     and is_id(data["user"].get("id"))):
        return False
    if "event" in data and not _event_ok(data["event"]):
        return False
    if "view" in data and not isinstance(data["view"], dict):
        return False
    if kind == "block_actions":
        actions = data.get("actions")
        return isinstance(actions, list) and bool(actions) and all(
            isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    if kind in ("view_submission", "view_closed"):
        return _view_ok(data.get("view"))
    if kind == "event_callback":
        return "event" in data
    if "command" in data:
        return all(is_id(data.get(key)) for key in ("command", "team_id", "user_id"))
    return True


ID_FIELDS = ("team_id", "user_id", "api_app_id", "enterprise_id", "channel_id")


def _ids_ok(data: dict[str, Any]) -> bool:
    """Every id Slack sends that Agora stores or looks up is an id (no NUL, which PostgreSQL
    refuses, nor any other control character): at the top and in `team` and `user`. (An
    event's own `user` is checked where it is read: such an event is ignored with a 200, so
    Slack does not send it again.)"""
    values = [data[key] for key in ID_FIELDS if data.get(key) is not None]
    for holder in ("team", "user"):
        if isinstance(data.get(holder), dict) and data[holder].get("id") is not None:
            values.append(data[holder]["id"])
    return all(is_id(value) for value in values)


def _event_ok(event: object) -> bool:
    return isinstance(event, dict) and isinstance(event.get("type", ""), str) and isinstance(
        event.get("subtype", ""), str | None)


def _view_ok(view: object) -> bool:
    return isinstance(view, dict) and isinstance(view.get("type"), str) and isinstance(
        view.get("callback_id"), str)


def is_id(value: object) -> bool:
    """A Slack id as Slack sends one: a short non-empty string of printable characters."""
    return (isinstance(value, str) and 0 < len(value) <= 255 and value.isprintable()
            and bool(value.strip()))


MALFORMED = (KeyError, IndexError, TypeError, ValueError, AttributeError)


def _text(value: object) -> str:
    """A Slack id or string field, whatever JSON type it arrived as."""
    return "" if value is None or isinstance(value, dict | list) else str(value)


def _who(body: dict[str, Any]) -> tuple[str, str]:
    """(team id, user id) of an interaction; KeyError when there is no user."""
    user = body["user"]
    team = user.get("team_id") or (body.get("team") or {}).get("id", "")
    if not user.get("id"):
        raise KeyError("user")
    return _text(team), _text(user["id"])
