"""What arrives from Slack as neutral messages: the slash command's text, a direct message (text
or file), and whose it is."""

from __future__ import annotations

from typing import Any

from bots.slack import blocks
from conversations.messages import Command, Envelope, FileUpload, Inbound, Text

COMMAND = "/agora"


def to_command(text: str) -> Command:
    """`/agora` → start; `/agora link CODE` → Command("link", "CODE")."""
    words = blocks.unescape(text or "").strip().split(maxsplit=1)
    if not words:
        return Command("start")
    return Command(words[0].lstrip("/").lower(), words[1] if len(words) > 1 else "")


def to_inbound(event: dict[str, Any]) -> Inbound:
    """A direct message: its first file if it carries one, otherwise its text."""
    files = event.get("files") or []
    if files:
        first = files[0]
        mime = str(first.get("mimetype") or "application/octet-stream")
        return FileUpload(file_id=str(first.get("id", "")), file_name=str(first.get("name", "")),
                          mime_type=mime, size=int(first.get("size") or 0),
                          kind="photo" if mime.startswith("image/") else "document")
    return Text(blocks.unescape(event.get("text") or ""))


def envelope(team_id: str, user_id: str, message: Inbound, event_id: str | None,
             display_name: str = "") -> Envelope:
    """Slack's identity is team + user; the conversation lives in the user's DM with the app."""
    return Envelope(channel="slack", user_key=f"{team_id}:{user_id}", chat_id=user_id,
                    message=message, event_id=event_id[:128] if event_id else None,
                    display_name=display_name, can_show_forms=True, command_prefix=f"{COMMAND} ")
