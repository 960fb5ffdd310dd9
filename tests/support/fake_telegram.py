"""A fake Telegram Bot API on 127.0.0.1, for the real python-telegram-bot to talk to.

It records every call, answers with realistic objects, long-polls updates the test pushes,
and can be told to fail a method. PTB posts form data (multipart when a file is attached)
where nested values such as `reply_markup` are JSON strings; JSON bodies are accepted too.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support import telegram_objects as obj

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
NEW = ("sendMessage", "sendDocument", "sendPhoto")  # methods that add a message to a chat
EDITS = ("editMessageText", "editMessageCaption")  # methods that rewrite one
# The Bot API's method names are case-insensitive; a call is recorded under its usual name.
METHODS = {name.lower(): name for name in (
    "getMe", "getUpdates", "sendMessage", "sendDocument", "sendPhoto", "editMessageReplyMarkup",
    "editMessageText", "editMessageCaption", "getFile", "answerInlineQuery", "answerCallbackQuery",
    "sendChatAction", "setMyCommands", "setWebhook", "deleteWebhook", "close", "logOut",
    "setChatMenuButton")}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None


@dataclass
class Failure:
    times: int | None  # None: every time
    code: int
    description: str
    retry_after: int | None = None


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


@dataclass
class FakeTelegram:
    token: str = "123:ABC"
    username: str = "agora_market_bot"
    long_poll_cap: float = 0.5  # getUpdates waits at most this long, whatever timeout says
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)  # current state by id
    files: dict[str, bytes] = field(default_factory=dict)
    languages: dict[int, str] = field(default_factory=dict)  # a user's app language, "en" else
    _pending: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, Failure] = field(default_factory=dict)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False  # see close()
    window_start: int = 0  # index of the first call after the latest push or mark

    def __post_init__(self) -> None:
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self.bot_user = {"id": int(self.token.split(":")[0]), "is_bot": True,
                         "first_name": "Agora", "username": self.username}

    # --- the server -------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
        ])

    async def _endpoint(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        method = METHODS.get(method.lower(), method)  # case-insensitive, as the Bot API's
        params = await obj.parse_params(request)
        call = Call(method, params)
        self.calls.append(call)
        try:
            self._maybe_fail(method)
            handler = getattr(self, f"_api_{method.lower()}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            call.result = await handler(params)
        except ApiError as exc:
            call.result = exc
            return _error(exc.code, exc.description, exc.retry_after)
        return JSONResponse({"ok": True, "result": call.result})

    async def _download(self, request: Request) -> Response:
        file_id = request.path_params["path"].rsplit("/", 1)[-1]
        if request.path_params["token"] != self.token or file_id not in self.files:
            return Response(status_code=404)
        return Response(self.files[file_id], media_type="application/octet-stream")

    def _maybe_fail(self, method: str) -> None:
        failure = self._failures.get(method)
        if failure is None:
            return
        if failure.times is not None:
            failure.times -= 1
            if failure.times <= 0:
                del self._failures[method]
        raise ApiError(failure.code, failure.description, failure.retry_after)

    # --- Bot API methods ----------------------------------------------------------------

    async def _api_getme(self, _: dict[str, Any]) -> dict[str, Any]:
        return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def _api_getupdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        if offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        wait = min(float(p.get("timeout") or 0), self.long_poll_cap)
        if not self._pending and not self.closed and wait > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), wait)
        return self._pending[:100]

    async def _api_sendmessage(self, p: dict[str, Any]) -> dict[str, Any]:
        text = str(p.get("text") or "")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        return self._new_message(p, text=text)

    async def _api_senddocument(self, p: dict[str, Any]) -> dict[str, Any]:
        upload = p.get("document")
        name = upload["filename"] if isinstance(upload, dict) else "file"
        file_id = self._store(upload)
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
                    "mime_type": upload.get("content_type") if isinstance(upload, dict) else None,
                    "file_size": len(self.files.get(file_id, b""))}
        return self._new_message(p, document=document, caption=p.get("caption"))

    async def _api_sendphoto(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = self._store(p.get("photo"))
        photo = [{"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 800,
                  "height": 600, "file_size": len(self.files.get(file_id, b""))}]
        return self._new_message(p, photo=photo, caption=p.get("caption"))

    async def _api_editmessagereplymarkup(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._message(p)
        markup = p.get("reply_markup") or None
        if markup == message.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified")
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        return message

    async def _api_editmessagetext(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._message(p)
        text = str(p.get("text") or "")
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return self._edited(message, "text", text, p.get("reply_markup") or None)

    async def _api_editmessagecaption(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._message(p)
        caption = str(p.get("caption") or "")
        if not ({"document", "photo"} & message.keys()):
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        if len(caption) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_CAPTION_TOO_LONG")
        return self._edited(message, "caption", caption, p.get("reply_markup") or None)

    def _edited(self, message: dict[str, Any], key: str, words: str,
                markup: dict[str, Any] | None) -> dict[str, Any]:
        """Telegram refuses an edit that changes nothing ("message is not modified")."""
        if message.get(key) == words and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        message[key] = words
        message["edit_date"] = int(time.time())
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _api_getfile(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = str(p.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}",
                "file_size": len(self.files[file_id]), "file_path": f"documents/{file_id}"}

    async def _true(self, _: dict[str, Any]) -> bool:
        return True

    async def _api_answerinlinequery(self, p: dict[str, Any]) -> bool:
        if not isinstance(p.get("results"), list):
            raise ApiError(400, "Bad Request: results must be a JSON array")
        return True

    _api_answercallbackquery = _api_sendchataction = _api_setmycommands = _true
    _api_setwebhook = _api_deletewebhook = _api_close = _api_logout = _true
    _api_setchatmenubutton = _true

    # --- helpers for the API methods ----------------------------------------------------

    def _new_message(self, p: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = _chat_id(p)
        markup = p.get("reply_markup")
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if len(str(button.get("callback_data", "")).encode()) > 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": obj.chat(chat_id), "from": self.bot_user,
                   **{k: v for k, v in content.items() if v is not None}}
        if markup:
            message["reply_markup"] = markup
        self.messages[message["message_id"]] = message
        return json.loads(json.dumps(message))  # the caller gets a copy, state stays here

    def _message(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self.messages.get(int(p.get("message_id") or 0))
        if message is None or message["chat"]["id"] != _chat_id(p):
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _store(self, upload: Any) -> str:
        if isinstance(upload, str):  # a file_id or URL, sent again
            return upload
        file_id = f"F{next(self._file_ids)}"
        self.files[file_id] = upload["content"] if isinstance(upload, dict) else b""
        return file_id

    # --- what tests use ---------------------------------------------------------------

    def fail(self, method: str, *, times: int | None = 1, code: int = 400,
             description: str = "Bad Request: simulated failure",
             retry_after: int | None = None) -> None:
        """Make `method` answer with an error (`times` times, or always with None); a
        `retry_after` goes in the answer's parameters, as Telegram's flood control sends it."""
        self._failures[method] = Failure(times, code, description, retry_after)

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; later waits look at calls made from now on."""
        self.window_start = len(self.calls)
        self._pending.append(update)
        self._wake_pollers()
        return update

    def close(self) -> None:
        """Before the server stops: long polls in progress return at once."""
        self.closed = True
        self._wake_pollers()

    def _wake_pollers(self) -> None:
        self._arrived.set()
        self._arrived = asyncio.Event()

    def mark(self) -> int:
        """Start a new window for `wait_for` (done by `push`; use it before a webhook post)."""
        self.window_start = len(self.calls)
        return self.window_start

    def update(self, **content: Any) -> dict[str, Any]:
        return {"update_id": next(self._update_ids), **content}

    def text(self, user_id: int, text: str) -> dict[str, Any]:
        """An update with a text message (a command when it starts with /)."""
        extra: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            extra["entities"] = [{"type": "bot_command", "offset": 0,
                                  "length": len(text.split()[0])}]
        return self.update(message=self._user_message(user_id, **extra))

    def photo(self, user_id: int) -> dict[str, Any]:
        return self.update(message=self._user_message(user_id, photo=obj.photo_sizes(user_id)))

    def document(self, user_id: int, name: str, mime: str, size: int = 1234) -> dict[str, Any]:
        doc = obj.document(user_id, name, mime, size)
        return self.update(message=self._user_message(user_id, document=doc))

    def location(self, user_id: int, lat: float, lon: float) -> dict[str, Any]:
        point = {"latitude": lat, "longitude": lon}
        return self.update(message=self._user_message(user_id, location=point))

    def inline_query(self, user_id: int, query: str) -> dict[str, Any]:
        """`@bot query` typed in any chat."""
        return self.update(inline_query={"id": f"iq{next(self._update_ids)}",
                                         "from": self._user(user_id), "query": query, "offset": ""})

    def sticker(self, user_id: int) -> dict[str, Any]:
        return self.update(message=self._user_message(user_id, sticker=obj.STICKER))

    def press(self, user_id: int, label: str, message_id: int | None = None) -> dict[str, Any]:
        """A callback query for the button labelled `label` (newest message that had it)."""
        sent, button = self.find_button(user_id, label, message_id)
        current = self.messages.get(sent["message_id"], sent)
        query = {"id": f"q{next(self._update_ids)}", "from": self._user(user_id),
                 "chat_instance": f"ci{user_id}", "data": button["callback_data"],
                 "message": json.loads(json.dumps(current))}
        return self.update(callback_query=query)

    def find_button(self, user_id: int, label: str, message_id: int | None = None
                    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The newest message in the user's chat showing a button like `label` now; failing
        that, the newest sent message whose keyboard had one (an old button pressed again)."""
        sent = [c.result for c in self.calls if isinstance(c.result, dict)
                and c.result.get("chat", {}).get("id") == user_id]
        for msg in [*reversed(self.shown(user_id)), *reversed(sent)]:
            if message_id is not None and msg["message_id"] != message_id:
                continue
            for row in (msg.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if label.lower() in button["text"].lower():
                        return msg, button
        raise AssertionError(f"no button {label!r} sent to {user_id}: {self.texts(user_id)}")

    def shown(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat as they stand now (edits applied), oldest first."""
        return [m for _, m in sorted(self.messages.items())
                if m["chat"]["id"] == chat_id and m.get("from") == self.bot_user]

    def count(self, chat_id: int, methods: tuple[str, ...] = NEW, since: int = 0) -> int:
        """How many successful calls of `methods` went to a chat (new messages by default)."""
        return sum(1 for c in self.calls[since:] if c.method in methods
                   and isinstance(c.result, dict) and c.result["chat"]["id"] == chat_id)

    def sent(self, method: str = "sendMessage", since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method]

    def texts(self, chat_id: int, since: int = 0,
              methods: tuple[str, ...] = ("sendMessage", "editMessageText")) -> list[str]:
        """What the chat was shown in words, in order: each text sent, and each text a
        message was edited to (a press is answered on the message pressed); `methods`
        ("sendMessage",) for the new messages alone."""
        return [str(c.params.get("text")) for c in self.calls[since:]
                if c.method in methods and _chat_id(c.params) == chat_id]

    async def wait_for(self, method: str | tuple[str, ...],
                       predicate: Callable[[dict[str, Any]], bool] | None = None, timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for the search
                       since: int | None = None) -> Call:
        """The first call of `method` since the last push (or `since`) that matches."""
        start = self.window_start if since is None else since
        deadline = time.monotonic() + timeout
        methods = (method,) if isinstance(method, str) else method
        while True:
            for call in self.calls[start:]:
                if call.method in methods and (predicate is None or predicate(call.params)):
                    return call
            if time.monotonic() > deadline:
                seen = [(c.method, c.params.get("text")) for c in self.calls[start:]
                        if c.method != "getUpdates"]
                raise AssertionError(f"no matching {method} within {timeout}s; saw {seen}")
            await asyncio.sleep(0.01)

    def _user(self, user_id: int) -> dict[str, Any]:
        return obj.user(user_id, self.languages.get(user_id, "en"))

    def _user_message(self, user_id: int, **content: Any) -> dict[str, Any]:
        return {"message_id": next(self._message_ids), "date": int(time.time()),
                "chat": obj.chat(user_id), "from": self._user(user_id), **content}


def _chat_id(p: dict[str, Any]) -> int:
    try:
        return int(p.get("chat_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None


def _error(code: int, description: str, retry_after: int | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=code)
