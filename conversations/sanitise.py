"""The one place text from outside is made safe to store and show: every channel's inbound
translator passes its neutral message through `clean_message` before the engine sees it.

Removes NUL and other control characters (PostgreSQL refuses NUL in text), replaces lone
surrogates (they can't be encoded), and bounds every length, so nothing past the edge needs to
think about hostile text."""

from __future__ import annotations

import math
import re
from dataclasses import replace

from conversations.messages import (
    Choice,
    Command,
    Envelope,
    FileUpload,
    FormSubmission,
    Inbound,
    Location,
    Text,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LIMITS = {"text": 4096, "command": 32, "args": 1024, "choice": 128, "value": 4096, "name": 200,
          "id": 256}


def clean_text(value: object, limit: int) -> str:
    """Any value as safe text of at most `limit` characters."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates → “?”
    return _CONTROL.sub("", text)[:limit]


def _size(value: object) -> int:
    try:
        size = int(str(value))
    except ValueError:
        return 0
    return max(size, 0)


def clean_message(message: Inbound) -> Inbound | None:
    """The message with safe values; None for a location off the map."""
    if isinstance(message, Text):
        return Text(clean_text(message.text, LIMITS["text"]))
    if isinstance(message, Command):
        name = clean_text(message.name, LIMITS["command"]).lower()
        return Command(name if name.isascii() else "", clean_text(message.args, LIMITS["args"]))
    if isinstance(message, Choice):
        return Choice(clean_text(message.data, LIMITS["choice"]))
    if isinstance(message, FileUpload):
        return FileUpload(clean_text(message.file_id, LIMITS["id"]),
                          clean_text(message.file_name, LIMITS["name"]) or "file",
                          clean_text(message.mime_type, 100), _size(message.size), message.kind)
    if isinstance(message, Location):
        lat, lon = message.latitude, message.longitude
        ok = all(isinstance(v, int | float) and math.isfinite(v) for v in (lat, lon))
        return message if ok and -90 <= lat <= 90 and -180 <= lon <= 180 else None
    if isinstance(message, FormSubmission):
        values = {clean_text(k, 64): (
            [clean_text(v, LIMITS["value"]) for v in value[:50]] if isinstance(value, list)
            else None if value is None else clean_text(value, LIMITS["value"]))
            for k, value in list(message.values.items())[:100]}
        return FormSubmission(clean_text(message.form_id, 64), values,
                              clean_text(message.token, 16))
    return message


def clean_envelope(env: Envelope) -> Envelope | None:
    """The envelope with a safe message and identifiers; None when nothing usable is left."""
    message = clean_message(env.message)
    if message is None:
        return None
    return replace(env, message=message, user_key=clean_text(env.user_key, 128),
                   chat_id=clean_text(env.chat_id, 128),
                   event_id=clean_text(env.event_id, 160) if env.event_id else None,
                   display_name=clean_text(env.display_name, 100))
