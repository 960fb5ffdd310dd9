"""Auction benchmark: many sellers bid in one reverse auction through real `agora serve` workers
(or, with `--side seller`, many buyers bid on one seller's lot).

    python bench/auction.py [--bidders 500] [--bids 2000] [--window 120] [--extend 3]
                            [--slack-share 0.2] [--workers 2] [--inflight 48] [--seed 7]
                            [--close-after SECONDS] [--side buyer|seller]
                            [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
                            [--keep-logs]

The application runs as `agora serve --workers N` (its own processes) on a scratch PostgreSQL
database (`agora_bench_auction`, or `$AGORA_BENCH_AUCTION_DB` so that two runs can share a
server; dropped after), in webhook mode against a fake Telegram Bot API
(bench/chat.py's, without Telegram's rate limits) and with its Slack app pointing at a fake Slack
Web API (tests/support/fake_slack.py); both fakes, an SMTP sink and the bidders run in this
process. Not measured, through the services in this process: the schema (the migrations), a
buyer and `--bidders` sellers (`--slack-share` of them on Slack, the rest on Telegram), each
with a published listing of 3,000 t of wood chips, and the buyer's reverse auction for 2,000 t
(at most 40 EUR/t, step 0.01 EUR, a bid in the last `--extend` minutes moves the close to that
long after it). The app invites at most INVITED_AT_MOST sellers (core.deals.requests.service):
any beyond, the bench invites itself (their RequestInvite rows and a second RequestPosted event
in the same transaction, so the app's own handler writes their cards). Once the servers have
delivered every card, each bidder presses its "🔨 Bid" (a Telegram callback query, or a signed
Slack block_actions) and gets the bid card. Then each bidder's follow token is asked of the services
(core.deals.requests.auctions.follow_token, the secret of the "📈 Follow your rank live" link of their
bid card) and each opens their own live page's stream of server-sent events,
`GET /requests/{id}/live?as={token}` (Accept-Language: en), one connection per bidder, read
continuously until the close ends it (the workers share one port: the kernel spreads the
connections over them); the bids start once every stream has sent its first event.

Then the deadline is set to now + `--window` seconds in the database (the auction's "last
minutes"), and `--bids` bids are posted in that window, evenly spaced, as texts with a price
(a Telegram message update, or a signed Slack `message.im` event), at most `--inflight` at a
time, each bidder one bid at a time and never the leader the bench knows of. Most prices are
1 to 3 steps under the best price the bench has seen accepted; a fifth are at or above it, and
refused (so are those a faster bid overtook in flight). The bench then waits for the close
(it comes `--extend` minutes after the last accepted bid), then for every bidder's result.

What is printed, the lines before the last:
- seeding, and the invitation cards' delivery and the presses of 🔨 Bid;
- the bids: posted, accepted, refused, unanswered, and over how long;
- latency: from a bid's webhook POST to (a) its bidder's answer (the card showing the rank, or
  the refusal) reaching the fake API, (b) for an accepted bid that took the lead from
  another seller, the "🔨 You were outbid" notice reaching that seller's chat (the outbox's
  way: committed, claimed by a worker's dispatcher, sent), and (c) for an accepted bid at
  price p, every bidder's updated rank: for each bidder's live page, the first event read
  after the POST showing the auction open with a best price at or under p (accepted prices
  only fall, so its rank counts that bid), the bid's (c) being the last bidder's; a (bidder,
  bid) with no such event is a missing update. Also (b) measured from (a), the outbox's own
  delay, and how many notices came over 0.5 s after the answer and within 1.1 s of the
  previous notice to the same chat (the outbox sends a chat one a second, in each worker:
  those it seems to have held); the live pages' events, heartbeats, ranks that contradict
  their event (rank 1 without the best price, or the best price without rank 1, a rank over
  the bidders, a best price that rose) and streams the close ended. A bid's latency is the
  latest of (a), (b) and (c): the issue's "from a bid's webhook to every bidder's updated
  rank". A chat cannot carry every rank change to every bidder (Telegram and Slack limit how
  often a bot writes to a chat, and 500 bidders each told of 2,000 bids is far beyond it), so
  the chat tells a bidder their own result and when they are outbid, and each bidder's live
  rank is their own page, linked from their bid card;
- the close: closed_at minus the final deadline (from the database), and when this process
  first read the close committed (the close commits alone: every bidder's result is written in
  a transaction of its own just after);
  the winner; how long after the deadline the last bidder's result notice reached the fakes;
- the extensions: the database's count and final deadline against a replay of the accepted bids
  in placed_at order from the initial deadline with core.deals.requests.auction_rules.extended_close;
- the traffic on the fakes by method, and the payloads Slack would refuse;
- the server's log: its errors and warnings.

`--side seller` runs the mirror on the same machinery (core.deals.requests.lots): a seller with
a listing of 3,000 t puts up a lot of 2,000 t (from €1.00 per t, step 0.01 EUR, the same
extension) and `--bidders` buyers bid it up: most prices 1 to 3 steps above the highest the bench
has seen, a fifth at or under it (refused); every figure below reads the other way round (the
highest bid is the best, a live page's best price only rises, the winner is the highest bid,
ties to the earlier). The line is the same.

The last line is `auction bids=… accepted=… lost=… double_winners=… extensions=… bid_p95_ms=…
close_ms=…`: `bids` bid updates posted; `accepted` the request's rows in request_bids; `lost`
the bids whose outcome cannot be trusted: no answer and no row, answered accepted without a
row, answered refused with a row, and rows stored twice or for no bid posted (each must be 0);
`double_winners` the winners beyond one (bids marked with an offer, deals on the request's
offers); `extensions` the request's extensions in the database; `bid_p95_ms` the 95th
percentile of the bids' latency (the latest of (a), (b) and (c) above); `close_ms` the close's
lateness: from the final deadline to the close read committed (the award and its deal decided,
visible to all). The line before it gives the three parts' p95s, the live streams, their events
and the missing rank updates, and the close's closed_at lateness. The targets: lost=0,
double_winners=0 (with exactly one winner), the extensions' replay matching, no missing rank
update, bid_p95_ms ≤ 1000, close_ms ≤ 1000.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import os
import random
import re
import secrets
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import httpx
from aiohttp import web
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from bench.chat import (
    AGORA,
    MESSAGE_IDS,
    PG_SERVER,
    SECRET_HEADER,
    UPDATE_IDS,
    FakeBotApi,
    Mailbox,
    agora_env,
    drop_pg,
    fresh_pg,
    percentile,
    spawn,
    stop,
    tail,
    wait_healthy,
)
from tests.support.fake_slack import FakeSlack, section_texts
from tests.support.servers import free_port, serve
from tests.support.slack_requests import SlackUser

# The scratch database; another name (AGORA_BENCH_AUCTION_DB) lets runs share one server.
PG_NAME = os.environ.get("AGORA_BENCH_AUCTION_DB") or "agora_bench_auction"
TEAM = "T0AGORA"
SIGNING_SECRET = "auction-bench-signing-secret"
BUYER_CHAT = 50_000_000
FIRST_CHAT = 50_000_001
CEILING, STEP, FLOOR = 4000, 1, 100  # minor units (EUR cents) per t
START = 100  # a lot's starting price (--side seller), per t
SIDE = "buyer"  # whose auction (--side): a buyer's reverse auction, or a seller's lot


def lot_side() -> bool:
    return SIDE == "seller"


def better() -> int:
    """The way a better price moves: down in a reverse auction (-1), up on a lot (+1)."""
    return 1 if lot_side() else -1
ANSWER_TIMEOUT = 30.0
SERVER_POOL = 20  # each worker's PostgreSQL connections (two workers and this process fit 100)

CARD = ("Type your price per", "Bidding is closed")  # the bid card's last line (English)
ACCEPTED = "🔨 Your bid of"
OUTBID = re.compile(r"You were outbid on (?:request|lot) #\d+: the (?:best|highest) bid is now "
                    r"(.+?) per")
RESULTS = ("🏆 You won request", "🏆 You won lot", "closed: the winning bid",
           "closed without an award", "closed unsold")


# --- what the bidders' phones show ------------------------------------------------------------


@dataclass
class Entry:
    at: float  # perf_counter at the fake API
    text: str
    edit: bool  # an edit of a message shown before (Slack's chat.update)


class Inbox:
    """Every text the fakes received, by chat (`tg:<id>` or a Slack DM `D…`); the outbid notices
    by the new best price they announce, and each chat's first result notice (wall time)."""

    def __init__(self) -> None:
        self.chats: dict[str, list[Entry]] = defaultdict(list)
        self.changed: dict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self.outbid: dict[int, list[tuple[float, str]]] = defaultdict(list)
        self.results: dict[str, float] = {}
        self.told = asyncio.Event()  # a result notice came

    def add(self, chat: str, text: str, at: float, edit: bool = False) -> None:
        self.chats[chat].append(Entry(at, text, edit))
        if not edit:
            found = OUTBID.search(text)
            if found:
                self.outbid[int(re.sub(r"\D", "", found.group(1)))].append((at, chat))
            elif any(r in text for r in RESULTS):
                self.results.setdefault(chat, time.time())
                self.told.set()
        self.changed[chat].set()

    async def answer(self, chat: str, seen: int, edits: bool) -> list[Entry] | None:
        """The answer to a step: what came after entry `seen` up to the bid card (notices left
        out; Slack's edits too unless `edits`: they are the old prompt losing its buttons)."""
        deadline = time.perf_counter() + ANSWER_TIMEOUT
        while True:
            found = self._answer(chat, seen, edits)
            if found is not None:
                return found
            event = self.changed[chat]
            if event.is_set():
                event.clear()
                continue
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), left)

    def _answer(self, chat: str, seen: int, edits: bool) -> list[Entry] | None:
        kept = [e for e in self.chats[chat][seen:] if (edits or not e.edit)
                and not OUTBID.search(e.text) and not any(r in e.text for r in RESULTS)]
        for i, entry in enumerate(kept):
            if any(marker in entry.text for marker in CARD):
                return kept[:i + 1]
        return None


class BotApi(FakeBotApi):
    """bench/chat.py's fake Bot API (no rate limits), its texts also kept in the inbox."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    def _reply(self, method: str, params: dict[str, Any], arrival: float) -> dict[str, Any]:
        message = super()._reply(method, params, arrival)
        self.inbox.add(f"tg:{params['chat_id']}", str(params.get("text") or ""), arrival)
        return message


@dataclass
class SlackApi(FakeSlack):
    """The tests' fake Slack Web API, its DM posts and edits also kept in the inbox."""

    inbox: Inbox = field(default_factory=Inbox)

    async def _api(self, request: Any) -> Any:
        arrival = time.perf_counter()
        response = await super()._api(request)
        call = self.calls[-1]  # (no await since it was recorded: this request's)
        if call.method in ("chat.postMessage", "chat.update") and "_where" in call.params:
            text = "\n".join([str(call.params.get("text", "")),
                              *section_texts(call.params.get("blocks"))])
            self.inbox.add(call.params["_where"][0], text, arrival,
                           edit=call.method == "chat.update")
        return response


# --- the people ---------------------------------------------------------------------------------


@dataclass
class Bidder:
    n: int
    slack: str | None  # their Slack user id; None: on Telegram
    account_id: int = 0
    prices: set[int] = field(default_factory=set)

    @property
    def telegram(self) -> int:
        return FIRST_CHAT + self.n

    @property
    def chat(self) -> str:
        return f"D{self.slack[1:]}" if self.slack else f"tg:{self.telegram}"


@dataclass
class Bid:
    bidder: Bidder
    price: int
    posted: float
    answered: float | None = None
    outcome: str | None = None  # "accepted", "refused"; None: no answer
    reason: str = ""


def people(n: int, slack_share: float) -> list[Bidder]:
    """`n` sellers, every 1/`slack_share`-th on Slack (spread over the ids), the rest Telegram."""
    slack_every = round(1 / slack_share) if slack_share > 0 else 0
    return [Bidder(i, f"UB{i:07d}" if slack_every and i % slack_every == 0 else None)
            for i in range(n)]


# --- seeding, through the services (not measured) ----------------------------------------------


def listing_values() -> dict[str, Any]:
    """A seller's published listing of wood chips, enough for the whole request."""
    today = date.today()
    return {"product_type": "chips", "title": "Wood chips G30", "grade": "ISO 17225 B1",
            "description": None, "unit": "t", "quantity": "3000", "min_order": "100",
            "price": "24", "currency": "EUR", "negotiable": "yes", "delivery": ["pickup", "EXW"],
            "delivery_radius_km": None, "incoterm_place": "Riga port",
            "location": {"city": "Riga", "country": "LV", "lat": 56.9496, "lon": 24.1052},
            "available_from": today.isoformat(),
            "valid_until": (today + timedelta(days=60)).isoformat(), "moisture": None,
            "ash": None, "ncv": None, "bulk_density": None, "particle_size": None,
            "certifications": []}


async def register(app: Any, channel: str, key: str, address: str, name: str,
                   roles: list[str]) -> int:
    from core.accounts import service as accounts

    async with app.uow() as uow:
        account = await accounts.register(uow, accounts.ChannelIdentity(channel, key, address),
                                          accounts.Registration(
                                              display_name=name, email=f"{key[-9:]}@bench.test",
                                              roles=roles, country="LV", city="Riga"))
        await uow.commit()
        return account.id


async def seller(app: Any, bidder: Bidder, slots: asyncio.Semaphore) -> None:
    from core.catalog import lifecycle, listings

    if lot_side():  # a lot's bidders are buyers: an account, no listing
        async with slots:
            bidder.account_id = await (register(
                app, "slack", f"{TEAM}:{bidder.slack}", bidder.slack,
                f"Slack buyer {bidder.n}", ["buyer"]) if bidder.slack else register(
                app, "telegram", str(bidder.telegram), str(bidder.telegram),
                f"Buyer {bidder.n}", ["buyer"]))
        return
    async with slots:
        if bidder.slack:
            bidder.account_id = await register(app, "slack", f"{TEAM}:{bidder.slack}",
                                               bidder.slack, f"Slack seller {bidder.n}",
                                               ["seller"])
        else:
            bidder.account_id = await register(app, "telegram", str(bidder.telegram),
                                               str(bidder.telegram), f"Seller {bidder.n}",
                                               ["seller"])
        async with app.uow() as uow:
            draft = await listings.create_draft(uow, bidder.account_id, listing_values())
            await lifecycle.submit(uow, draft.id, bidder.account_id)
            await uow.commit()


async def post_auction(app: Any, buyer_id: int, bidders: list[Bidder], extend: int
                       ) -> tuple[int, int]:
    """The buyer's reverse auction; every bidder invited (the app asks 200 at most: the bench
    asks the rest, the app's own handler writing their cards). Returns (its id, how many the
    app invited)."""
    from core.deals.events import RequestPosted
    from core.deals.requests import service as supply_requests
    from core.deals.requests.tables import RequestInvite
    from core.money.model import Money

    draft = supply_requests.Draft(
        product_type="chips", quantity=Decimal("2000"), unit="t", place="Tartu",
        max_price=Money(CEILING, "EUR"), mode="auction", min_step=Money(STEP, "EUR"),
        extend_minutes=extend, deadline_days="1")
    async with app.uow() as uow:
        request = await supply_requests.post(uow, buyer_id, draft)
        asked = set(await supply_requests.invited(uow, request.id))
        rest = tuple(b.account_id for b in bidders if b.account_id not in asked)
        for seller_id in rest:
            uow.add(RequestInvite(request_id=request.id, seller_id=seller_id,
                                  invited_at=uow.clock.now()))
        await uow.session.flush()
        uow.emit(RequestPosted(request.id, rest))
        await uow.commit()
        return request.id, len(asked)


async def post_lot(app: Any, owner_id: int, bidders: list[Bidder], extend: int
                   ) -> tuple[int, int]:
    """The seller's lot of 2,000 t from their listing; every bidder invited (the app tells the
    buyers of the product it knows of — none here — the bench the rest, the app's own handler
    writing their cards). Returns (its id, how many the app told)."""
    from core.catalog import lifecycle, listings
    from core.deals.events import RequestPosted
    from core.deals.requests import lots
    from core.deals.requests import service as supply_requests
    from core.deals.requests.tables import RequestInvite
    from core.money.model import Money

    async with app.uow() as uow:
        draft = await listings.create_draft(uow, owner_id, listing_values())
        await lifecycle.submit(uow, draft.id, owner_id)
        await uow.commit()
    terms = lots.LotTerms(Decimal("2000"), Money(START, "EUR"), Money(STEP, "EUR"), None,
                          24, extend)
    async with app.uow() as uow:
        lot = await lots.put_up(uow, owner_id, draft.id, terms)
        assert lot.id is not None
        asked = set(await supply_requests.invited(uow, lot.id))
        rest = tuple(b.account_id for b in bidders if b.account_id not in asked)
        for buyer_id in rest:
            uow.add(RequestInvite(request_id=lot.id, seller_id=buyer_id,
                                  invited_at=uow.clock.now()))
        await uow.session.flush()
        uow.emit(RequestPosted(lot.id, rest))
        await uow.commit()
        return lot.id, len(asked)


async def seed(app: Any, bidders: list[Bidder], extend: int) -> tuple[int, int]:
    from core.deals.requests import service as supply_requests

    started = time.perf_counter()
    if lot_side():
        owner_id = await register(app, "telegram", str(BUYER_CHAT), str(BUYER_CHAT),
                                  "Riga sawmill", ["seller"])
        await asyncio.gather(*(seller(app, b, asyncio.Semaphore(6)) for b in bidders))
        lot_id, by_app = await post_lot(app, owner_id, bidders, extend)
        on_slack = sum(1 for b in bidders if b.slack)
        print(f"seeded in {time.perf_counter() - started:.1f} s: a seller with 3,000 t of wood "
              f"chips listed and {len(bidders)} buyers ({len(bidders) - on_slack} on Telegram, "
              f"{on_slack} on Slack); lot #{lot_id}, 2,000 t at auction (from "
              f"€{START / 100:.2f}, step €{STEP / 100:.2f}, {extend} min extension): the app "
              f"told {by_app}, the bench the other {len(bidders) - by_app}", flush=True)
        return lot_id, owner_id
    buyer_id = await register(app, "telegram", str(BUYER_CHAT), str(BUYER_CHAT),
                              "Tartu heating plant", ["buyer"])
    slots = asyncio.Semaphore(6)
    await asyncio.gather(*(seller(app, b, slots) for b in bidders))
    request_id, by_app = await post_auction(app, buyer_id, bidders, extend)
    on_slack = sum(1 for b in bidders if b.slack)
    print(f"seeded in {time.perf_counter() - started:.1f} s: a buyer and {len(bidders)} sellers "
          f"({len(bidders) - on_slack} on Telegram, {on_slack} on Slack), each with 3,000 t of "
          f"wood chips listed; request #{request_id}, a reverse auction for 2,000 t (at most "
          f"€{CEILING / 100:.2f}, step €{STEP / 100:.2f}, {extend} min extension): the app "
          f"invited {by_app} (INVITED_AT_MOST={supply_requests.INVITED_AT_MOST} at most), the "
          f"bench the other {len(bidders) - by_app}",
          flush=True)
    return request_id, buyer_id


# --- the servers --------------------------------------------------------------------------------


@dataclass
class Servers:
    """The fakes, the `agora serve` process and the ways into its webhooks."""

    bot: BotApi
    slack: SlackApi
    inbox: Inbox
    base: str  # agora's URL
    secret: str  # the Telegram webhook's secret
    log: Path
    http: aiohttp.ClientSession
    slack_http: httpx.AsyncClient


async def start_agora(stack: contextlib.AsyncExitStack, args: argparse.Namespace, db: str,
                      bot_url: str, slack_url: str, smtp_port: int, bot: BotApi) -> tuple[str, str,
                                                                                      Path]:
    """`agora serve --workers N` on `db`, with Slack; returns (its URL, webhook secret, log)."""
    port, secret = free_port(), secrets.token_hex(16)
    tmp = stack.enter_context(tempfile.TemporaryDirectory())
    env = {**agora_env(db, bot_url, port, smtp_port, secret, tmp),
           "AGORA_SLACK_BOT_TOKEN": FakeSlack.token, "AGORA_SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "AGORA_SLACK_API_URL": f"{slack_url}/api/",
           "AGORA_DATABASE_POOL_SIZE": str(SERVER_POOL)}
    log = Path(tmp) / "agora.log"
    process = spawn([*AGORA, "serve", "--port", str(port), "--workers", str(args.workers)], log,
                    cwd=tmp, env=env)

    def finish() -> None:
        stop(process)
        if args.keep_logs:
            Path("/tmp/auction-bench-agora.log").write_text(log.read_text())
        summarise_log(log)

    stack.callback(finish)
    url = f"http://127.0.0.1:{port}"
    await wait_healthy(url, process, log)
    for _ in range(600):  # every worker up: each sets the webhook when it starts
        if bot.calls["setwebhook"] >= args.workers:
            break
        await asyncio.sleep(0.1)
    else:
        raise RuntimeError(f"the workers did not all start:\n{tail(log)}")
    return url, secret, log


def summarise_log(log: Path) -> None:
    text = log.read_text(errors="replace") if log.exists() else ""
    errors = sum(1 for line in text.splitlines() if " ERROR " in line)
    warnings = sum(1 for line in text.splitlines() if " WARNING " in line)
    print(f"server log: {errors} errors, {warnings} warnings, {text.count('Traceback')} "
          "tracebacks", flush=True)


# --- the webhooks -------------------------------------------------------------------------------


def _from(bidder: Bidder) -> dict[str, Any]:
    return {"id": bidder.telegram, "is_bot": False, "first_name": f"Seller{bidder.n}",
            "language_code": "en"}


async def post_telegram(servers: Servers, update: dict[str, Any]) -> None:
    """An update to the webhook; a Bot API call carried by the answer is made on the fake, as
    Telegram would."""
    async with servers.http.post(f"{servers.base}/telegram/webhook", json=update,
                                 headers={SECRET_HEADER: servers.secret},
                                 timeout=aiohttp.ClientTimeout(total=ANSWER_TIMEOUT)) as response:
        body = await response.read()
        if response.status != 200:
            raise RuntimeError(f"webhook answered {response.status}: {body[:200]!r}")
    answer = json.loads(body) if body else {}
    if isinstance(answer, dict) and "method" in answer:
        servers.bot.call(str(answer.pop("method")).lower(), answer, time.perf_counter())


def slack_user(servers: Servers, bidder: Bidder) -> SlackUser:
    assert bidder.slack
    return SlackUser(servers.slack_http, SIGNING_SECRET, user_id=bidder.slack, team_id=TEAM,
                     name=f"seller{bidder.n}")


async def press_bid(servers: Servers, bidder: Bidder) -> None:
    """🔨 Bid on the newest card of the bidder's chat that has it."""
    if bidder.slack:
        found = servers.slack.newest_button(bidder.slack, "Bid")
        if found is None:
            raise LookupError(f"no Bid button for {bidder.slack}")
        value, message = found
        response = await slack_user(servers, bidder).click(value, message=message)
        response.raise_for_status()
        return
    message, data = servers.bot.button(bidder.telegram, "Bid")
    query = {"id": f"q{next(UPDATE_IDS)}", "from": _from(bidder),
             "chat_instance": f"ci{bidder.telegram}", "data": data, "message": message}
    await post_telegram(servers, {"update_id": next(UPDATE_IDS), "callback_query": query})


async def say(servers: Servers, bidder: Bidder, text: str) -> None:
    if bidder.slack:
        (await slack_user(servers, bidder).dm(text)).raise_for_status()
        return
    message = {"message_id": next(MESSAGE_IDS), "date": int(time.time()),
               "chat": {"id": bidder.telegram, "type": "private",
                        "first_name": f"Seller{bidder.n}"}, "from": _from(bidder), "text": text}
    await post_telegram(servers, {"update_id": next(UPDATE_IDS), "message": message})


def has_bid_button(servers: Servers, bidder: Bidder) -> bool:
    if bidder.slack:
        return servers.slack.newest_button(bidder.slack, "Bid") is not None
    try:
        servers.bot.button(bidder.telegram, "Bid")
    except LookupError:
        return False
    return True


# --- before the bids: the cards, and 🔨 Bid pressed --------------------------------------------


async def open_cards(servers: Servers, bidders: list[Bidder], inflight: int) -> None:
    """Wait for every invitation card, then every bidder presses its 🔨 Bid (not measured)."""
    started = time.perf_counter()
    waiting = list(bidders)
    limit = started + 60 + len(bidders) / 10
    while waiting and time.perf_counter() < limit:
        waiting = [b for b in waiting if not has_bid_button(servers, b)]
        await asyncio.sleep(0.25)
    if waiting:
        raise RuntimeError(f"{len(waiting)} invitation cards never came")
    delivered = time.perf_counter() - started
    slots, times = asyncio.Semaphore(inflight), []

    async def press(bidder: Bidder) -> None:
        async with slots:
            seen, at = len(servers.inbox.chats[bidder.chat]), time.perf_counter()
            await press_bid(servers, bidder)
            answer = await servers.inbox.answer(bidder.chat, seen, edits=True)
            if answer is None:
                raise RuntimeError(f"no bid card for seller {bidder.n}")
            times.append(answer[-1].at - at)

    await asyncio.gather(*(press(b) for b in bidders))
    print(f"cards: {len(bidders)} invitation cards delivered by the outbox in {delivered:.1f} s "
          f"after the servers started; 🔨 Bid pressed by every bidder, its card back in p95 "
          f"{1000 * percentile(times, 0.95):.0f} ms", flush=True)


# --- every bidder's live page: their rank as it changes ----------------------------------------


@dataclass
class Event:
    """One server-sent event of a live page, as it arrived here."""

    at: float  # perf_counter when its line was read
    open: bool
    best: int | None  # minor units
    rank: int | None
    own: int | None  # minor units
    answers: int


@dataclass
class Follower:
    """A bidder's live page: the stream's events as they arrived."""

    bidder: Bidder
    url: str
    events: list[Event] = field(default_factory=list)
    heartbeats: int = 0  # ": still here"
    first: asyncio.Event = field(default_factory=asyncio.Event)  # an event came, or it failed
    done: asyncio.Event = field(default_factory=asyncio.Event)  # the stream is over
    ended: bool = False  # the server ended the stream (the close)
    error: str = ""


def price_minor(text: object) -> int | None:
    """A price as an English page writes it ("€15.68", "€1,234.00") in minor units."""
    if text is None:
        return None
    number = re.sub(r"[^\d.]", "", str(text))
    return int(Decimal(number) * 100) if number else None


async def follow(session: aiohttp.ClientSession, follower: Follower) -> None:
    """Read a live page's stream until the server ends it."""
    try:
        async with session.get(follower.url, headers={"Accept-Language": "en",
                                                      "Accept": "text/event-stream"}) as response:
            if response.status != 200:
                follower.error = f"HTTP {response.status}"
                return
            async for raw in response.content:  # line by line
                at, line = time.perf_counter(), raw.decode().rstrip("\r\n")
                if line.startswith("data:"):
                    data = json.loads(line[5:])
                    follower.events.append(Event(
                        at, bool(data["open"]), price_minor(data.get("best")), data.get("rank"),
                        price_minor(data.get("own")), int(data.get("answers") or 0)))
                    follower.first.set()
                elif line.startswith(":"):
                    follower.heartbeats += 1
            follower.ended = True
    except (aiohttp.ClientError, ValueError, KeyError) as exc:
        follower.error = f"{type(exc).__name__}: {exc}"
    finally:
        follower.first.set()
        follower.done.set()


async def open_live_pages(stack: contextlib.AsyncExitStack, app: Any, servers: Servers,
                          request_id: int, bidders: list[Bidder]) -> list[Follower]:
    """Every bidder's follow token from the services, then their live page's stream opened and
    its first event read (not measured)."""
    from core.deals.requests import auctions
    from core.deals.requests.tables import RequestInvite

    started = time.perf_counter()
    async with app.uow() as uow:
        invites = list((await uow.session.execute(select(RequestInvite).where(
            RequestInvite.request_id == request_id))).scalars())  # held: follow_token's get
        if len(invites) < len(bidders):
            raise RuntimeError(f"{len(invites)} invitations for {len(bidders)} bidders")
        tokens = {b.n: await auctions.follow_token(uow, request_id, b.account_id)
                  for b in bidders}
        await uow.commit()
    session = await stack.enter_async_context(aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0),
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=10)))
    followers = [Follower(b, f"{servers.base}/requests/{request_id}/live?as={tokens[b.n]}")
                 for b in bidders]
    tasks = [asyncio.create_task(follow(session, f)) for f in followers]

    async def stop_following() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    stack.push_async_callback(stop_following)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(f.first.wait() for f in followers)),
                               30 + len(followers) / 20)
    failed = [f for f in followers if not f.events]
    if failed:
        errors = Counter(f.error or "no event yet" for f in failed)
        raise RuntimeError(f"{len(failed)} live pages without a first event: {dict(errors)}")
    print(f"live pages: {len(tokens)} follow tokens from the services; {len(followers)} streams "
          f"of server-sent events open on {servers.base} (the workers share its port), each with "
          f"its first event, in {time.perf_counter() - started:.1f} s", flush=True)
    return followers


# --- the bids -----------------------------------------------------------------------------------


@dataclass
class Bidding:
    """The bench's view of the auction as it goes: the best price it saw accepted and by whom,
    the idle bidders, every bid posted."""

    servers: Servers
    rng: random.Random
    idle: list[Bidder]
    best: int = CEILING + STEP  # no bid yet: the first may be at most the ceiling
    leader: Bidder | None = None
    bids: list[Bid] = field(default_factory=list)
    too_high: int = 0  # posted no better than the best the bench had seen

    def __post_init__(self) -> None:
        if lot_side():
            self.best = START - STEP  # no bid yet: the first may be the starting price

    def pick(self) -> Bidder:
        while True:
            i = self.rng.randrange(len(self.idle))
            if self.idle[i] is not self.leader or len(self.idle) == 1:
                self.idle[i], self.idle[-1] = self.idle[-1], self.idle[i]
                return self.idle.pop()

    def price_for(self, bidder: Bidder) -> int:
        """1 to 3 steps better than the best seen (under it; on a lot, above it); a fifth no
        better (refused)."""
        way = better()
        if self.rng.random() < 0.2:
            price = max(STEP, self.best - way * STEP * self.rng.choice((0, 0, 1, 10)))
            self.too_high += 1
        elif lot_side():
            price = self.best + STEP * self.rng.choice((1, 1, 1, 2, 3))
        else:
            price = max(FLOOR, self.best - STEP * self.rng.choice((1, 1, 1, 2, 3)))
        while price in bidder.prices:  # one bid per (bidder, price): rows match bids
            price += way * STEP
        bidder.prices.add(price)
        return price

    async def bid(self, bidder: Bidder, price: int, slots: asyncio.Semaphore) -> None:
        inbox = self.servers.inbox
        seen, posted = len(inbox.chats[bidder.chat]), time.perf_counter()
        bid = Bid(bidder, price, posted)
        self.bids.append(bid)
        try:
            await say(self.servers, bidder, f"{price // 100}.{price % 100:02d}")
            answer = await inbox.answer(bidder.chat, seen, edits=False)
        except (aiohttp.ClientError, httpx.HTTPError, RuntimeError, TimeoutError) as exc:
            bid.reason, answer = f"{type(exc).__name__}: {exc}", None
        finally:
            self.idle.append(bidder)
            slots.release()
        if answer is None:
            return
        bid.answered = answer[-1].at
        bid.outcome = "accepted" if any(ACCEPTED in e.text for e in answer) else "refused"
        bid.reason = answer[0].text.splitlines()[0][:80]
        if bid.outcome == "accepted" and better() * price > better() * self.best:
            self.best, self.leader = price, bidder


async def run_bids(bidding: Bidding, args: argparse.Namespace) -> float:
    """`--bids` bids evenly over `--window` seconds, at most `--inflight` at a time; returns
    the span from the first POST to the last answer."""
    slots, loop = asyncio.Semaphore(args.inflight), asyncio.get_running_loop()
    gap, start, tasks = args.window / max(1, args.bids), loop.time(), []
    for i in range(args.bids):
        wait = start + i * gap - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        await slots.acquire()
        bidder = bidding.pick()
        tasks.append(asyncio.create_task(bidding.bid(bidder, bidding.price_for(bidder), slots)))
    await asyncio.gather(*tasks)
    return loop.time() - start


# --- reading the outcome from the database ------------------------------------------------------


@dataclass
class Outcome:
    initial: datetime
    deadline: datetime
    extensions: int
    extend_minutes: int
    closed_at: datetime | None
    seen_closed: float | None  # wall time this process first read it closed (committed)
    rows: list[tuple[int, int, int, datetime, int | None]]  # id, seller, price, placed, offer
    deals: int
    # The deadline the late bids had extended it to, when --close-after then brought it in.
    extended_to: datetime | None = None


async def set_deadline(app: Any, request_id: int, seconds: float) -> datetime:
    """The auction's last `seconds`: its deadline moved to now + `seconds` in the database."""
    from core.deals.tables import SupplyRequest

    async with app.uow() as uow:
        request = await uow.session.get(SupplyRequest, request_id)
        request.deadline = uow.clock.now() + timedelta(seconds=seconds)
        await uow.commit()
    async with app.uow() as uow:
        request = await uow.session.get(SupplyRequest, request_id)
        return request.deadline


async def read_outcome(app: Any, request_id: int, initial: datetime,
                       seen_closed: float | None = None) -> Outcome:
    from core.deals.requests.tables import RequestBid
    from core.deals.tables import Deal, Offer, SupplyRequest

    async with app.uow() as uow:
        request = await uow.session.get(SupplyRequest, request_id)
        rows = (await uow.session.execute(select(
            RequestBid.id, RequestBid.seller_id, RequestBid.price_minor, RequestBid.placed_at,
            RequestBid.offer_id).where(RequestBid.request_id == request_id)
            .order_by(RequestBid.placed_at, RequestBid.id))).all()
        deals = await uow.session.scalar(select(func.count()).select_from(Deal).join(
            Offer, Offer.id == Deal.offer_id).where(Offer.request_id == request_id))
        return Outcome(initial, request.deadline, request.extensions, request.extend_minutes,
                       request.closed_at, seen_closed, [tuple(r) for r in rows], int(deals or 0))


async def closing(app: Any, request_id: int) -> tuple[datetime, datetime | None]:
    """The request's deadline and closed_at, as committed now."""
    from core.deals.tables import SupplyRequest

    async with app.uow() as uow:
        found = (await uow.session.execute(select(SupplyRequest.deadline, SupplyRequest.closed_at)
                                           .where(SupplyRequest.id == request_id))).one()
        return found[0], found[1]


async def wait_for_close(app: Any, request_id: int, initial: datetime,
                         close_after: float | None = None) -> Outcome:
    """Until the close is committed (looked for every 50 ms from a second before the deadline,
    which no bid moves any more), or 60 s past the deadline. With `close_after`, once every bid
    is answered the deadline the extensions reached is kept for their replay and the deadline
    is brought in to that many seconds from now, as `set_deadline` opened the window: the
    close is the same job, without waiting out a whole extension."""
    outcome = await read_outcome(app, request_id, initial)
    extended_to = None
    if close_after is not None and outcome.deadline > datetime.now(UTC) + timedelta(
            seconds=close_after):
        extended_to = outcome.deadline
        await set_deadline(app, request_id, close_after)
        outcome = await read_outcome(app, request_id, initial)
        print(f"the deadline the extensions reached, {extended_to:%H:%M:%S}, brought in to "
              f"{close_after:g} s from now (--close-after)", flush=True)
    last = max((r[3] for r in outcome.rows), default=None)
    print(f"waiting for the close: the deadline is now {outcome.deadline:%H:%M:%S.%f}"[:-3]
          + (f", {(outcome.deadline - last).total_seconds():.1f} s after the last accepted bid"
             if last else "") + f" (a bid in the last {outcome.extend_minutes} min moves it)",
          flush=True)
    deadline, closed_at = outcome.deadline, outcome.closed_at
    while closed_at is None:
        early = (deadline - datetime.now(UTC)).total_seconds() - 1
        if early < -60:
            print("the auction did NOT close within 60 s of its deadline", flush=True)
            break
        await asyncio.sleep(max(0.05, early))
        deadline, closed_at = await closing(app, request_id)
    closed = await read_outcome(app, request_id, initial, time.time() if closed_at else None)
    return replace(closed, extended_to=extended_to)


async def wait_for_results(inbox: Inbox, chats: set[str], seconds: float) -> None:
    """Until every chat in `chats` has its result notice, or `seconds` have passed."""
    limit = time.perf_counter() + seconds
    while not chats <= set(inbox.results) and time.perf_counter() < limit:
        inbox.told.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(inbox.told.wait(), limit - time.perf_counter())


async def wait_for_streams(followers: list[Follower], seconds: float) -> None:
    """Until every live page's stream has ended (the close ends them), or `seconds` passed."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(f.done.wait() for f in followers)), seconds)


# --- the figures ----------------------------------------------------------------------------------


def replayed(outcome: Outcome) -> tuple[int, datetime]:
    """The extensions and final deadline the accepted bids give, replayed in placed_at order from
    the initial deadline with the app's rule."""
    from core.deals.requests import auction_rules

    deadline, count = outcome.initial, 0
    for _, _, _, placed_at, _ in outcome.rows:
        later = auction_rules.extended_close(deadline, placed_at, outcome.extend_minutes)
        if later is not None:
            deadline, count = later, count + 1
    return count, deadline


def losses(bids: list[Bid], outcome: Outcome, by_account: dict[int, Bidder]) -> dict[str, int]:
    """What cannot be trusted: bids with no answer nor row, answers the rows contradict, rows
    stored twice or for no bid posted."""
    stored = Counter((by_account[r[1]].n if r[1] in by_account else -1, r[2])
                     for r in outcome.rows)
    posted = {(b.bidder.n, b.price): b for b in bids}
    found = {
        "unanswered_unstored": sum(1 for k, b in posted.items()
                                   if b.outcome is None and not stored[k]),
        "accepted_unstored": sum(1 for k, b in posted.items()
                                 if b.outcome == "accepted" and not stored[k]),
        "refused_stored": sum(1 for k, b in posted.items()
                              if b.outcome == "refused" and stored[k]),
        "stored_twice": sum(n - 1 for n in stored.values() if n > 1),
        "stored_unposted": sum(n for k, n in stored.items() if k not in posted)}
    found["unanswered_stored"] = sum(1 for k, b in posted.items()
                                     if b.outcome is None and stored[k])
    return found


@dataclass
class Latency:
    answers: list[float] = field(default_factory=list)  # (a) POST → own answer
    notices: list[float] = field(default_factory=list)  # (b) POST → outbid notice
    after_answer: list[float] = field(default_factory=list)  # (b) minus (a)
    ranks: list[float] = field(default_factory=list)  # (c) POST → every bidder's updated rank
    bids: list[float] = field(default_factory=list)  # the latest of the three
    expected: int = 0
    missing: int = 0
    wrong_chat: int = 0
    rank_missing: int = 0  # (bidder, accepted bid) without an updated rank
    rank_missing_bids: int = 0  # accepted bids some bidder never saw


class Timelines:
    """The live pages' open events with a best price, each page's as arrival times and best
    prices (which only fall while the auction is open; on a lot, only rise), kept as the
    side's key: rising with time either way."""

    def __init__(self, followers: list[Follower]) -> None:
        self.pages: list[tuple[list[float], list[int]]] = []
        for follower in followers:
            arrivals, keys = [], []
            for e in follower.events:
                if e.open and e.best is not None:
                    arrivals.append(e.at)
                    keys.append(better() * e.best)
            self.pages.append((arrivals, keys))

    def updated(self, bid: Bid, result: Latency) -> float | None:
        """When the last page showed a best price at least as good as the bid's, after its POST
        (None if some page never did: each such page counted missing)."""
        last, lacking = bid.posted, 0
        for arrivals, keys in self.pages:
            i = max(bisect.bisect_right(arrivals, bid.posted),
                    bisect.bisect_left(keys, better() * bid.price))
            if i < len(arrivals):
                last = max(last, arrivals[i])
            else:
                lacking += 1
        if lacking:
            result.rank_missing += lacking
            result.rank_missing_bids += 1
            return None
        return last


def wrong_ranks(followers: list[Follower]) -> Counter[str]:
    """Open events whose figures disagree, by kind: a rank over the bidders counted, rank 1
    without the best price or the best price without rank 1, a bid without a rank or a rank
    without a bid, a best price worse than an earlier event's (higher; on a lot, lower)."""
    found: Counter[str] = Counter()
    went_back = "best fell" if lot_side() else "best rose"
    for follower in followers:
        lowest: int | None = None  # the best so far (on a lot, the highest)
        for e in follower.events:
            if not e.open:
                continue
            if (e.own is None) != (e.rank is None):
                found["bid without rank"] += 1
            elif e.rank is not None and e.rank > e.answers:
                found["rank over bidders"] += 1
            elif e.own is not None and (e.rank == 1) != (e.own == e.best):
                found["leader not best"] += 1
            elif e.best is not None and lowest is not None \
                    and better() * e.best < better() * lowest:
                found[went_back] += 1
            if e.best is not None:
                lowest = e.best if lowest is None else \
                    (max if lot_side() else min)(lowest, e.best)
    return found


def latency(bids: list[Bid], outcome: Outcome, inbox: Inbox, by_account: dict[int, Bidder],
            followers: list[Follower]) -> Latency:
    """Each answered bid's latency; an accepted one waits, besides, for the outbid notice to
    the seller it took the lead from (the previous accepted bid's, in placed_at order), and for
    every bidder's live page to show a best price at or under it."""
    result, timelines = Latency(), Timelines(followers)
    posted = {(b.bidder.n, b.price): b for b in bids}
    previous: dict[tuple[int, int], int | None] = {}
    for before, row in zip([None, *outcome.rows], outcome.rows, strict=False):
        bidder = by_account.get(row[1])
        if bidder is not None:
            previous[(bidder.n, row[2])] = before[1] if before and before[1] != row[1] else None
    for key, bid in posted.items():
        if bid.answered is None:
            continue
        result.answers.append(bid.answered - bid.posted)
        done = bid.answered
        outbid = previous.get(key) if bid.outcome == "accepted" else None
        if outbid is not None:
            result.expected += 1
            notice = _notice(inbox, bid.price, by_account[outbid].chat, result)
            if notice is not None:
                result.notices.append(notice - bid.posted)
                result.after_answer.append(notice - bid.answered)
                done = max(done, notice)
        if bid.outcome == "accepted":
            updated = timelines.updated(bid, result)
            if updated is not None:
                result.ranks.append(updated - bid.posted)
                done = max(done, updated)
        result.bids.append(done - bid.posted)
    return result


def _notice(inbox: Inbox, price: int, chat: str, result: Latency) -> float | None:
    arrivals = inbox.outbid.get(price, [])
    mine = [at for at, where in arrivals if where == chat]
    if mine:
        return min(mine)
    if arrivals:
        result.wrong_chat += 1
    else:
        result.missing += 1
    return None


def held(bids: list[Bid], inbox: Inbox) -> int:
    """Outbid notices that came over 0.5 s after their bid's answer and within 1.1 s of the
    previous notice to the same chat: held, it seems, by the outbox's per-chat pace (one a
    second, in each worker)."""
    by_chat: dict[str, list[float]] = defaultdict(list)
    for arrivals in inbox.outbid.values():
        for at, chat in arrivals:
            by_chat[chat].append(at)
    for times in by_chat.values():
        times.sort()
    answered = {b.price: b.answered for b in bids if b.outcome == "accepted" and b.answered}
    count = 0
    for price, arrivals in inbox.outbid.items():
        for at, chat in arrivals:
            before = [t for t in by_chat[chat] if t < at]
            if price in answered and at - answered[price] > 0.5 and before \
                    and at - before[-1] < 1.1:
                count += 1
    return count


def ms(values: list[float], q: float) -> str:
    return f"{1000 * percentile(values, q):.0f}"


def report(bidding: Bidding, span: float, outcome: Outcome, bidders: list[Bidder],
           app_inbox: Inbox, followers: list[Follower]) -> dict[str, Any]:
    by_account = {b.account_id: b for b in bidders}
    bids = bidding.bids
    answered = Counter(b.outcome for b in bids)
    lost_parts = losses(bids, outcome, by_account)
    lost = sum(v for k, v in lost_parts.items() if k != "unanswered_stored")
    print(f"bids: {len(bids)} posted over {span:.1f} s ({sum(1 for b in bids if b.bidder.slack)} "
          f"on Slack), {bidding.too_high} of them no better than the best price the bench had seen; "
          f"answered accepted {answered['accepted']}, refused {answered['refused']}, no answer "
          f"{answered[None]}; rows {len(outcome.rows)}; "
          + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in lost_parts.items()), flush=True)
    reasons = Counter(re.sub(r"\d+(?:[.,]\d+)?", "N", b.reason.split(":")[0])[:48]
                      for b in bids if b.outcome != "accepted")
    if reasons:
        print("refusals: " + "; ".join(f"{n}× {r!r}" for r, n in reasons.most_common(4)),
              flush=True)
    lat = latency(bids, outcome, app_inbox, by_account, followers)
    wrong = wrong_ranks(followers)
    events = sum(len(f.events) for f in followers)
    print(f"latency from a bid's POST: own answer p50 {ms(lat.answers, 0.5)} p95 "
          f"{ms(lat.answers, 0.95)} max {ms(lat.answers, 1)} ms; outbid notice p50 "
          f"{ms(lat.notices, 0.5)} p95 {ms(lat.notices, 0.95)} max {ms(lat.notices, 1)} ms "
          f"({lat.expected} expected, {lat.missing} missing, {lat.wrong_chat} to another chat; "
          f"after the answer p50 {ms(lat.after_answer, 0.5)} p95 {ms(lat.after_answer, 0.95)} "
          f"ms; {held(bids, app_inbox)} came late, about 1 s after the previous one to that "
          f"chat); every bidder's updated rank p50 {ms(lat.ranks, 0.5)} p95 "
          f"{ms(lat.ranks, 0.95)} max {ms(lat.ranks, 1)} ms ({len(lat.ranks)} accepted bids; "
          f"{lat.rank_missing} updates missing, on {lat.rank_missing_bids} bids); a bid, the "
          f"latest of the three: p95 {ms(lat.bids, 0.95)} ms", flush=True)
    closed = sum(1 for f in followers if f.ended and f.events and not f.events[-1].open)
    kinds = ", ".join(f"{k} {n}" for k, n in wrong.items()) or "none"
    failed = Counter(f.error for f in followers if f.error)
    print(f"live pages: {len(followers)} streams, {events} events ({events / len(followers):.0f} "
          f"a page), {sum(f.heartbeats for f in followers)} heartbeats, {wrong.total()} events "
          f"whose figures disagree ({kinds}); {closed} ended by the close, "
          f"{failed.total()} failed{f' {dict(failed)}' if failed else ''}", flush=True)
    return {"bids": len(bids), "accepted": len(outcome.rows), "lost": lost,
            "lost_parts": lost_parts, "latency": lat,
            "bid_p95_ms": 1000 * percentile(lat.bids, 0.95),
            "answer_p95_ms": 1000 * percentile(lat.answers, 0.95),
            "notice_p95_ms": 1000 * percentile(lat.notices, 0.95),
            "rank_p95_ms": 1000 * percentile(lat.ranks, 0.95),
            "notices_missing": lat.missing + lat.wrong_chat,
            "followers": sum(1 for f in followers if f.events), "sse_events": events,
            "rank_missing": lat.rank_missing, "rank_wrong": wrong.total(),
            "rank_wrong_parts": dict(wrong),
            "streams_closed": closed}


def close_report(outcome: Outcome, inbox: Inbox, bidders: list[Bidder]) -> dict[str, Any]:
    by_account = {b.account_id: b for b in bidders}
    winners = [r for r in outcome.rows if r[4] is not None]
    double = max(0, len(winners) - 1) + max(0, outcome.deals - 1)
    close_ms = ((outcome.closed_at - outcome.deadline).total_seconds() * 1000
                if outcome.closed_at else float("nan"))
    best = min(outcome.rows, key=lambda r: (-better() * r[2], r[3], r[0])) \
        if outcome.rows else None
    told = {by_account[r[1]].chat for r in outcome.rows if r[1] in by_account}
    arrived = [inbox.results[c] for c in told if c in inbox.results]
    last = (max(arrived) - outcome.deadline.timestamp()) if arrived else float("nan")
    won = (f"{'buyer' if lot_side() else 'seller'} #{winners[0][1]} at €{winners[0][2] / 100:.2f} "
           f"({'the best bid' if best and winners[0][0] == best[0] else 'NOT the best bid'})"
           if winners else "nobody")
    seen = (1000 * (outcome.seen_closed - outcome.deadline.timestamp())
            if outcome.seen_closed else float("nan"))
    print(f"close: closed_at {close_ms:.0f} ms after the final deadline, committed (read here, "
          f"polling every 50 ms) {seen:.0f} ms after it; won by {won}; winners "
          f"{len(winners)}, deals {outcome.deals}; result notices reached {len(arrived)} of "
          f"{len(told)} bidders, the last {last:.1f} s after the deadline", flush=True)
    count, deadline = replayed(outcome)
    extended = outcome.extended_to or outcome.deadline
    match = count == outcome.extensions and deadline == extended
    print(f"extensions: the database says {outcome.extensions} (deadline "
          f"{extended:%H:%M:%S.%f}); replaying the {len(outcome.rows)} accepted bids from "
          f"the initial deadline {outcome.initial:%H:%M:%S.%f} gives {count} (deadline "
          f"{deadline:%H:%M:%S.%f}): {'they match' if match else 'MISMATCH'}", flush=True)
    return {"double_winners": double, "winners": len(winners), "deals": outcome.deals,
            "close_ms": seen, "closed_at_ms": close_ms, "closed": outcome.closed_at is not None,
            "extensions": outcome.extensions, "extensions_match": match,
            "results_told": len(arrived), "results_expected": len(told),
            "last_result_s": last}


# --- the run --------------------------------------------------------------------------------------


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--bidders", type=int, default=500)
    parser.add_argument("--bids", type=int, default=2000)
    parser.add_argument("--window", type=float, default=120,
                        help="seconds: the deadline is set this far ahead, the bids spread over it")
    parser.add_argument("--extend", type=int, default=3, help="late-bid extension, minutes (1-30)")
    parser.add_argument("--close-after", type=float, default=None,
                        help="seconds: once the bids are answered, bring the extended deadline "
                             "in to this far ahead (the tests' short run)")
    parser.add_argument("--slack-share", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--inflight", type=int, default=48)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", default=PG_SERVER)
    parser.add_argument("--side", choices=("buyer", "seller"), default="buyer",
                        help="a buyer's reverse auction (sellers bid down), or a seller's lot "
                             "(buyers bid up)")
    parser.add_argument("--keep-logs", action="store_true",
                        help="copy the server's log to /tmp/auction-bench-agora.log")
    return parser.parse_args(argv)


async def main(argv: list[str] | None = None) -> dict[str, Any]:
    from config.container import build
    from config.settings import Settings
    from core.storage.schema import upgrade

    global SIDE
    args = options(argv)
    SIDE = args.side
    bidders = people(args.bidders, args.slack_share)
    db = await fresh_pg(args.pg, PG_NAME)
    if db is None:
        raise SystemExit("the auction bench runs on PostgreSQL: start it, or give --pg")
    inbox = Inbox()
    bot, slack = BotApi(inbox), SlackApi(inbox=inbox)
    runner = web.AppRunner(bot.app(), access_log=None)
    await runner.setup()
    bot_port, smtp_port = free_port(), free_port()
    await web.TCPSite(runner, "127.0.0.1", bot_port).start()
    smtp = Controller(Mailbox(asyncio.get_running_loop()), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    try:
        with tempfile.TemporaryDirectory() as files:
            await upgrade(db)
            app = build(Settings(database_url=db, environment="test", data_dir=files,  # type: ignore[call-arg]
                                 database_pool_size=8))
            try:
                request_id, _ = await seed(app, bidders, args.extend)
                async with contextlib.AsyncExitStack() as stack:
                    result = await measured(stack, args, app, db, request_id, bidders, bot, slack,
                                            f"http://127.0.0.1:{bot_port}", smtp_port)
            finally:
                await app.close()
    finally:
        smtp.stop()
        await runner.cleanup()
        await drop_pg(args.pg, PG_NAME)
    print(f"components (p95 from a bid's POST): own answer {result['answer_p95_ms']:.0f} ms, "
          f"outbid notice {result['notice_p95_ms']:.0f} ms, every bidder's updated rank "
          f"{result['rank_p95_ms']:.0f} ms (on {result['followers']} SSE connections, "
          f"{result['sse_events']} events received, {result['rank_missing']} updates missing); "
          f"a bid, the latest of the three: {result['bid_p95_ms']:.0f} ms; the close: closed_at "
          f"{result['closed_at_ms']:.0f} ms, read committed {result['close_ms']:.0f} ms after "
          "the final deadline", flush=True)
    print(f"auction bids={result['bids']} accepted={result['accepted']} lost={result['lost']} "
          f"double_winners={result['double_winners']} extensions={result['extensions']} "
          f"bid_p95_ms={result['bid_p95_ms']:.0f} close_ms={result['close_ms']:.0f}", flush=True)
    return result


async def measured(stack: contextlib.AsyncExitStack, args: argparse.Namespace, app: Any, db: str,
                   request_id: int, bidders: list[Bidder], bot: BotApi, slack: SlackApi,
                   bot_url: str, smtp_port: int) -> dict[str, Any]:
    """The servers started, the cards opened, the bids posted, the close waited for."""
    slack_url = await stack.enter_async_context(serve(slack.app))
    base, secret, log = await start_agora(stack, args, db, bot_url, slack_url, smtp_port, bot)
    http = await stack.enter_async_context(aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0)))
    slack_http = await stack.enter_async_context(httpx.AsyncClient(
        base_url=base, timeout=ANSWER_TIMEOUT,
        limits=httpx.Limits(max_connections=args.inflight + 8)))
    servers = Servers(bot, slack, bot.inbox, base, secret, log, http, slack_http)
    await open_cards(servers, bidders, args.inflight)
    followers = await open_live_pages(stack, app, servers, request_id, bidders)
    initial = await set_deadline(app, request_id, args.window)
    print(f"bidding: the deadline set to {args.window:g} s from now, {initial:%H:%M:%S}; "
          f"{args.bids} bids over it, at most {args.inflight} in flight", flush=True)
    bidding = Bidding(servers, random.Random(args.seed), list(bidders))
    span = await run_bids(bidding, args)
    outcome = await wait_for_close(app, request_id, initial, args.close_after)
    told = {b.chat for b in bidders if b.account_id in {r[1] for r in outcome.rows}}
    await wait_for_results(bot.inbox, told, 60 + len(told) / 10)
    await wait_for_streams(followers, 10)
    result = report(bidding, span, outcome, bidders, bot.inbox, followers)
    result.update(close_report(outcome, bot.inbox, bidders))
    methods = Counter(c.method for c in slack.calls)
    print(f"traffic: Bot API {sum(bot.calls.values())} calls ({_top(bot.calls)}); Slack "
          f"{sum(methods.values())} calls ({_top(methods)}), {len(slack.refused)} payloads "
          "Slack would refuse", flush=True)
    return {**result, "slack_refused": len(slack.refused)}


def _top(calls: Counter[str]) -> str:
    return ", ".join(f"{m} {n}" for m, n in calls.most_common(4))


if __name__ == "__main__":
    asyncio.run(main())
