"""The API's rate limit per key: two workers on one Redis count one window for a key (the
fourth request of three a minute is refused, whichever worker it reaches, with how long to
wait); each key has its own; with Redis gone a worker counts alone and refuses nothing it
would not have."""

from __future__ import annotations

import random

import pytest

from bots.api.limits import KeyLimits
from tests.support import databases
from tests.support.servers import free_port


def a_key() -> int:
    """A key id no other test's run counts in the shared Redis."""
    return random.randrange(10**9, 10**12)


@pytest.mark.redis
async def test_two_workers_on_one_redis_count_one_window_per_key():
    url = databases.redis_url()
    assert url
    first, second = KeyLimits(3, url), KeyLimits(3, url)
    key, other = a_key(), a_key()
    verdicts = [await (first if n % 2 else second).take(key) for n in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert [v.remaining for v in verdicts] == [2, 1, 0, 0]
    refused = verdicts[-1].headers()
    assert refused["RateLimit-Limit"] == "3" and int(refused["Retry-After"]) >= 1
    assert (await first.take(other)).allowed  # another key, its own window


async def test_with_redis_away_a_worker_counts_alone():
    alone = KeyLimits(2, f"redis://127.0.0.1:{free_port()}/0")
    key = a_key()
    assert [(await alone.take(key)).allowed for __ in range(3)] == [True, True, False]
