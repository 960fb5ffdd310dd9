"""Fan-out benchmark: a burst of alerts through the outbox to a Bot API that enforces Telegram's limits.

    python bench/fanout.py [--n 10000] [--chats N] [--batch 100]
                           [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
                           [--dispatchers 2 --redis redis://127.0.0.1:6379/0]

`--n` alerts (at most 10,000) are written to the outbox at once, one per chat unless `--chats`
is smaller (then each chat gets several, in order), and the application's dispatcher delivers
them with the real python-telegram-bot and `TelegramSender` to a fake Bot API on 127.0.0.1. The
fake runs in its own process (so its clock is not the dispatcher's event loop) and enforces
Telegram's limits over a sliding one-second window: 30 messages a second per bot, one a second
per chat; beyond either it answers 429 with `parameters.retry_after` and delivers nothing. It
counts every message it accepted by (chat, text). The database is a scratch SQLite file, or a
scratch PostgreSQL database on `--pg` (created and dropped). `--dispatchers N` runs N dispatchers
side by side, each with its own database engine and Bot, as N workers would; with `--redis` they
share the send limits through Redis (`RedisSendLimiter`), without it each paces by itself.

`rate` is messages accepted per second between the fake's first and last acceptance (the
sustained rate); `lost` is alerts never accepted, `duplicated` alerts accepted more than once,
`http429` refusals the dispatcher received (each one must be retried after its retry_after).
The last line is `fanout sent=… lost=… duplicated=… rate=… http429=…`.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from telegram import Bot
from telegram.request import HTTPXRequest

from bench.escrow import drop_pg, fresh_schema, scratch_pg
from bots.telegram.sender import TelegramSender
from core.clock import SystemClock
from core.notifications.dispatcher import OutboxDispatcher
from core.notifications.ratelimit import SendLimiter
from core.notifications.shared_limits import RedisSendLimiter
from core.notifications.tables import OutboxMessage
from core.storage.database import create_engine, session_factory

TOKEN = "123:FANOUT"
MAX_N = 10_000
BOT_PER_S = 30
CHAT_PER_S = 1
WINDOW = 1.0


class LimitedBotApi:
    """sendMessage (and getMe) with Telegram's limits: a sliding window per bot and per chat."""

    def __init__(self) -> None:
        self.bot_window: deque[float] = deque()
        self.chat_last: dict[str, float] = {}
        self.accepted: Counter[tuple[str, str]] = Counter()
        self.first = self.last = 0.0
        self.refused = 0

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/bot{token}/{method}", self.endpoint, methods=["POST"]),
                                 Route("/stats", self.stats, methods=["GET"])])

    async def endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"].lower()
        if request.path_params["token"] != TOKEN:
            return _error(401, "Unauthorized")
        if method == "getme":
            return JSONResponse({"ok": True, "result": {"id": 123, "is_bot": True,
                                                        "first_name": "Agora",
                                                        "username": "agora_bench_bot"}})
        if method != "sendmessage":
            return _error(404, "Not Found: method not found")
        params = await _params(request)
        chat, text = str(params.get("chat_id")), str(params.get("text") or "")
        now = time.monotonic()
        while self.bot_window and self.bot_window[0] <= now - WINDOW:
            self.bot_window.popleft()
        wait = 0.0
        if len(self.bot_window) >= BOT_PER_S:
            wait = self.bot_window[0] + WINDOW - now
        last = self.chat_last.get(chat)
        if last is not None and now - last < 1 / CHAT_PER_S:
            wait = max(wait, last + 1 / CHAT_PER_S - now)
        if wait > 0:
            self.refused += 1
            return _error(429, f"Too Many Requests: retry after {math.ceil(wait)}",
                          retry_after=math.ceil(wait))
        self.bot_window.append(now)
        self.chat_last[chat] = now
        self.accepted[(chat, text)] += 1
        self.first = self.first or now
        self.last = now
        message = {"message_id": sum(self.accepted.values()), "date": int(time.time()),
                   "chat": {"id": int(chat), "type": "private"}, "text": text,
                   "from": {"id": 123, "is_bot": True, "first_name": "Agora"}}
        return JSONResponse({"ok": True, "result": message})

    async def stats(self, _: Request) -> JSONResponse:
        return JSONResponse({"accepted": [[c, t, n] for (c, t), n in self.accepted.items()],
                             "first": self.first, "last": self.last, "refused": self.refused})


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        return dict(await request.json())
    return {k: v for k, v in (await request.form()).items()}


def _error(code: int, description: str, retry_after: int | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=code)


def _serve(port: int) -> None:
    import uvicorn

    uvicorn.run(LimitedBotApi().app(), host="127.0.0.1", port=port, log_level="warning",
                lifespan="off")


def start_fake() -> tuple[subprocess.Popen[bytes], str]:
    """The fake Bot API in its own process (this script with `--serve-fake PORT`)."""
    from tests.support.servers import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve-fake",
                                str(port)])
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}/stats", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the fake Bot API did not start")


async def queue_alerts(sessions: Any, n: int, chats: int) -> list[tuple[str, str]]:
    """One outbox row per alert, as the saved-search handler writes them, all at once."""
    now, expected, rows = SystemClock().now(), [], []
    for i in range(n):
        chat = str(10_000_000 + i % chats)
        text = f"New listing matches “pellets 6 mm”: lot {i} · 24 t · Riga"
        expected.append((chat, text))
        rows.append(OutboxMessage(channel="telegram", address=chat, urgent=False,
                                  payload={"text": text, "buttons": [[
                                      {"label": "View listing", "intent": "view_listing",
                                       "arg": str(i)}]]},
                                  status="pending", attempts=0, available_at=now, created_at=now))
    async with sessions() as session, session.begin():
        for start in range(0, n, 1000):
            session.add_all(rows[start:start + 1000])
            await session.flush()
    return expected


async def open_rows(sessions: Any) -> int:
    async with sessions() as session:
        return int((await session.execute(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status.in_(("pending", "sending"))))).scalar_one())


async def worker(url: str, db: str, sessions: Any, args: argparse.Namespace, deadline: float,
                 number: int) -> None:
    """One worker's dispatcher, with its own engine (unless given sessions) and Bot, run until
    every row is sent."""
    engine = None if sessions else create_engine(db)
    sessions = sessions or session_factory(engine)
    limiter: Any = SendLimiter()
    if args.redis:
        limiter = RedisSendLimiter(args.redis, {"telegram": f"bot{TOKEN.split(':')[0]}"})
    bot = Bot(TOKEN, base_url=f"{url}/bot",
              request=HTTPXRequest(connection_pool_size=64, pool_timeout=10))
    try:
        async with bot:
            dispatcher = OutboxDispatcher(sessions, SystemClock(), {"telegram": TelegramSender(bot)},
                                          limiter, batch=args.batch, worker=f"bench-{number}")
            while await open_rows(sessions) and time.monotonic() < deadline:
                await dispatcher.run_once()
                await asyncio.sleep(0.05)  # rows waiting out a retry_after
    finally:
        if isinstance(limiter, RedisSendLimiter):
            await limiter.close()
        if engine is not None:
            await engine.dispose()


async def drain(url: str, db: str, args: argparse.Namespace) -> dict[str, Any]:
    await fresh_schema(db)
    engine = create_engine(db)
    sessions = session_factory(engine)
    try:
        expected = await queue_alerts(sessions, args.n, args.chats or args.n)
        started = time.monotonic()
        deadline = started + args.n / 20 + 60
        await asyncio.gather(*(worker(url, db, sessions if i == 0 else None, args, deadline, i)
                               for i in range(args.dispatchers)))
        elapsed = time.monotonic() - started
        left = await open_rows(sessions)
    finally:
        await engine.dispose()
    async with httpx.AsyncClient(timeout=30) as client:
        stats = (await client.get(f"{url}/stats")).json()
    accepted = Counter({(c, t): k for c, t, k in stats["accepted"]})
    lost = sum(1 for key in expected if accepted[key] == 0)
    duplicated = sum(1 for key in expected if accepted[key] > 1)
    sent = sum(1 for key in expected if accepted[key] >= 1)
    span = stats["last"] - stats["first"]
    rate = (sent - 1) / span if span > 0 else 0.0
    shared = f"sharing limits through {args.redis}" if args.redis else "limits in process"
    print(f"{args.n} alerts to {args.chats or args.n} chats, batch {args.batch}, "
          f"{args.dispatchers} dispatcher(s), {shared}: drained in "
          f"{elapsed:.1f} s, {left} rows still open, {stats['refused']} answered 429")
    return {"sent": sent, "lost": lost, "duplicated": duplicated, "rate": rate,
            "http429": stats["refused"]}


async def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=MAX_N)
    parser.add_argument("--chats", type=int, default=0, help="distinct chats (default: --n)")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--pg", default=None)
    parser.add_argument("--dispatchers", type=int, default=1, help="dispatchers side by side")
    parser.add_argument("--redis", default=None, help="share the send limits through this Redis")
    args = parser.parse_args(argv)
    args.n = max(1, min(args.n, MAX_N))
    process, url = start_fake()
    pg_url = await scratch_pg(args.pg) if args.pg else None
    try:
        if pg_url:
            result = await drain(url, pg_url, args)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                result = await drain(url, f"sqlite+aiosqlite:///{tmp}/fanout.db", args)
    finally:
        process.kill()
        process.wait(5)
        if args.pg and pg_url:
            await drop_pg(args.pg, pg_url)
    print(f"fanout sent={result['sent']} lost={result['lost']} duplicated={result['duplicated']} "
          f"rate={result['rate']:.1f} http429={result['http429']}")
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve-fake"]:
        _serve(int(sys.argv[2]))
    else:
        asyncio.run(main())
