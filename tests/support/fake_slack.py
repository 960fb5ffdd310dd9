"""A fake Slack Web API for end-to-end tests: `POST /api/{method}`, every call recorded.

Serve it with `tests.support.servers.serve(fake.app)` and give the SDK
`base_url=f"{url}/api/"`. It answers like Slack does (`{"ok": true, ...}` with realistic ids),
checks the bot token, and refuses the Block Kit mistakes Slack itself refuses (too-long titles,
duplicate action ids, too many options), so a rendering bug fails the test as it would in
production.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

JSON_FIELDS = ("view", "blocks", "attachments", "files", "unfurls")
Params = dict[str, Any]


@dataclass
class Call:
    method: str
    params: Params


@dataclass
class FakeSlack:
    token: str = "xoxb-test-token"
    app_token: str = "xapp-test-token"  # Socket Mode's app-level token
    team_id: str = "T0AGORA"
    bot_user_id: str = "U0BOT"
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    user_files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # id: name, mime
    socket_acks: list[Params] = field(default_factory=list)
    locales: dict[str, str] = field(default_factory=dict)  # user id: Slack locale ("pl-PL")
    _sockets: list[WebSocket] = field(default_factory=list)
    _failures: dict[str, list[str]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # Sign in with Slack: the app's OpenID client, and who is signed in on slack.com.
    client_id: str = "1234.5678"
    client_secret: str = "sign-in-client-secret"
    signed_in: tuple[str, str] = ("T0AGORA", "U7BOB")  # (team, user)
    _codes: dict[str, Params] = field(default_factory=dict)
    # The DM messages as they stand now, by (channel, ts): posted, then edited by chat.update.
    messages: dict[tuple[str, str], Params] = field(default_factory=dict)
    not_in: set[str] = field(default_factory=set)  # channels the app is not a member of
    refused: list[tuple[str, Params]] = field(default_factory=list)  # invalid payloads sent

    def __post_init__(self) -> None:
        self.app = Starlette(routes=[
            Route("/api/{method}", self._api, methods=["GET", "POST"]),
            Route("/upload/{file_id}", self._upload, methods=["POST"]),
            Route("/files-pri/{file_id}", self._private_file, methods=["GET"]),
            WebSocketRoute("/link/", self._socket),
            Route("/openid/connect/authorize", self._authorize, methods=["GET"]),
            Route("/app_redirect", self._app_redirect, methods=["GET"]),
        ])

    # --- what tests use ---------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Params]:
        return [c.params for c in self.calls if c.method == method]

    def fail_next(self, method: str, error: str) -> None:
        """Answer the next call of `method` with `{"ok": false, "error": error}`."""
        self._failures.setdefault(method, []).append(error)

    async def wait_for(self, method: str, where: Callable[[Params], bool] = lambda p: True,
                       within: float = 5.0) -> Params:
        """The first call of `method` matching `where`, waiting for the app's background work."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            found = [p for p in self.calls_to(method) if where(p)]
            if found:
                return found[0]
            if loop.time() > deadline:
                seen = [(c.method, _short(c.params)) for c in self.calls]
                raise AssertionError(f"no {method} call matched within {within}s; calls: {seen}")
            await asyncio.sleep(0.01)

    def shown(self, user_id: str) -> list[Params]:
        """The messages of a person's DM as they stand now, oldest first."""
        return [m for (channel, _), m in self.messages.items() if channel == _dm_id(user_id)]

    def newest_button(self, user_id: str, label: str) -> tuple[str, Params] | None:
        """The value of the newest button labelled like `label` in the DM as it stands now,
        and the message it is on."""
        for message in reversed(self.shown(user_id)):
            for name, value in button_values(message.get("blocks")).items():
                if label.lower() in name.lower():
                    return value, message
        return None

    def posted_texts(self, channel: str | None = None) -> list[str]:
        """Every chat.postMessage's fallback text and section texts, in order."""
        out = []
        for p in self.calls_to("chat.postMessage"):
            if channel is None or p.get("channel") == channel:
                out.append("\n".join([str(p.get("text", "")), *section_texts(p.get("blocks"))]))
        return out

    # --- the API ----------------------------------------------------------------------------

    async def _api(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params = await _params(request)
        self.calls.append(Call(method, params))
        auth = request.headers.get("authorization", "").removeprefix("Bearer ")
        wanted = self.app_token if method == "apps.connections.open" else self.token
        if method == "openid.connect.token":  # the OpenID client authenticates, not the bot
            return JSONResponse(self._openid_connect_token(params, auth))
        if (auth or params.get("token")) != wanted:
            return JSONResponse({"ok": False, "error": "invalid_auth"})
        if self._failures.get(method):
            return JSONResponse({"ok": False, "error": self._failures[method].pop(0)})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return JSONResponse({"ok": False, "error": "unknown_method"})
        answer = handler(params, request)
        if answer.get("error") in ("invalid_blocks", "invalid_arguments"):
            self.refused.append((method, answer))  # a payload Slack refuses: the test fails
        return JSONResponse(answer)

    def _auth_test(self, params: Params, request: Request) -> Params:
        return {"ok": True, "url": "https://agora-test.slack.com/", "team": "Agora Test",
                "user": "agora", "team_id": self.team_id, "user_id": self.bot_user_id,
                "bot_id": "B0BOT", "is_enterprise_install": False}

    def _apps_connections_open(self, params: Params, request: Request) -> Params:
        url = str(request.base_url).replace("http", "ws", 1).rstrip("/")
        return {"ok": True, "url": f"{url}/link/?ticket=t{next(self._ids)}"}

    def _chat_postMessage(self, params: Params, request: Request) -> Params:
        if not params.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if str(params["channel"]) in self.not_in:
            return {"ok": False, "error": "not_in_channel"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        problem = check_message_blocks(params.get("blocks") or [])
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        channel = _dm_id(params["channel"])
        ts = f"1700000000.{next(self._ids):06d}"
        message = {"type": "message", "user": self.bot_user_id, "bot_id": "B0BOT", "ts": ts,
                   "text": params.get("text", ""), "blocks": params.get("blocks") or []}
        self.messages[(channel, ts)] = {**message, "channel": channel}
        params["_where"] = (channel, ts)  # for tests: which message this post made
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _chat_postEphemeral(self, params: Params, request: Request) -> Params:
        """A message one person sees in a channel; refused where the app is not a member."""
        if not params.get("channel") or not params.get("user"):
            return {"ok": False, "error": "invalid_arguments"}
        if str(params["channel"]) in self.not_in:
            return {"ok": False, "error": "channel_not_found"}
        problem = check_message_blocks(params.get("blocks") or [])
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        return {"ok": True, "message_ts": f"1700000000.{next(self._ids):06d}"}

    def _chat_update(self, params: Params, request: Request) -> Params:
        """Edit a message the app posted: its text and blocks replaced."""
        where = (str(params.get("channel", "")), str(params.get("ts", "")))
        if where not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        problem = check_message_blocks(params.get("blocks") or [])
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        self.messages[where].update(text=params.get("text", ""), blocks=params.get("blocks") or [])
        params["_where"] = where
        return {"ok": True, "channel": where[0], "ts": where[1], "text": params.get("text", "")}

    def _chat_unfurl(self, params: Params, request: Request) -> Params:
        """Link previews: each a valid set of message blocks, for a message (channel and ts)
        or an unfurl id with its source."""
        if not (params.get("channel") and params.get("ts")) and not (
                params.get("unfurl_id") and params.get("source")):
            return {"ok": False, "error": "invalid_arguments"}
        unfurls = params.get("unfurls")
        if not isinstance(unfurls, dict) or not unfurls:
            return {"ok": False, "error": "invalid_unfurls_format"}
        for url, unfurl in unfurls.items():
            problem = check_message_blocks(unfurl.get("blocks") or [])
            if problem or not unfurl.get("blocks"):
                return {"ok": False, "error": "invalid_blocks", "errors": [f"{url}: {problem}"]}
        return {"ok": True}

    def _views_open(self, params: Params, request: Request) -> Params:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view_result(params.get("view"))

    def _views_update(self, params: Params, request: Request) -> Params:
        if not params.get("view_id") and not params.get("external_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view_result(params.get("view"))

    def _views_publish(self, params: Params, request: Request) -> Params:
        if not params.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view_result(params.get("view"))

    def _view_result(self, view: Any) -> Params:
        problem = check_view(view)
        if problem:
            return {"ok": False, "error": "invalid_arguments", "response_metadata":
                    {"messages": [f"[ERROR] {problem}"]}}
        number = next(self._ids)
        return {"ok": True, "view": {**view, "id": f"V{number:08d}", "team_id": self.team_id,
                                     "hash": f"{number}.abc", "state": {"values": {}}}}

    def _conversations_open(self, params: Params, request: Request) -> Params:
        users = str(params.get("users", ""))
        return {"ok": True, "channel": {"id": _dm_id(users.split(",")[0]), "is_im": True}}

    def _conversations_info(self, params: Params, request: Request) -> Params:
        """A conversation: the app is a member unless the test says otherwise (`not_in`)."""
        channel = str(params.get("channel") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": {"id": channel, "is_member": channel not in self.not_in}}

    def _users_info(self, params: Params, request: Request) -> Params:
        user = str(params.get("user", ""))
        return {"ok": True, "user": {"id": user, "team_id": self.team_id, "name": user.lower(),
                                     "real_name": f"User {user}", "tz": "Europe/Riga",
                                     "locale": self.locales.get(user, "en-US"),
                                     "profile": {"display_name": f"User {user}"}}}

    def _files_getUploadURLExternal(self, params: Params, request: Request) -> Params:
        file_id = f"F{next(self._ids):08d}"
        url = f"{str(request.base_url).rstrip('/')}/upload/{file_id}"
        return {"ok": True, "upload_url": url, "file_id": file_id}

    def _files_info(self, params: Params, request: Request) -> Params:
        file_id = str(params.get("file", ""))
        if file_id not in self.user_files:
            return {"ok": False, "error": "file_not_found"}
        name, mime, data = self.user_files[file_id]
        url = f"{str(request.base_url).rstrip('/')}/files-pri/{file_id}"
        return {"ok": True, "file": {"id": file_id, "name": name, "mimetype": mime,
                                     "size": len(data), "url_private": url,
                                     "url_private_download": url}}

    async def _private_file(self, request: Request) -> Response:
        """A user's file, only with the bot token (as Slack's url_private)."""
        file_id = request.path_params["file_id"]
        auth = request.headers.get("authorization", "").removeprefix("Bearer ")
        if auth != self.token or file_id not in self.user_files:
            return Response(status_code=404)
        return Response(self.user_files[file_id][2], media_type=self.user_files[file_id][1])

    def _files_completeUploadExternal(self, params: Params, request: Request) -> Params:
        files = params.get("files") or []
        if any(f.get("id") not in self.uploads for f in files):
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}

    async def _socket(self, socket: WebSocket) -> None:
        """Socket Mode: say hello, then collect the app's acknowledgements."""
        await socket.accept()
        await socket.send_json({"type": "hello", "num_connections": 1,
                                "connection_info": {"app_id": "A0AGORA"}})
        self._sockets.append(socket)
        try:
            while True:
                self.socket_acks.append(json.loads(await socket.receive_text()))
        except WebSocketDisconnect:
            pass
        finally:
            self._sockets.remove(socket)

    async def push(self, envelope: Params, within: float = 5.0) -> None:
        """Send a Socket Mode envelope to the connected app (waiting for it to connect)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not self._sockets:
            if loop.time() > deadline:
                raise AssertionError("the app never connected over Socket Mode")
            await asyncio.sleep(0.01)
        await self._sockets[0].send_json(envelope)

    # --- Sign in with Slack (OpenID Connect) ---------------------------------------------------

    async def _authorize(self, request: Request) -> Response:
        """Slack's consent page, agreed at once by `signed_in`: back to the app with a code."""
        q = request.query_params
        if q.get("client_id") != self.client_id or q.get("response_type") != "code" \
                or "openid" not in (q.get("scope") or "").split():
            return PlainTextResponse("invalid_client", status_code=400)
        code = secrets.token_urlsafe(12)
        self._codes[code] = {"redirect_uri": q.get("redirect_uri"), "nonce": q.get("nonce"),
                             "team": self.signed_in[0], "user": self.signed_in[1]}
        joiner = "&" if "?" in (q.get("redirect_uri") or "") else "?"
        return RedirectResponse(f"{q.get('redirect_uri')}{joiner}code={code}&state="
                                f"{q.get('state', '')}", status_code=302)

    def _openid_connect_token(self, params: Params, auth: str) -> Params:
        """The code, once, for an id token (HTTP Basic client authentication, as the SDK sends)."""
        try:
            client_id, _, secret = base64.b64decode(auth.removeprefix("Basic ")).decode() \
                .partition(":")
        except ValueError:
            client_id = secret = ""
        if (client_id, secret) != (self.client_id, self.client_secret):
            return {"ok": False, "error": "invalid_client_id"}
        grant = self._codes.pop(str(params.get("code", "")), None)
        if grant is None or grant["redirect_uri"] != params.get("redirect_uri"):
            return {"ok": False, "error": "invalid_code"}
        now = int(time.time())
        claims = {"iss": "https://slack.com", "sub": grant["user"], "aud": self.client_id,
                  "exp": now + 3600, "iat": now, "auth_time": now, "nonce": grant["nonce"],
                  "https://slack.com/user_id": grant["user"],
                  "https://slack.com/team_id": grant["team"]}
        token = ".".join(_b64url(json.dumps(part).encode()) for part in
                         ({"alg": "RS256", "typ": "JWT"}, claims)) + ".c2lnbmF0dXJl"
        return {"ok": True, "access_token": f"xoxp-{secrets.token_hex(6)}",
                "token_type": "Bearer", "id_token": token}

    async def _app_redirect(self, request: Request) -> PlainTextResponse:
        """slack.com/app_redirect: where the person is sent into the app's DM."""
        self.calls.append(Call("app_redirect", dict(request.query_params)))
        return PlainTextResponse("Opening Slack…")

    async def _upload(self, request: Request) -> PlainTextResponse:
        file_id = request.path_params["file_id"]
        self.uploads[file_id] = await request.body()
        return PlainTextResponse(f"OK - {len(self.uploads[file_id])}")


async def _params(request: Request) -> Params:
    params: Params = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if "json" in content_type:
        params.update(await request.json())
    elif "form-urlencoded" in content_type:
        params.update(parse_qsl((await request.body()).decode(), keep_blank_values=True))
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass
    return params


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _dm_id(channel: str) -> str:
    return "D" + channel[1:] if channel.startswith(("U", "W")) else channel


def _short(params: Params) -> str:
    return json.dumps(params, ensure_ascii=False, default=str)[:300]


# --- what Slack refuses ----------------------------------------------------------------------


def _plain_text(obj: Any) -> str:
    return str((obj or {}).get("text", "")) if isinstance(obj, dict) else ""


def _plain_len(obj: Any) -> int:
    return len((obj or {}).get("text", ""))


def check_message_blocks(blocks: list[Params], limit: int = 50) -> str | None:
    """The first Block Kit rule a message breaks, or None."""
    if len(blocks) > limit:
        return f"more than {limit} blocks"
    action_ids: set[str] = set()
    for block in blocks:
        text = block.get("text") or {}
        if block.get("type") == "section" and len(text.get("text", "")) > 3000:
            return "section text longer than 3000"
        elements = list(block.get("elements") or [])
        if block.get("accessory"):
            elements.append(block["accessory"])
        for element in elements:
            if element.get("type") != "button":
                continue
            if _plain_len(element.get("text")) > 75 or len(element.get("value", "")) > 2000:
                return "button text or value too long"
            if element["action_id"] in action_ids:
                return f"duplicate action_id {element['action_id']}"
            action_ids.add(element["action_id"])
    return None


def check_view(view: Any) -> str | None:
    """The first rule a modal or Home view breaks, or None."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return "view must be a modal or home view"
    if view["type"] == "modal":
        for key in ("title", "submit", "close"):
            if view.get(key) and _plain_len(view[key]) > 24:
                return f"{key} longer than 24 characters"
        if not view.get("title"):
            return "a modal needs a title"
    if len(view.get("private_metadata", "")) > 3000:
        return "private_metadata longer than 3000"
    block_ids = [b["block_id"] for b in view.get("blocks", []) if "block_id" in b]
    if len(block_ids) != len(set(block_ids)):
        return "duplicate block_id"
    for block in view.get("blocks", []):
        if block.get("type") == "input":
            problem = _check_input(block)
            if problem:
                return problem
    return check_message_blocks(view.get("blocks", []), limit=100)


# A chat's mechanics, which a modal has not: a Done to tap, a location to share, a Skip (an
# optional field is left empty), a unit or currency typed into a number input.
CHAT_WORDS = ("then Done", "share your location", "share a location", "Skip", "(or Skip)",
              "type the unit", "type another currency", "“+30”", "“today”")


def _check_input(block: Params) -> str | None:
    hint = _plain_text(block.get("hint"))
    if any(words in hint for words in CHAT_WORDS):
        return f"a chat's words in a modal's hint: {hint!r}"
    element = block.get("element") or {}
    options = element.get("options") or []
    if not block.get("label") or not element.get("type"):
        return "input block without label or element"
    limit = 10 if element["type"] in ("checkboxes", "radio_buttons") else 100
    if len(options) > limit:
        return f"{element['type']} with more than {limit} options"
    if any(_plain_len(o.get("text")) > 75 or len(o.get("value", "")) > 150 for o in options):
        return "option text or value too long"
    if element.get("max_length", 3000) > 3000 or element.get("min_length", 0) > 3000:
        return "length limits out of range"
    if element["type"] == "number_input" and "is_decimal_allowed" not in element:
        return "number_input needs is_decimal_allowed"
    return None


def section_texts(blocks: Any) -> list[str]:
    """The mrkdwn/plain text of every section (and its fields) in a block list."""
    texts = []
    for block in blocks or []:
        if block.get("type") == "section":
            if block.get("text"):
                texts.append(block["text"].get("text", ""))
            texts += [f.get("text", "") for f in block.get("fields") or []]
    return texts


def button_values(blocks: Any) -> dict[str, str]:
    """Button label → value across actions blocks and section accessories."""
    found: dict[str, str] = {}
    for block in blocks or []:
        elements = list(block.get("elements") or []) + ([block["accessory"]]
                                                       if block.get("accessory") else [])
        for element in elements:
            if element.get("type") == "button":  # a link button: its address
                found[element["text"]["text"]] = element.get("value", element.get("url", ""))
    return found
