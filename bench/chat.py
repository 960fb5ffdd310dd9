"""Chat benchmark: many Telegram users through the webhook of real `agora serve` processes.

    python bench/chat.py [--users 200] [--inflight 32] [--rounds 1] [--repeat 3] [--listings 120]
                         [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
                         [--no-pg] [--only sqlite-1,pg-1,pg-2,bare] [--keep-logs]
                         [--languages en,de,pl|all]

A fake Bot API and an SMTP sink run in this process; Agora runs as `agora serve` in webhook mode
(its own processes, a scratch database seeded with the demo catalogue): on SQLite with one worker;
on PostgreSQL (a scratch `agora_bench_chat` database, dropped after) with one worker, and with
two (`--workers 2`) on the same database. The bare python-telegram-bot + FastAPI echo webhook
(bench/bare_echo.py) is the baseline. `--users` Telegram users take part, at most `--inflight`
updates in flight; each user is strictly sequential: the next update is posted once the previous
step's last reply has reached the fake Bot API (and its POST was answered). An answer to a webhook
POST that carries a Bot API call is made on the fake, as Telegram would, and counted with the
calls.

Every configuration serves for the whole run. Agora's users register first: /start, name,
company, email, tap "Seller", "Done", "Latvia", "Riga", tap "Skip", then the 6-digit code from the
email (the two PostgreSQL workers serve the users the one worker registered). Then come
`--repeat` turns (with `--languages`, the users' apps are spread over those languages, each
user answered and checked in their own); in each, every configuration's users browse once, one
configuration after another: `/menu`, `/search pellets`, and a tap on the first result's
"View" (`--rounds` times; the bare bot gets three texts a round). Taking turns spreads this
machine's swings over every configuration alike; `ratio` is the median of the turns' ratios.

`per_s` is browsing updates per second (first POST to last reply; the median over the turns);
`p99_ms` is the 99th percentile from a POST to the step's last reply (browsing, every turn);
`code_p95_ms` the 95th percentile from the POST that asks for the code to the email reaching the
SMTP sink. The figures of the line are PostgreSQL's (`per_s`, `p99_ms` with one worker,
`workers2_per_s` with two), or SQLite's with `--no-pg` (then `workers2_per_s=nan`). A line per
configuration comes first, with Bot API calls per update, the CPU time one update costs the
server, PostgreSQL and this driver, and whether every user's replies came in order (each step's
expected reply within its own step, nothing arriving between a user's steps; when it broke, what
broke it for the first three such users: the step and the replies); then the turns'
ratios and what two workers could reach on this machine at most (its cores over the CPU time of
an update). The last line is `chat per_s=… bare_per_s=… ratio=… p99_ms=… bare_p99_ms=…
workers2_per_s=… code_p95_ms=… languages=…`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import functools
import itertools
import json
import math
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import asyncpg
from aiohttp import web
from aiosmtpd.controller import Controller

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123:CHATBENCH"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PG_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
PG_NAME = "agora_bench_chat"
STEP_TIMEOUT = 30.0
UPDATE_IDS = itertools.count(1)  # unique across runs: one database may see several drivers
MESSAGE_IDS = itertools.count(1)
REPLIES = {"sendmessage", "editmessagetext", "senddocument", "sendphoto"}
BOT_USER = {"id": 123, "is_bot": True, "first_name": "Agora", "username": "agora_bench_bot"}


# --- the fake Bot API ---------------------------------------------------------------------


@dataclass
class Chat:
    replies: list[tuple[float, str]] = field(default_factory=list)  # (arrival, text)
    keyboards: list[dict[str, Any]] = field(default_factory=list)  # newest last
    settled: float = 0.0  # when the user's latest step ended (its last reply)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


class FakeBotApi:
    """Answers what PTB asks with realistic JSON; keeps each chat's replies with their arrival
    time and its messages with keyboards (to press their buttons); counts calls by method."""

    def __init__(self) -> None:
        self.chats: dict[int, Chat] = defaultdict(Chat)
        self.calls: Counter[str] = Counter()
        self.in_answers = 0  # calls that came in answers to webhook POSTs
        self._ids = itertools.count(1)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self.endpoint)
        return app

    async def endpoint(self, request: web.Request) -> web.Response:
        arrival = time.perf_counter()
        if request.match_info["token"] != TOKEN:
            return _answer({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.match_info["method"].lower()
        if request.content_type == "application/json":
            params = dict(await request.json())
        else:
            params = dict(await request.post())
        return _answer({"ok": True, "result": self.call(method, params, arrival)})

    def call(self, method: str, params: dict[str, Any], arrival: float) -> Any:
        """One Bot API method: from a request, or from an answer to a webhook POST."""
        self.calls[method] += 1
        if method == "getme":
            return {**BOT_USER, "can_join_groups": False, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}
        if method in REPLIES:
            return self._reply(method, params, arrival)
        if method == "editmessagereplymarkup":
            return self._edit(params, keep_text=True)
        return True

    def _reply(self, method: str, params: dict[str, Any], arrival: float) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        text = str(params.get("text") or params.get("caption") or "")
        chat = self.chats[chat_id]
        if method == "editmessagetext":
            message = self._edit(params, keep_text=False)
        else:
            message = {"message_id": next(self._ids), "date": int(time.time()),
                       "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER, "text": text}
            markup = _markup(params)
            if markup:
                message["reply_markup"] = markup
                chat.keyboards = [*chat.keyboards[-4:], message]
        chat.replies.append((arrival, text))
        chat.arrived.set()
        return message

    def _edit(self, params: dict[str, Any], keep_text: bool) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        chat = self.chats[chat_id]
        message = next((m for m in chat.keyboards if m["message_id"] == message_id), None)
        if message is None:
            message = {"message_id": message_id, "date": int(time.time()),
                       "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER, "text": ""}
        if not keep_text:
            message["text"] = str(params.get("text") or "")
        markup = _markup(params)
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
            chat.keyboards = [m for m in chat.keyboards if m is not message]
        return message

    def button(self, chat_id: int, label: str | None) -> tuple[dict[str, Any], str]:
        """The newest message of the chat with a button like `label` (None: its first button)."""
        for message in reversed(self.chats[chat_id].keyboards):
            for row in message["reply_markup"]["inline_keyboard"]:
                for button in row:
                    if label is None or label.lower() in button["text"].lower():
                        return message, button["callback_data"]
        raise LookupError(f"no button {label!r} in chat {chat_id}")


def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup) if markup else None
    return markup if markup and markup.get("inline_keyboard") else None


def _answer(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(text=json.dumps(body), status=status, content_type="application/json")


# --- the SMTP sink --------------------------------------------------------------------------


class Mailbox:
    """aiosmtpd's handler (in its own thread): each email's arrival time and code, by address."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.codes: dict[str, tuple[float, str]] = {}
        self.waiting: dict[str, asyncio.Future[tuple[float, str]]] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        arrival = time.perf_counter()
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), message)
        body = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
        found = re.search(r"\b(\d{6})\b", body)
        for address in envelope.rcpt_tos:
            if found:
                self.loop.call_soon_threadsafe(self._arrived, address.lower(), arrival,
                                               found.group(1))
        return "250 OK"

    def _arrived(self, address: str, arrival: float, code: str) -> None:
        self.codes[address] = (arrival, code)
        future = self.waiting.pop(address, None)
        if future is not None and not future.done():
            future.set_result((arrival, code))

    async def code(self, address: str, timeout: float) -> tuple[float, str]:  # noqa: ASYNC109
        if address in self.codes:
            return self.codes.pop(address)
        future = self.loop.create_future()
        self.waiting[address] = future
        arrival_code = await asyncio.wait_for(future, timeout)
        self.codes.pop(address, None)
        return arrival_code


# --- users ----------------------------------------------------------------------------------


@dataclass
class Step:
    kind: str  # "text", "press"
    value: str | None  # the text, or the label to press (None: the first button)
    expect: str  # a substring of one of the step's replies
    phase: str = "browse"


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    spans: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    codes: list[float] = field(default_factory=list)
    failed: Counter[str] = field(default_factory=Counter)
    updates: Counter[str] = field(default_factory=Counter)
    # The users whose order broke, each with what broke it the first time (the step and the
    # replies), to find the cause.
    broken: dict[int, str] = field(default_factory=dict)

    def disorder(self, user: int, what: str) -> None:
        self.broken.setdefault(user, what)


class Driver:
    """Posts updates to a webhook as `users` people, at most `inflight` at a time."""

    def __init__(self, webhook: str, secret: str, fake: FakeBotApi, mailbox: Mailbox | None,
                 inflight: int, answers_after_handling: bool) -> None:
        self.webhook, self.secret, self.fake, self.mailbox = webhook, secret, fake, mailbox
        self.slots = asyncio.Semaphore(inflight)
        self.after = answers_after_handling
        self.tally = Tally()
        self._asked_code: dict[int, float] = {}

    async def run(self, users: list[int], steps: Any, phase: str) -> None:
        """Every user through `steps(user)`; the phase's span is from its first POST on."""
        started = time.perf_counter()
        async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0, force_close=False)) as http:
            await asyncio.gather(*(self._user(http, user, steps(user)) for user in users))
        self.tally.spans[phase].append(started)

    async def _user(self, http: aiohttp.ClientSession, user: int, steps: list[Step]) -> None:
        chat = self.fake.chats[user]
        for step in steps:
            if step.value == "@code":
                code = await self._code(user)
                if code is None:
                    return
                step = Step("text", code, step.expect, step.phase)
            async with self.slots:
                seen = len(chat.replies)
                if seen and chat.replies[-1][0] > chat.settled:  # arrived between steps
                    late = [text[:60] for arrival, text in chat.replies if arrival > chat.settled]
                    self.tally.disorder(user, f"before {step.phase} {step.value!r}: {late}")
                posted = time.perf_counter()
                try:
                    update = self._update(user, step)
                    ok = await self._post(http, update) and await self._wait(chat, seen, step)
                except (LookupError, TimeoutError, aiohttp.ClientError):
                    ok = False
                if not ok:
                    self.tally.failed[step.phase] += 1
                    return
                last = chat.replies[-1][0]
                chat.settled = last
                self.tally.times[step.phase].append(last - posted)
                self.tally.updates[step.phase] += 1
                if step.expect and not any(step.expect in text
                                           for _, text in chat.replies[seen:]):
                    self.tally.disorder(user, f"{step.phase} {step.value!r} expected "
                                        f"{step.expect!r}, got "
                                        f"{[text[:60] for _, text in chat.replies[seen:]]}")
                if os.environ.get("CHAT_BENCH_TRACE"):
                    print(user, step.value, [t[:60] for _, t in chat.replies[seen:]],
                          f"{1000 * (last - posted):.0f} ms")
                if step.value == phrases(language_of_user(user))["Skip"]:
                    self._asked_code[user] = posted

    async def _code(self, user: int) -> str | None:
        assert self.mailbox is not None
        try:
            arrival, code = await self.mailbox.code(_email(user), STEP_TIMEOUT)
        except TimeoutError:
            self.tally.failed["code"] += 1
            return None
        self.tally.codes.append(arrival - self._asked_code[user])
        return code

    async def _post(self, http: aiohttp.ClientSession, update: dict[str, Any]) -> bool:
        async with http.post(self.webhook, json=update, headers={SECRET_HEADER: self.secret},
                             timeout=aiohttp.ClientTimeout(total=STEP_TIMEOUT)) as response:
            body = await response.read()
            if response.status != 200:
                return False
        # Telegram makes the call an answer to a webhook may carry (after the answer).
        answer = json.loads(body) if body else {}
        if isinstance(answer, dict) and "method" in answer:
            method = str(answer.pop("method")).lower()
            self.fake.in_answers += 1
            self.fake.call(method, answer, time.perf_counter())
        return True

    async def _wait(self, chat: Chat, seen: int, step: Step) -> bool:
        """Agora answers the POST once the update is handled: its replies are all in. The bare
        bot answers at once: wait for its one reply."""
        if self.after:
            return len(chat.replies) > seen
        deadline = time.perf_counter() + STEP_TIMEOUT
        while len(chat.replies) <= seen:
            chat.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(chat.arrived.wait(), deadline - time.perf_counter())
            if time.perf_counter() > deadline:
                return False
        return True

    def _update(self, user: int, step: Step) -> dict[str, Any]:
        sender = {"id": user, "is_bot": False, "first_name": f"User{user}",
                  "language_code": language_of_user(user)}
        if step.kind == "press":
            message, data = self.fake.button(user, step.value)
            query = {"id": f"q{next(UPDATE_IDS)}", "from": sender,
                     "chat_instance": f"ci{user}", "data": data, "message": message}
            return {"update_id": next(UPDATE_IDS), "callback_query": query}
        text = step.value or ""
        message = {"message_id": next(MESSAGE_IDS), "date": int(time.time()),
                   "chat": {"id": user, "type": "private", "first_name": f"User{user}"},
                   "from": sender, "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        return {"update_id": next(UPDATE_IDS), "message": message}


def _email(user: int) -> str:
    return f"user{user}@example.com"


# Each user's app language: `--languages` spreads the users over them in turn (user ids are
# consecutive in each configuration), English by default.
LANGUAGES: list[str] = ["en"]


def language_of_user(user: int) -> str:
    return LANGUAGES[user % len(LANGUAGES)]


@functools.cache
def phrases(language: str) -> dict[str, str]:
    """What the steps look for and the buttons they press, in `language` (from its catalogue:
    a step's expected reply in English would never come to a German)."""
    from core.accounts.model import ROLE_LABELS, Role
    from tests.support.languages import part, said

    def asked(label: str) -> str:
        return said(language, "{label}?", label=said(language, label))

    return {"Your name?": asked("Your name"), "Company?": asked("Company"),
            "Email address?": asked("Email address"),
            "What do you want to do": said(language, "What do you want to do here"),
            "Seller": said(language, ROLE_LABELS[Role.SELLER]), "Done": said(language, "Done"),
            "Country?": asked("Country"), "City?": asked("City"), "Interests?": asked("Interests"),
            "Skip": said(language, "Skip"),
            "6-digit code": part(language, "We sent a 6-digit code to {email}. Type it here."),
            "Email verified": part(language, "✅ Email verified."),
            "Main menu": part(language, "Main menu — {name}, what would you like to do?"),
            # (a count's words differ by the count: the results' sign stands for them)
            "result(s) for": "result(s) for" if language == "en" else "🔎",
            "View": said(language, "View"), "Price": said(language, "Price")}


def local(user: int, step: Step) -> Step:
    """`step` in the user's language (its button and its expected reply)."""
    words = phrases(language_of_user(user))
    value = words.get(step.value, step.value) if step.kind == "press" and step.value else step.value
    return Step(step.kind, value, words.get(step.expect, step.expect), step.phase)


def registration(user: int) -> list[Step]:
    def step(kind: str, value: str | None, expect: str) -> Step:
        return local(user, Step(kind, value, expect, "register"))

    return [step("text", "/start", "Your name?"), step("text", f"User {user}", "Company?"),
            step("text", f"Company {user}", "Email address?"),
            step("text", _email(user), "What do you want to do"),
            step("press", "Seller", "What do you want to do"),
            step("press", "Done", "Country?"), step("text", "Latvia", "City?"),
            step("text", "Riga", "Interests?"), step("press", "Skip", "6-digit code"),
            step("text", "@code", "Email verified")]


def browsing(rounds: int) -> Any:
    def steps(user: int) -> list[Step]:
        return [local(user, step) for step in (
            Step("text", "/menu", "Main menu"), Step("text", "/search pellets", "result(s) for"),
            Step("press", "View", "Price"))] * rounds
    return steps


def bare_browsing(rounds: int) -> Any:
    def steps(user: int) -> list[Step]:
        return [Step("text", text, text) for text in
                ("/menu", "/search pellets", f"hello {user}")] * rounds
    return steps


# --- servers --------------------------------------------------------------------------------


@dataclass
class Round:
    """One configuration's browsing phase, once."""

    per_s: float
    times: list[float]
    updates: int
    calls: int
    cpu_s: float  # the server's processes' CPU time during the phase
    pg_cpu_s: float  # PostgreSQL's
    driver_cpu_s: float  # this process's: the users, the fake Bot API
    failed: int
    broken: dict[int, str]  # users whose order broke: what broke it


@dataclass
class Served:
    """A configuration kept serving for the whole run, browsed in turns with the others."""

    label: str
    webhook: str
    secret: str
    pid: int
    users: list[int]
    after: bool  # answers webhook POSTs after handling (Agora) or at once (the bare bot)
    steps: Any
    rounds: list[Round] = field(default_factory=list)
    registered: Tally | None = None
    register_per_s: float = math.nan
    methods: Counter[str] = field(default_factory=Counter)  # Bot API calls while browsing


@dataclass
class Result:
    label: str
    per_s: float
    p99_ms: float
    register_per_s: float = math.nan
    code_p95_ms: float = math.nan
    calls_per_update: float = math.nan
    cpu_ms_per_update: float = math.nan
    pg_cpu_ms_per_update: float = math.nan
    driver_cpu_ms_per_update: float = math.nan
    failed: int = 0
    out_of_order: int = 0
    users: int = 0
    methods: str = ""  # Bot API calls per update by method, while browsing
    broken: list[str] = field(default_factory=list)  # what broke the order, a few users' first


def percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


async def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"{url} exited:\n{tail(log)}")
            with contextlib.suppress(aiohttp.ClientError, OSError):
                async with http.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy:\n{tail(log)}")


def tail(log: Path) -> str:
    return log.read_text()[-3000:]


def spawn(command: list[str], log: Path, **options: Any) -> subprocess.Popen[bytes]:
    """A server process, its output to `log`."""
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **options)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def _processes() -> dict[int, tuple[str, int, int]]:
    """Every process's name, parent and CPU ticks (user and system), from Linux's /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            name = text[text.index("(") + 1:text.rindex(")")]
            fields = text.rpartition(")")[2].split()
            found[int(stat.parent.name)] = (name, int(fields[1]),
                                            int(fields[11]) + int(fields[12]))
    return found


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time of a server (the process and its living descendants) and of PostgreSQL's
    processes, so each configuration's cost per update can be compared however busy the
    machine is, and where two cores go can be seen."""
    procs = _processes()
    tree, grew = {pid}, True
    while grew:
        more = {p for p, (_, parent, _) in procs.items() if parent in tree} - tree
        tree, grew = tree | more, bool(more)
    tick = os.sysconf("SC_CLK_TCK")
    server = sum(procs[p][2] for p in tree if p in procs) / tick
    postgres = sum(t for name, _, t in procs.values() if name.startswith("postgres")) / tick
    return server, postgres


def agora_env(db: str, api: str, port: int, smtp_port: int, secret: str, tmp: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
    env.update(PYTHONPATH=str(ROOT), AGORA_DATABASE_URL=db, AGORA_TELEGRAM_TOKEN=TOKEN,
               AGORA_TELEGRAM_API_URL=f"{api}/bot",
               AGORA_TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/webhook",
               AGORA_TELEGRAM_WEBHOOK_SECRET=secret, AGORA_SECRET_KEY=secret * 2,
               AGORA_SMTP_HOST="127.0.0.1",
               AGORA_SMTP_PORT=str(smtp_port), AGORA_SMTP_STARTTLS="false",
               AGORA_DATA_DIR=f"{tmp}/data", AGORA_TELEGRAM_BOT_USERNAME=BOT_USER["username"],
               AGORA_DATABASE_POOL_SIZE=str(POOL_SIZE), HOME=tmp)
    return env


# PostgreSQL connections each worker keeps: the one-worker and the two-worker servers serve the
# whole run side by side on one PostgreSQL (max_connections 100 by default), so three workers'
# pools, a quarter more at peaks and their few connections for work due at a moment, must fit
# in it together (at the default of 40 they did not: "too many clients" failed steps). Twenty
# is still more than the updates in flight ever hold at once.
POOL_SIZE = 20


AGORA = [sys.executable, "-c", "from bots.cli import main; main()"]


@dataclass
class Bench:
    """What every configuration shares: the fake Bot API, the SMTP sink, the options."""

    args: argparse.Namespace
    fake: FakeBotApi
    api: str
    mailbox: Mailbox
    smtp_port: int
    servers: contextlib.AsyncExitStack


async def serve_process(bench: Bench, label: str, command: list[str], env: dict[str, str],
                        cwd: str, workers: int = 1) -> tuple[str, subprocess.Popen[bytes]]:
    """Start a server; it is stopped when the run ends (its log kept with --keep-logs)."""
    log = Path(cwd) / f"{label}.log"
    process = spawn(command, log, cwd=cwd, env=env)

    def finish() -> None:
        stop(process)
        if bench.args.keep_logs:
            Path(f"/tmp/chat-bench-{label}.log").write_text(log.read_text())

    bench.servers.callback(finish)
    url = f"http://127.0.0.1:{env['BENCH_PORT']}"
    await wait_healthy(url, process, log)
    await asyncio.sleep(0.5 * workers)  # every worker up and its webhook set
    return url, process


async def serve_agora(bench: Bench, label: str, db: str, workers: int,
                      seeded: bool = False) -> Served:
    """`agora serve` on `db` (the demo catalogue seeded first, unless it is there already)."""
    port, secret = free_port(), secrets.token_hex(16)
    tmp = bench.servers.enter_context(tempfile.TemporaryDirectory())
    env = {**agora_env(db, bench.api, port, bench.smtp_port, secret, tmp), "BENCH_PORT": str(port)}
    if not seeded:
        await seed(env, tmp, bench.args.listings)
    url, process = await serve_process(
        bench, label, [*AGORA, "serve", "--port", str(port), "--workers", str(workers)], env,
        tmp, workers)
    users = [label_base(label) + i for i in range(bench.args.users)]
    return Served(label, f"{url}/telegram/webhook", secret, process.pid, users, True,
                  browsing(bench.args.rounds))


async def serve_bare(bench: Bench) -> Served:
    port = free_port()
    env = {**os.environ, "BARE_TOKEN": TOKEN, "BARE_API_URL": f"{bench.api}/bot",
           "PYTHONPATH": str(ROOT), "BENCH_PORT": str(port)}
    tmp = bench.servers.enter_context(tempfile.TemporaryDirectory())
    url, process = await serve_process(
        bench, "bare", [sys.executable, str(ROOT / "bench" / "bare_echo.py"), str(port)], env, tmp)
    users = [label_base("bare") + i for i in range(bench.args.users)]
    return Served("bare", f"{url}/telegram/webhook", "-", process.pid, users, False,
                  bare_browsing(bench.args.rounds))


async def register(bench: Bench, served: Served) -> None:
    """Every user of the configuration registers (their codes arrive by email)."""
    driver = Driver(served.webhook, served.secret, bench.fake, bench.mailbox,
                    bench.args.inflight, answers_after_handling=True)
    start = time.perf_counter()
    await driver.run(served.users, registration, "register")
    served.registered = driver.tally
    served.register_per_s = driver.tally.updates["register"] / _span(bench.fake, served.users,
                                                                      start)


async def browse(bench: Bench, served: Served) -> None:
    """One browsing phase of every user of the configuration."""
    driver = Driver(served.webhook, served.secret, bench.fake, None, bench.args.inflight,
                    answers_after_handling=served.after)
    before = Counter(bench.fake.calls)
    calls, (server, pg), own = (sum(before.values()), cpu_seconds(served.pid),
                                time.process_time())
    start = time.perf_counter()
    await driver.run(served.users, served.steps, "browse")
    span = _span(bench.fake, served.users, start)
    t = driver.tally
    server_after, pg_after = cpu_seconds(served.pid)
    served.methods.update(bench.fake.calls - before)
    served.rounds.append(Round(
        t.updates["browse"] / span, t.times["browse"], t.updates["browse"],
        sum(bench.fake.calls.values()) - calls, server_after - server, pg_after - pg,
        time.process_time() - own, sum(t.failed.values()), dict(t.broken)))


def result(served: Served) -> Result:
    """A configuration over its rounds: the median rate, the p99 of every step."""
    rounds, reg = served.rounds, served.registered
    failed = sum(r.failed for r in rounds) + (sum(reg.failed.values()) if reg else 0)
    # The first break of each user: in registering, else in the first turn it broke in.
    broken = dict(reg.broken) if reg else {}
    for r in rounds:
        broken.update({u: w for u, w in r.broken.items() if u not in broken})
    return Result(
        served.label, median([r.per_s for r in rounds]),
        1000 * percentile([t for r in rounds for t in r.times], 0.99),
        register_per_s=served.register_per_s,
        code_p95_ms=1000 * percentile(reg.codes, 0.95) if reg else math.nan,
        calls_per_update=sum(r.calls for r in rounds) / max(1, sum(r.updates for r in rounds)),
        cpu_ms_per_update=median([1000 * r.cpu_s / max(1, r.updates) for r in rounds]),
        pg_cpu_ms_per_update=median([1000 * r.pg_cpu_s / max(1, r.updates) for r in rounds]),
        driver_cpu_ms_per_update=median([1000 * r.driver_cpu_s / max(1, r.updates)
                                         for r in rounds]),
        failed=failed, out_of_order=len(broken), users=len(served.users),
        broken=[f"user {u}: {w}" for u, w in sorted(broken.items())[:3]],
        methods=" ".join(f"{m} {n / max(1, sum(r.updates for r in rounds)):.2f}"
                         for m, n in served.methods.most_common()))


async def seed(env: dict[str, str], cwd: str, listings: int) -> None:
    """`agora demo seed`: demo sellers and their listings (and the schema, first)."""
    seeded = await asyncio.to_thread(
        subprocess.run, [*AGORA, "demo", "seed", "--count", str(listings)], cwd=cwd, env=env,
        capture_output=True)
    if seeded.returncode:
        raise RuntimeError(f"seeding failed: {seeded.stderr.decode()[-2000:]}")


def label_base(label: str) -> int:
    return {"sqlite-1": 10_000_000, "pg-1": 20_000_000, "pg-2": 20_000_000}.get(label, 40_000_000)


def _span(fake: FakeBotApi, users: list[int], start: float) -> float:
    last = max((fake.chats[u].settled for u in users), default=start)
    return max(last - start, 1e-9)


async def fresh_pg(server: str, name: str = PG_NAME) -> str | None:
    """A scratch database `name` on `server` (one a previous run left is dropped first), or
    None when the server can't be reached."""
    dsn = server.replace("postgresql+asyncpg://", "postgresql://")
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL unreachable ({exc}); skipping it")
        return None
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return f"{server.rsplit('/', 1)[0]}/{name}"


async def drop_pg(server: str, name: str = PG_NAME) -> None:
    conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def describe(r: Result) -> str:
    text = (f"{r.label:8s} browse {r.per_s:6.1f} updates/s  p99 {r.p99_ms:6.0f} ms  "
            f"{r.calls_per_update:.2f} Bot API calls/update  "
            f"CPU ms/update: server {r.cpu_ms_per_update:4.1f} PostgreSQL "
            f"{r.pg_cpu_ms_per_update:4.1f} driver {r.driver_cpu_ms_per_update:4.1f}")
    if r.label != "bare" and not math.isnan(r.code_p95_ms):
        text += f"  register {r.register_per_s:6.1f}/s  code p95 {r.code_p95_ms:5.0f} ms"
    elif r.label != "bare":
        text += "  (users registered before)"
    order = "kept" if not r.out_of_order else f"BROKEN for {r.out_of_order}/{r.users}"
    broken = "".join(f"\n{'':9s}order broken: {what}" for what in r.broken)
    return (f"{text}  failed {r.failed}  order {order}\n{'':9s}calls/update by method: "
            f"{r.methods}{broken}")


async def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--inflight", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1, help="browsing rounds per phase")
    parser.add_argument("--repeat", type=int, default=3,
                        help="browsing phases of each configuration, taken in turns")
    parser.add_argument("--listings", type=int, default=120, help="demo listings seeded")
    parser.add_argument("--pg", default=PG_SERVER)
    parser.add_argument("--no-pg", action="store_true", help="SQLite and the bare bot only")
    parser.add_argument("--only", default="", help="comma list of sqlite-1,pg-1,pg-2,bare")
    parser.add_argument("--keep-logs", action="store_true", help="copy server logs to /tmp")
    parser.add_argument("--languages", default="en",
                        help="comma list of the users' app languages (spread in turn), or all")
    args = parser.parse_args(argv)
    from core.i18n import COMING
    from core.i18n import LANGUAGES as SPOKEN

    LANGUAGES[:] = ([*SPOKEN, *COMING] if args.languages == "all"
                    else [c for c in args.languages.split(",") if c])
    only = set(filter(None, args.only.split(","))) or {"sqlite-1", "pg-1", "pg-2", "bare"}
    if args.no_pg:
        only -= {"pg-1", "pg-2"}

    loop = asyncio.get_running_loop()
    fake, mailbox = FakeBotApi(), Mailbox(loop)
    runner = web.AppRunner(fake.app(), access_log=None)
    await runner.setup()
    api_port, smtp_port = free_port(), free_port()
    await web.TCPSite(runner, "127.0.0.1", api_port).start()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    pg = await fresh_pg(args.pg) if only & {"pg-1", "pg-2"} else None
    try:
        async with contextlib.AsyncExitStack() as servers:
            bench = Bench(args, fake, f"http://127.0.0.1:{api_port}", mailbox, smtp_port, servers)
            served = await start_all(bench, only, pg)
            for _ in range(args.repeat):
                for each in served:
                    await browse(bench, each)
        results = {s.label: result(s) for s in served}
        for r in results.values():
            print(describe(r), flush=True)
    finally:
        smtp.stop()
        await runner.cleanup()
        if pg and not os.environ.get("CHAT_BENCH_KEEP_DB"):
            await drop_pg(args.pg)
    return summary(results, served)


async def start_all(bench: Bench, only: set[str], pg: str | None) -> list[Served]:
    """Every configuration asked for, serving at once; Agora's users registered (on
    PostgreSQL by the one worker, the two workers then serving the same database)."""
    served = []
    if "bare" in only:
        served.append(await serve_bare(bench))
    if "sqlite-1" in only:
        tmp = bench.servers.enter_context(tempfile.TemporaryDirectory())
        served.append(await serve_agora(bench, "sqlite-1", f"sqlite+aiosqlite:///{tmp}/chat.db", 1))
        await register(bench, served[-1])
    if pg and "pg-1" in only:
        served.append(await serve_agora(bench, "pg-1", pg, 1))
        await register(bench, served[-1])
    if pg and "pg-2" in only:
        served.append(await serve_agora(bench, "pg-2", pg, 2, seeded="pg-1" in only))
        if "pg-1" not in only:
            await register(bench, served[-1])
    return served


def summary(results: dict[str, Result], served: list[Served]) -> dict[str, Any]:
    """The line; `ratio` is the median of each turn's ratio (a turn: every configuration
    browsed once, one after another), so the machine's swings fall on both sides alike."""
    nan = Result("-", math.nan, math.nan)
    one = results.get("pg-1") or results.get("sqlite-1") or nan
    two, bare = results.get("pg-2") or nan, results.get("bare") or nan
    rounds = {s.label: [r.per_s for r in s.rounds] for s in served}
    paired = _paired(rounds.get(one.label, []), rounds.get("bare", []))
    doubled = _paired(rounds.get("pg-2", []), rounds.get(one.label, []))
    if paired or doubled:
        print("turn by turn: ratio " + " ".join(f"{v:.2f}" for v in paired)
              + "  two workers / one " + " ".join(f"{v:.2f}" for v in doubled), flush=True)
    if doubled:
        print(f"two workers / one: {median(doubled):.2f}; this machine's ceiling "
              f"{_ceiling(two) / one.per_s:.2f} ({os.cpu_count()} cores over the CPU one update "
              "costs the workers, PostgreSQL and this driver together)", flush=True)
    line = {"per_s": one.per_s, "bare_per_s": bare.per_s,
            "ratio": median(paired) if paired else math.nan,
            "p99_ms": one.p99_ms, "bare_p99_ms": bare.p99_ms, "workers2_per_s": two.per_s,
            "code_p95_ms": one.code_p95_ms}
    print("chat " + " ".join(f"{k}={v:.2f}" if k == "ratio" else f"{k}={v:.1f}"
                             for k, v in line.items()) + f" languages={len(LANGUAGES)}", flush=True)
    return {**line, "results": results, "workers2_x": median(doubled) if doubled else math.nan,
            "order_kept": all(not r.out_of_order for r in results.values()),
            "failed": sum(r.failed for r in results.values())}


def _ceiling(r: Result) -> float:
    """Updates a second if every core of the machine did nothing else."""
    cost = r.cpu_ms_per_update + r.pg_cpu_ms_per_update + r.driver_cpu_ms_per_update
    return 1000 * (os.cpu_count() or 1) / cost


def _paired(these: list[float], those: list[float]) -> list[float]:
    return [a / b for a, b in zip(these, those, strict=False) if b]


if __name__ == "__main__":
    asyncio.run(main())
