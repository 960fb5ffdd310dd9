"""Requests per API key: a sliding window (the `limits` library's sliding window counter, the
library the chat's send limits use), shared by every worker through Redis when
`AGORA_REDIS_URL` is set, kept in this process otherwise — and in this process for a while
when Redis does not answer, so a Redis outage slows no API client down and stops none.

Every answer to a key carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
(seconds until the window frees a request, per the IETF's RateLimit header fields draft)
and `RateLimit-Policy`; one over the limit is 429 with `Retry-After`."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

log = logging.getLogger(__name__)

KEY_PREFIX = "agora:api"
TIMEOUT = 0.5  # seconds Redis gets to answer
RETRY_SECONDS = 5.0  # after a failure, this process counts alone this long


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds

    def headers(self) -> dict[str, str]:
        found = {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(self.remaining),
                 "RateLimit-Reset": str(self.reset),
                 "RateLimit-Policy": f"{self.limit};w=60"}
        if not self.allowed:
            found["Retry-After"] = str(max(1, self.reset))
        return found


class KeyLimits:
    """How many requests a minute each key may make."""

    def __init__(self, per_minute: int, redis_url: str | None = None) -> None:
        self.item: RateLimitItem = RateLimitItemPerMinute(per_minute)
        self._local = SlidingWindowCounterRateLimiter(MemoryStorage())
        self._shared: SlidingWindowCounterRateLimiter | None = None
        if redis_url:
            storage: Storage = RedisStorage(
                f"async+{redis_url}", implementation="redispy", wrap_exceptions=True,
                key_prefix=KEY_PREFIX, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
            self._shared = SlidingWindowCounterRateLimiter(storage)
        self._down_until = 0.0

    async def take(self, key_id: int) -> Verdict:
        """Count one request of this key; whether it is within the limit."""
        shared = self._shared if time.monotonic() >= self._down_until else None
        if shared is not None:
            try:
                return await self._take(shared, key_id)
            except Exception as exc:  # Redis away or slow: this worker counts alone meanwhile
                self._down_until = time.monotonic() + RETRY_SECONDS
                log.warning("API rate limits counted per worker for %.0f s: %s",
                            RETRY_SECONDS, exc)
        return await self._take(self._local, key_id)

    async def _take(self, windows: SlidingWindowCounterRateLimiter, key_id: int) -> Verdict:
        name = str(key_id)
        allowed = await windows.hit(self.item, name)
        stats = await windows.get_window_stats(self.item, name)
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        return Verdict(allowed, self.item.amount, max(0, stats.remaining), reset)
