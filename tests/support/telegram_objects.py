"""Bot API objects as JSON for the fake server, and the parameters PTB posts, decoded."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import default as email_policy
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

JSON_PARAMS = {"reply_markup", "commands", "allowed_updates", "scope", "reply_parameters",
               "link_preview_options", "entities", "caption_entities", "media", "results"}


def user(user_id: int, language_code: str = "en") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}",
            "language_code": language_code}


def chat(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}


def photo_sizes(user_id: int) -> list[dict[str, Any]]:
    """Three sizes of one photo, the largest (1280) in the middle as Telegram may order them."""
    return [{"file_id": f"P{user_id}s{w}", "file_unique_id": f"up{w}", "width": w,
             "height": w * 3 // 4, "file_size": w * 100} for w in (90, 1280, 320)]


def document(user_id: int, name: str, mime: str, size: int) -> dict[str, Any]:
    return {"file_id": f"D{user_id}", "file_unique_id": "ud", "file_name": name,
            "mime_type": mime, "file_size": size}


STICKER = {"file_id": "S1", "file_unique_id": "us", "type": "regular", "width": 512,
           "height": 512, "is_animated": False, "is_video": False}


async def parse_params(request: Request) -> dict[str, Any]:
    """Form, multipart or JSON parameters; JSON-encoded nested values are decoded."""
    body = await request.body()
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        return dict(json.loads(body or b"{}"))
    if ctype.startswith("multipart/form-data"):
        params = _multipart(ctype, body)
    else:
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
    params.update(request.query_params)
    for key in JSON_PARAMS & params.keys():
        if isinstance(params[key], str):
            params[key] = json.loads(params[key])
    return params


def _multipart(ctype: str, body: bytes) -> dict[str, Any]:
    raw = f"Content-Type: {ctype}\r\n\r\n".encode() + body
    message = BytesParser(policy=email_policy).parsebytes(raw)
    params: dict[str, Any] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename:
            params[name] = {"filename": filename, "content": content,
                            "content_type": part.get_content_type()}
        else:
            params[name] = content.decode()
    return params
