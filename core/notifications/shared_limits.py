"""Send limits shared by every worker through Redis (the `limits` library, moving windows).

Telegram counts a bot's messages over any one-second window and a chat's likewise; Slack counts
per app and channel. With several workers each pacing on its own, together they would overspend
the bot's budget, so here the budget lives in Redis and every worker takes its sends from it:

- *per chat*: a moving window of `per_chat_per_second` a second on (channel, bot, address);
- *per bot*: a moving window on (channel, bot) of one message less than `overall_per_second` a
  second (see MARGIN) — never more in any one-second span, wherever a fixed window's edge
  would fall — and, so the budget is not spent in one burst at the start of each second,
  *pacing*: time is cut into slots of one window's share (1/29 s for Telegram) and each slot
  is one send's, taken with a 1-per-second window on (channel, bot, slot number); a worker
  that misses a slot sleeps until the next one.

`acquire` waits (sleeping until the library's reset time or the next slot), it never refuses,
so a message is only ever delayed. Waits are measured on each worker's wall clock (the
library stamps entries with `time.time()`): workers' clocks must agree to a few milliseconds.

Channels other than Telegram and Slack, and every channel while Redis does not answer, use the
in-process `SendLimiter`: a Redis outage slows nothing down and stops nothing; with several
workers it may overspend the bot's budget for a while, and the channel's 429s then pause chats
(the dispatcher keeps `retry_after` in the database), so nothing is lost either.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import BlockingConnectionPool

from core.notifications.ratelimit import DEFAULT_RATES, Rate, SendLimiter

log = logging.getLogger(__name__)

SHARED_CHANNELS = ("telegram", "slack")
KEY_PREFIX = "agora:send"
TIMEOUT = 0.5  # seconds Redis gets to answer before this call falls back
CONNECTIONS = 8  # per worker; a send takes a handful of short commands
POOL_WAIT = 2.0  # seconds a command may wait for a free connection
RETRY_SECONDS = 5.0  # after a failure, the in-process limiter is used this long before retrying
WARN_EVERY = 60.0  # at most one warning a minute while Redis stays away
# The bot's shared window holds one message less than the channel allows in a second: a send is
# counted when its worker takes it, and reaches the channel a few milliseconds later (network,
# event loop), so the spare one keeps any of the channel's seconds within its limit.
MARGIN = 1
_SLOT = RateLimitItemPerSecond(1)  # one send per pacing slot (the slot number is in the key)


def per_second(rate: float) -> RateLimitItem:
    """`rate` sends a second as a moving window of whole seconds (0.5/s: 1 per 2 s)."""
    if rate >= 1:
        return RateLimitItemPerSecond(int(rate))
    return RateLimitItemPerSecond(1, math.ceil(1 / rate))


class RedisSendLimiter:
    """Waits until a send to (channel, address) is within the limits all workers share."""

    def __init__(self, url: str, bots: dict[str, str], rates: dict[str, Rate] | None = None,
                 fallback: SendLimiter | None = None) -> None:
        # `bots` names the sending identity per channel (the Telegram bot, the Slack app and
        # workspace): it is in every key, so two bots never share one budget.
        self._rates = rates or DEFAULT_RATES
        self._bots = bots
        self._fallback = fallback or SendLimiter(self._rates)
        # A few connections, waited for: a batch of a hundred sends starting at once must not
        # open a hundred connections (on a busy host their handshakes time out).
        self._pool = BlockingConnectionPool.from_url(url, max_connections=CONNECTIONS,
                                                     timeout=POOL_WAIT,
                                                     socket_connect_timeout=TIMEOUT,
                                                     socket_timeout=TIMEOUT)
        # limits types its **options as scalars; redis-py takes the pool as one of them.
        storage = RedisStorage(f"async+{url}", implementation="redispy", wrap_exceptions=True,
                               key_prefix=KEY_PREFIX,
                               connection_pool=self._pool)  # type: ignore[arg-type]
        self._windows = MovingWindowRateLimiter(storage)
        # One waiter per channel in this worker polls the bot's budget; the rest queue here.
        self._turns: dict[str, asyncio.Lock] = {}
        self._down_until = 0.0
        self._warned_at = -math.inf

    async def acquire(self, channel: str, address: str) -> None:
        rate = self._rates.get(channel)
        if rate is None:
            return
        if channel not in SHARED_CHANNELS or time.monotonic() < self._down_until:
            await self._fallback.acquire(channel, address)
            return
        try:
            await self._shared(channel, address, rate)
        except Exception as exc:  # Redis down or slow (StorageError) or any other failure of
            # the shared path: sends must not stop, so this worker paces by itself for a while
            self._down_until = time.monotonic() + RETRY_SECONDS
            self._warn(exc)
            await self._fallback.acquire(channel, address)

    async def close(self) -> None:
        await self._pool.disconnect()

    async def _shared(self, channel: str, address: str, rate: Rate) -> None:
        bot = self._bots.get(channel, "default")
        chat, chat_key = per_second(rate.per_chat_per_second), (channel, bot, "chat", address)
        overall = rate.overall_per_second
        overall = overall - MARGIN if overall >= 2 * MARGIN else overall
        cap, cap_key = per_second(overall), (channel, bot)
        while True:
            await self._until_free(chat, chat_key)
            async with self._turns.setdefault(channel, asyncio.Lock()):
                await self._slot(channel, bot, overall)
                await self._until_free(cap, cap_key)
                # The chat is taken at the send, not when waiting for the bot began, so a
                # chat's sends are spaced by their real times. One row per chat is in flight
                # across workers, so this holds; if not, the slot is spent and we wait again.
                if not await self._windows.hit(chat, *chat_key):
                    continue
                while not await self._windows.hit(cap, *cap_key):  # another worker came first
                    await self._until_free(cap, cap_key)
                return

    async def _slot(self, channel: str, bot: str, overall: float) -> None:
        """Take the bot's next free pacing slot."""
        pace = 1 / overall
        while True:
            now = time.time()
            slot = int(now / pace)
            if await self._windows.hit(_SLOT, channel, bot, "slot", str(slot)):
                return
            await asyncio.sleep(max((slot + 1) * pace - time.time(), 0.001))

    async def _until_free(self, item: RateLimitItem, key: tuple[str, ...]) -> None:
        while True:
            stats = await self._windows.get_window_stats(item, *key)
            if stats.remaining > 0:
                return
            await asyncio.sleep(max(stats.reset_time - time.time(), 0.001))

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            log.warning("send limits: Redis does not answer (%s); this worker paces its sends by "
                        "itself until it does", exc)
