"""How many PostgreSQL connections each of `agora serve`'s workers may keep, so that all of them
fit in the server's `max_connections` together.

A worker keeps `AGORA_DATABASE_POOL_SIZE` connections (40 by default), a quarter more at peaks,
three for work due at a moment (`config.container.ON_TIME_CONNECTIONS` and its one extra), and
one each for the leader's advisory lock and the catalogue's change feed. Two default workers
then want 108 of a default server's 97 (100 less the superusers' 3): under load a step failed
with "sorry, too many clients already". `agora serve` asks the server and keeps each worker's
pool within its share, saying so when it had to.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from config.container import ON_TIME_CONNECTIONS

# A worker's connections besides its pool: the on-time pool and its overflow, the leader's
# lock, the change feed.
OWN_CONNECTIONS = ON_TIME_CONNECTIONS + 1 + 2
# Left for everything else: `agora db upgrade`, a psql session, monitoring.
LEFT_FREE = 5


def peak(pool_size: int) -> int:
    """The most connections one worker opens with this pool (SQLAlchemy's overflow is a quarter
    of the pool, at least one: core.storage.database)."""
    return pool_size + max(1, pool_size // 4) + OWN_CONNECTIONS


def fitting_pool(allowed: int, workers: int, wanted: int) -> int:
    """The largest pool up to `wanted` whose peak, times `workers`, fits in `allowed`
    connections (never below one)."""
    share = (allowed - LEFT_FREE) // workers
    pool = wanted
    while pool > 1 and peak(pool) > share:
        pool -= 1
    return pool


@dataclass(frozen=True)
class Budget:
    allowed: int  # connections the server takes from ordinary roles
    pool_size: int  # what each worker keeps
    wanted: int  # what the settings asked for


async def budget(database_url: str, workers: int, wanted: int) -> Budget:
    """The server's connections (max_connections less those reserved for superusers) and
    each worker's pool within them."""
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        most = int(await conn.fetchval("SHOW max_connections"))
        reserved = int(await conn.fetchval("SHOW superuser_reserved_connections"))
    finally:
        await conn.close()
    allowed = most - reserved
    return Budget(allowed, fitting_pool(allowed, workers, wanted), wanted)


def notice(fitted: Budget, workers: int) -> list[str]:
    """The start-up box's line when the pool was made smaller than asked; none otherwise."""
    if fitted.pool_size >= fitted.wanted:
        return []
    each = "each of the workers keeps" if workers > 1 else "the worker keeps"
    return [f"PostgreSQL takes {fitted.allowed} connections: {each} at most "
            f"{fitted.pool_size} (AGORA_DATABASE_POOL_SIZE={fitted.wanted} would not fit)."]
