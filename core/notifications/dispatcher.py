"""Delivers outbox rows after commit: batches claimed under a lease, sent concurrently one row per
chat at a time, retries with back-off, quiet hours, pauses a chat the channel asks to wait.

Every worker runs a dispatcher. A claim takes up to `batch` due rows in one short transaction
(PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent claims pass each other; SQLite:
the same statements, one writer at a time) and marks them `sending` with a lease (`claimed_by`,
`claimed_at`). A row is claimable only when no earlier row of its chat is being sent or due, so
one chat has at most one row in flight, in id order, across all workers. A lease older than
`lease` is a worker that died mid-send: its rows are claimed again (on PostgreSQL at once when
the claiming process has no connection left: `core.storage.workers`). That is the one
at-least-once window — a crash after the channel accepted a message and before the row was
marked sent — since neither Telegram's nor Slack's send methods take an idempotency key. A
mark whose connection turns out dead is made again on a fresh one, so a dropped connection alone
does not open that window.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy import ColumnClause, and_, exists, literal_column, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from core.accounts.tables import Account
from core.clock import Clock
from core.money.reading import reading
from core.notifications import cards
from core.notifications.cards import RetryLater
from core.notifications.quiet_hours import quiet_until
from core.notifications.ratelimit import Limiter, SendLimiter
from core.notifications.tables import OutboxMessage
from core.storage import workers
from core.storage.database import retry_if_disconnected
from core.storage.uow import dialect_name

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A batch is sent well within its lease (100 rows at Telegram's 30/s take about 3.5 s).
LEASE = timedelta(minutes=2)
# How long a claim by a worker not connected to the database is still its own: time for a
# living worker to reconnect after the database restarted and settle what it sent meanwhile.
RECONNECT_GRACE = timedelta(seconds=10)
BATCH = 100




class Claimed(NamedTuple):
    """A row this dispatcher holds the lease of."""

    id: int
    channel: str
    address: str
    payload: dict[str, Any]
    attempts: int
    account_id: int | None = None  # its recipient, for whom its files are drawn


class Attachment(NamedTuple):
    """A file that goes with a notification, rendered when it is delivered."""

    file_name: str
    content: bytes
    mime_type: str


# An attachment kind's resolver: the reference's key in, the file out (it may raise; the row
# is then retried like any failed send).
Resolver = Callable[[str], Awaitable[Attachment]]


class Sender(Protocol):
    """A channel's way to deliver one notification payload, and its files, to an address."""

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> str | None:
        """Deliver; returns where the message is (for a channel that can edit it later: a
        card's buttons are taken away by `retire(address, ref, payload)`), else None."""


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(5 * 2 ** (attempts - 1), 3600))


class OutboxDispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        senders: dict[str, Sender],
        limiter: Limiter | None = None,
        accept: Callable[[str, str, int | None], bool] | None = None,
        poll_seconds: float = 1.0,
        attachments: dict[str, Resolver] | None = None,
        card_builders: dict[str, cards.CardBuilder] | None = None,
        batch: int = BATCH,
        lease: timedelta = LEASE,
        worker: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.senders = senders
        # Files are referenced in the payload ({"kind", "key"}), not stored in the row: the
        # resolver of their kind renders them at delivery time.
        self.attachments = attachments if attachments is not None else {}
        # An object's card as it is now, by the object's kind ("deal"), for rewriting its
        # latest card in a chat (core.notifications.cards.rewrite_latest).
        self.card_builders = card_builders if card_builders is not None else {}
        self._limiter = limiter or SendLimiter()
        # accept(channel, address, account_id): which rows this dispatcher delivers.
        self._accept = accept or (lambda channel, address, account_id: True)
        self._poll = poll_seconds
        self._wake = asyncio.Event()
        self._batch = batch
        self._lease = lease
        # Who holds a lease: unique per dispatcher, naming its process (host-pid-random#tail).
        self.worker = worker or workers.claim_name(uuid.uuid4().hex[:8])
        self._owed: dict[int, dict[str, Any]] = {}  # row → the mark the database did not take

    @property
    def limiter(self) -> Limiter:
        return self._limiter

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # a broken row or a database hiccup must not stop delivery
                log.exception("outbox dispatch failed")
            try:
                await asyncio.wait_for(self._wake.wait(), self._poll)
            except TimeoutError:
                pass
            self._wake.clear()

    async def run_once(self) -> int:
        """Deliver every row that is due now; returns how many were sent. Rows are claimed a
        batch at a time and sent concurrently; when half a batch is done it is topped up, so the
        channel's pace is kept between batches — and at once when new rows are committed
        (`wake`), so a verification code never waits for a batch of others to be sent."""
        await self._settle_owed()
        await self._release_expired_leases()
        sent = 0
        flying: set[asyncio.Task[bool]] = set()
        woken: asyncio.Task[Any] | None = None
        try:
            while True:
                rows, progressed = await self._claim_batch(self._batch - len(flying))
                flying |= {asyncio.create_task(self._deliver(row)) for row in rows}
                if not flying:
                    if progressed:
                        continue
                    return sent
                # Nothing more claimable now (a chat's next row waits for the one in flight):
                # let every send finish before looking again, unless new rows come.
                keep = len(flying) // 2 if rows else 0
                while len(flying) > keep:
                    woken = woken or asyncio.create_task(self._wake.wait())
                    done, _ = await asyncio.wait({*flying, woken},
                                                 return_when=asyncio.FIRST_COMPLETED)
                    flying -= done
                    sent += sum(_delivered(task) for task in done if task is not woken)
                    if woken in done:
                        self._wake.clear()
                        woken = None
                        break
        finally:
            for task in (*flying, woken):  # cancelled (shutdown): the leases bring rows back
                if task is not None:
                    task.cancel()

    async def _claim_batch(self, limit: int) -> tuple[list[Claimed], bool]:
        """Lease up to `limit` due rows, the first open row of each chat; rows in their
        recipient's quiet hours are moved to its end instead. Returns the rows and whether
        anything changed (nothing: the due rows are all taken or not this dispatcher's)."""
        now = self._clock.now()
        o = OutboxMessage
        async with self._sessions() as session, session.begin():
            found = (await session.execute(
                select(o.id, o.channel, o.address, o.account_id, o.urgent)
                .where(o.status == "pending", o.available_at <= now,
                       # Two values at least: a lone `channel = …` would let PostgreSQL's
                       # planner push it into the chat check and compare every pair of rows.
                       o.channel.in_([*self.senders, ""]), _first_of_its_chat(now))
                # Urgent rows (verification codes) first: a backlog of alerts never holds
                # a code up; otherwise oldest first.
                .order_by(o.urgent.desc(), o.id).limit(max(limit, 1))
                .with_for_update(skip_locked=True, of=o)
            )).all()
            rows = [r for r in found if self._accept(r.channel, r.address, r.account_id)]
            held = await self._quiet(session, rows)
            for row_id, until in held.items():
                await session.execute(update(o).where(o.id == row_id).values(available_at=until))
            ready = [r.id for r in rows if r.id not in held]
            if not ready:
                return [], bool(held)
            claimed = (await session.execute(
                update(o)
                .where(o.id.in_(ready), o.status == "pending", _first_of_its_chat(now))
                .values(status="sending", attempts=o.attempts + 1, claimed_by=self.worker,
                        claimed_at=now)
                .returning(o.id, o.channel, o.address, o.payload, o.attempts, o.account_id)
                .execution_options(synchronize_session=False)
            )).all()
        rows_claimed = sorted(Claimed(*r) for r in claimed)
        return rows_claimed, bool(rows_claimed or held)

    async def _quiet(self, session: AsyncSession, rows: Sequence[Any]) -> dict[int, datetime]:
        """Rows to hold until their recipient's quiet hours end (urgent ones never wait)."""
        ids = {r.account_id for r in rows if not r.urgent and r.account_id is not None}
        if not ids:
            return {}
        accounts = {a.id: a for a in (await session.execute(
            select(Account.id, Account.quiet_start, Account.quiet_end, Account.timezone)
            .where(Account.id.in_(ids)))).all()}
        now, held = self._clock.now(), {}
        for row in rows:
            account = None if row.urgent else accounts.get(row.account_id)
            if account is None:
                continue
            until = quiet_until(now, account.quiet_start, account.quiet_end,
                                account.timezone or "UTC")
            if until is not None:
                held[row.id] = until
        return held

    async def _deliver(self, row: Claimed) -> bool:
        await self._limiter.acquire(row.channel, row.address)  # an edit counts as a send
        if (key := cards.rewrites(row.payload)) is not None:
            return await self._rewrite(row, key)
        try:
            # Before sending anything (a failure sends nothing), drawn for the recipient.
            files = await self._files(row.payload, row.account_id)
            sender = self.senders[row.channel]
            ref = await sender.send(row.address, row.payload, files)
        except RetryLater as wait:
            await self._pause_chat(row, wait)
            return False
        except Exception as exc:
            await self._failed(row, exc)
            return False
        about = cards.about(row.payload)
        editor = sender if cards.can_retire(sender) else None
        card = ref if about and isinstance(ref, str) and editor is not None else None
        await self._finish(row.id, status="sent", sent_at=self._clock.now(), sent_ref=card)
        if card is not None and editor is not None:
            # The newer card is shown: older ones of its objects lose buttons.
            await cards.retire_older(self._sessions, editor, row.id, row.channel, row.address,
                                     about)
        return True

    async def _rewrite(self, row: Claimed, key: str) -> bool:
        """A row that rewrites the chat's latest card of `key` rather than sending anything:
        done once tried (a card no longer there, or a channel that cannot edit, is no error)."""
        sender = self.senders[row.channel]
        build = self.card_builders.get(key.partition(":")[0])
        try:
            if build is not None and row.account_id is not None and cards.can_rewrite(sender):
                await cards.rewrite_latest(self._sessions, sender, row.id, row.channel,
                                           row.address, key, build, row.account_id)
        except RetryLater as wait:
            await self._pause_chat(row, wait)
            return False
        except Exception as exc:  # the database: tried again like a send
            await self._failed(row, exc)
            return False
        await self._finish(row.id, status="sent", sent_at=self._clock.now())
        return True

    async def _files(self, payload: dict[str, Any], account_id: int | None = None
                     ) -> list[Attachment]:
        """The row's files, rendered now for its recipient: a document (a deal's terms, a
        recap) in their language and number format, as the message's text is."""
        refs = payload.get("attachments") or []
        if not refs:
            return []
        reader = await self._reader(account_id)
        files = []
        with reading(reader):
            for ref in refs:
                resolver = self.attachments.get(ref["kind"])
                if resolver is None:
                    raise LookupError(f"no resolver for {ref['kind']!r} attachments")
                files.append(Attachment(*await resolver(ref["key"])))
        return files

    async def _reader(self, account_id: int | None) -> Any:
        """The recipient's language and country (None: no one in particular, English)."""
        if account_id is None:
            return None
        async with self._sessions() as session:
            return (await session.execute(select(Account.language, Account.country)
                                          .where(Account.id == account_id))).first()

    async def _pause_chat(self, row: Claimed, wait: RetryLater) -> None:
        """The channel refused this send for now: the chat's rows (this one first) wait until
        `retry_after` has passed; the attempt is not counted, so a 429 never uses a row up."""
        until = self._clock.now() + timedelta(seconds=wait.seconds)
        log.info("outbox: %s %s asked to wait %.1f s (row %s)", row.channel, row.address,
                 wait.seconds, row.id)
        o = OutboxMessage

        async def pause() -> None:  # both updates conditional: safe to run twice
            async with self._sessions() as session, session.begin():
                await session.execute(
                    update(o).where(o.channel == row.channel, o.address == row.address,
                                    o.status == "pending", o.available_at < until)
                    .values(available_at=until))
                await session.execute(
                    update(o).where(o.id == row.id, o.status == "sending",
                                    o.claimed_by == self.worker)
                    .values(status="pending", attempts=row.attempts - 1, available_at=until,
                            claimed_by=None, claimed_at=None, last_error=str(wait)[:500]))

        await retry_if_disconnected(pause)

    async def _failed(self, row: Claimed, exc: Exception) -> None:
        attempts = row.attempts  # already counts this try (set when claimed)
        log.warning("outbox row %s to %s failed (attempt %s): %s", row.id, row.channel, attempts, exc)
        if attempts >= MAX_ATTEMPTS:
            await self._finish(row.id, status="failed", last_error=str(exc)[:500])
        else:
            await self._finish(row.id, status="pending", last_error=str(exc)[:500],
                               available_at=self._clock.now() + backoff(attempts),
                               claimed_by=None, claimed_at=None)

    async def _finish(self, row_id: int, **values: Any) -> None:
        """Settle a row this dispatcher still holds (a row whose lease passed to another
        worker is that worker's now). Tried again on a fresh connection when the first one
        turns out dead: a "sent" mark lost that way would leave the row to be sent a second
        time after its lease, and hold its chat's next rows until then. The update is
        conditional, so a second try after a COMMIT that did land changes nothing."""

        async def mark() -> None:
            async with self._sessions() as session, session.begin():
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row_id, OutboxMessage.status == "sending",
                           OutboxMessage.claimed_by == self.worker)
                    .values(**values)
                )

        try:
            await retry_if_disconnected(mark)
        except Exception as exc:  # the database is down: kept here, settled once it is back
            log.warning("outbox row %s: its mark waits for the database (%s)", row_id, exc)
            self._owed[row_id] = values

    async def _settle_owed(self) -> None:
        """The marks of rows sent (or failed) while the database was down, made before any new
        row is claimed: the rows are not sent again after their lease, and their chats' next
        rows go out as soon as the database answers (raises while it is still down)."""
        for row_id, values in list(self._owed.items()):
            del self._owed[row_id]
            await self._finish(row_id, **values)
            if row_id in self._owed:
                raise ConnectionError("the database is still down")

    async def _release_expired_leases(self) -> None:
        """Rows whose worker died mid-send (lease expired, or on PostgreSQL its process gone)
        become claimable again."""
        now = self._clock.now()
        o, cutoff = OutboxMessage, now - self._lease
        async with self._sessions() as session, session.begin():
            gone = o.claimed_at < cutoff
            if dialect_name(session) == "postgresql":
                # A worker not connected now is dead — unless the database itself just came
                # back, and a living worker has not reconnected yet (it keeps the marks of what
                # it sent meanwhile, `_owed`): its claims count as dead only after a while.
                gone = or_(gone, and_(workers.held_by_a_dead_worker(o.claimed_by),
                                      o.claimed_at < now - RECONNECT_GRACE))
            await session.execute(
                update(o).where(o.status == "sending", gone)
                .values(status="pending", claimed_by=None, claimed_at=None)
                .execution_options(synchronize_session=False))


def _delivered(task: asyncio.Task[bool]) -> bool:
    if task.exception() is not None:
        log.error("outbox delivery broke", exc_info=task.exception())
        return False
    return task.result()


def _first_of_its_chat(now: datetime) -> Any:
    """No earlier row of the same chat is being sent or due: one row in flight per chat, in id
    order (a row waiting for its back-off or quiet hours does not hold the chat up)."""
    o, earlier = OutboxMessage, aliased(OutboxMessage)
    return ~exists().where(
        earlier.channel == o.channel, earlier.address == o.address, earlier.id < o.id,
        earlier.status.in_(_OPEN),  # literally the partial index's condition, so it is used
        or_(earlier.status == "sending", earlier.available_at <= now))


_OPEN: tuple[ColumnClause[str], ...] = (literal_column("'pending'"), literal_column("'sending'"))
