"""Outbound rate limits per channel: an overall rate and a per-chat rate (aiolimiter)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from aiolimiter import AsyncLimiter


@dataclass(frozen=True)
class Rate:
    overall_per_second: float
    per_chat_per_second: float
    # Sends that may go at once: 1 paces them evenly; more lets a burst through together (each
    # paced send waits for a timer, and on a busy event loop every timer fires late).
    burst: int = 1


# Telegram: ~30 messages/s overall, 1/s per chat. Slack: 1/s per channel (chat.postMessage).
DEFAULT_RATES = {
    "telegram": Rate(30, 1),
    "slack": Rate(50, 1),
    "email": Rate(50, 5, burst=50),  # the SMTP relay's pace: AGORA_SMTP_PER_SECOND
    "terminal": Rate(1000, 1000),
}


class Limiter(Protocol):
    """Waits until a send to (channel, address) is within its channel's limits; never refuses."""

    async def acquire(self, channel: str, address: str) -> None: ...


class SendLimiter:
    """Waits until a send to (channel, address) is within both limits, in this process only
    (one worker; several share theirs through Redis: `shared_limits.RedisSendLimiter`)."""

    def __init__(self, rates: dict[str, Rate] | None = None, max_chats: int = 10_000) -> None:
        self._rates = rates or DEFAULT_RATES
        # Paced where the burst is 1: one send every 1/rate s, so a channel that counts over any
        # one-second window (Telegram: 30 a second per bot) never sees a burst above it. Email
        # lets a second's worth go together.
        self._overall = {ch: AsyncLimiter(r.burst, r.burst / r.overall_per_second)
                         for ch, r in self._rates.items()}
        self._chats: OrderedDict[tuple[str, str], AsyncLimiter] = OrderedDict()
        self._max_chats = max_chats

    async def acquire(self, channel: str, address: str) -> None:
        rate = self._rates.get(channel)
        if rate is None:
            return
        await self._chat_limiter(channel, address, rate).acquire()
        await self._overall[channel].acquire()

    def _chat_limiter(self, channel: str, address: str, rate: Rate) -> AsyncLimiter:
        key = (channel, address)
        limiter = self._chats.get(key)
        if limiter is None:
            limiter = self._chats[key] = AsyncLimiter(1, 1 / rate.per_chat_per_second)
            if len(self._chats) > self._max_chats:  # forget the least recently used chat
                self._chats.popitem(last=False)
        self._chats.move_to_end(key)
        return limiter
