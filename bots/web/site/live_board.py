"""Live standings of open requests for the pages that follow them, shared within a worker: one
look at a request a tick (a cheap marker query; the standings read again only when it moved),
however many pages follow it, each page woken when the standings change. A request nobody
follows is not looked at. Every worker keeps its own boards, so a page is current within a tick
of a bid, whichever worker took the bid."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from core.public import requests as public
from core.public.requests import Standings
from core.storage.uow import UowFactory

TICK = 0.2  # seconds between looks at a followed request
log = logging.getLogger(__name__)


@dataclass
class _Board:
    standings: Standings | None = None
    version: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    followers: int = 0
    task: asyncio.Task[None] | None = None


class LiveBoards:
    def __init__(self, uow: UowFactory, tick: float = TICK) -> None:
        self._uow, self._tick = uow, tick
        self._boards: dict[int, _Board] = {}

    async def follow(self, request_id: int, quiet: float) -> AsyncIterator[Standings | None]:
        """The request's standings now, then each time they change, until it closes; None
        after `quiet` seconds without a change (a page's heartbeat)."""
        board = self._boards.setdefault(request_id, _Board())
        board.followers += 1
        if board.task is None or board.task.done():
            board.task = asyncio.create_task(self._watch(request_id, board))
        try:
            seen = 0
            while True:
                if board.version == seen:
                    try:  # cancelling one waiter of the shared event leaves the others waiting
                        await asyncio.wait_for(board.changed.wait(), quiet)
                    except TimeoutError:
                        yield None
                    continue
                seen = board.version
                assert board.standings is not None
                yield board.standings
                if not board.standings.figures["open"]:
                    return
        finally:
            board.followers -= 1
            if board.followers == 0 and board.task is not None:
                board.task.cancel()
                self._boards.pop(request_id, None)

    async def _watch(self, request_id: int, board: _Board) -> None:
        """Look each tick; read the standings again only when the marker moved."""
        seen: object = object()
        while True:
            try:
                async with self._uow() as uow:
                    mark = await public.marker(uow, request_id)
                    if mark != seen:
                        found = await public.standings(uow, request_id)
                        seen = mark
                        if found != board.standings:
                            board.standings, board.version = found, board.version + 1
                            woken, board.changed = board.changed, asyncio.Event()
                            woken.set()
                            if not found.figures["open"]:
                                return
            except Exception:  # the database away a moment: the pages wait, the next tick tries
                log.exception("live standings of request %s", request_id)
            await asyncio.sleep(self._tick)
