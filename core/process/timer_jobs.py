"""The loop every timer job shares: each due timer in a short transaction of its own, so one
that fails (logged, and tried again later) never holds up the others."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TypeVar

from core.process import timers
from core.storage.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)
RETRY_AFTER = timedelta(minutes=5)  # a timer whose transition failed waits this long
T = TypeVar("T")


async def fire_each(uow_factory: UowFactory, timer_ids: Iterable[int],
                    fire: Callable[[UnitOfWork, int], Awaitable[T | None]], what: str) -> list[T]:
    """`fire` each timer in its own transaction; what each returned (None: nothing taken)."""
    taken: list[T] = []
    for timer_id in timer_ids:
        try:
            async with uow_factory() as uow:
                outcome = await fire(uow, timer_id)
                await uow.commit()
        except Exception:
            log.exception("%s timer %s failed; it is tried again in %s", what, timer_id,
                          RETRY_AFTER)
            await _postpone(uow_factory, timer_id, what)
            continue
        if outcome is not None:
            taken.append(outcome)
    return taken


async def remind_each(uow_factory: UowFactory, timer_ids: Iterable[int],
                      remind: Callable[[UnitOfWork, int], Awaitable[int]], what: str) -> int:
    """Send each timer's due reminders in its own transaction; how many notices went."""
    sent = 0
    for timer_id in timer_ids:
        try:
            async with uow_factory() as uow:
                sent += await remind(uow, timer_id)
                await uow.commit()
        except Exception:
            log.exception("reminders of %s timer %s failed; the next run tries again", what,
                          timer_id)
    return sent


async def _postpone(uow_factory: UowFactory, timer_id: int, what: str) -> None:
    try:
        async with uow_factory() as uow:
            await timers.postpone(uow, timer_id, RETRY_AFTER)
            await uow.commit()
    except Exception:
        log.exception("%s timer %s could not be postponed", what, timer_id)
