"""What arrives from Slack as neutral messages: the slash command's text, a direct message (text
or file), and whose it is."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request, Response
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
            mime_type=mime, size=first.get("size") or 0,  # type: ignore[arg-type]
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
    except (UnicodeDecodeError, ValueError):
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


def _shape_ok(data: dict[str, Any]) -> bool:
    """What bolt reads without checking: interactions carry a user, button presses at least
    one action, views a type and a callback id, events an event object."""
    kind = data.get("type")
    if kind in ("block_actions", "view_submission", "view_closed", "shortcut",
                "message_action") and not isinstance(data.get("user"), dict):
        return False
    if kind == "block_actions":
        actions = data.get("actions")
        return isinstance(actions, list) and bool(actions) and all(
            isinstance(a, dict) for a in actions)
    if kind in ("view_submission", "view_closed"):
        view = data.get("view")
        return isinstance(view, dict) and isinstance(view.get("type"), str) and isinstance(
            view.get("callback_id"), str)
    if kind == "event_callback":
        return isinstance(data.get("event"), dict)
    return True
