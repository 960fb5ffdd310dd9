"""The outbox: delivered after commit, once, retried with back-off, quiet hours honoured."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from core.accounts import service as accounts
from core.actions import Action
from core.catalog.intents import ListingIntent
from core.notifications.delivery import Attachment
from core.notifications.dispatcher import OutboxDispatcher
from core.notifications.outbox import notify
from core.notifications.quiet_hours import quiet_until
from core.notifications.ratelimit import Rate, SendLimiter
from core.notifications.tables import OutboxMessage
from tests.support.accounts import registered


class RecordingSender:
    def __init__(self, failures: int = 0, delay: float = 0) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.files: list[Sequence[Attachment]] = []
        self.failures = failures
        self.delay = delay

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None:
        await asyncio.sleep(self.delay)
        if self.failures:
            self.failures -= 1
            raise ConnectionError("channel down")
        self.sent.append((address, payload))
        self.files.append(files)


async def make_account(app, quiet: tuple[str, str] | None = None, tz: str = "UTC") -> int:
    account = await registered(app, "42", channel="telegram", display_name="Ann",
                               email="ann@example.com", timezone=tz)
    if quiet:
        async with app.uow() as uow:
            await accounts.update_profile(uow, account.id, quiet_start=quiet[0],
                                          quiet_end=quiet[1])
            await uow.commit()
    return account.id


async def queue(app, account_id: int, text: str, **kw: Any) -> None:
    async with app.uow() as uow:
        await notify(uow, account_id, text, **kw)
        await uow.commit()


def dispatcher(app, sender: RecordingSender) -> OutboxDispatcher:
    return OutboxDispatcher(app.sessions, app.clock, {"telegram": sender})


async def test_a_notification_is_not_sent_when_its_transaction_rolls_back(app):
    account_id = await make_account(app)
    async with app.uow() as uow:
        await notify(uow, account_id, "never")
    sender = RecordingSender()
    assert await dispatcher(app, sender).run_once() == 0
    assert sender.sent == []


async def test_a_savepoint_rolled_back_takes_the_notices_written_since_with_it(app):
    # Notices are written at commit in one INSERT (`UnitOfWork.stage`), so a step undone in a
    # savepoint must drop the ones it wrote itself, and keep those written before it.
    account_id = await make_account(app)
    async with app.uow() as uow:
        await notify(uow, account_id, "before the step")
        step = await uow.savepoint()
        await notify(uow, account_id, "in the undone step")
        await step.rollback()
        step = await uow.savepoint()
        await notify(uow, account_id, "in the kept step")
        await step.commit()
        await uow.commit()
    sender = RecordingSender()
    assert await dispatcher(app, sender).run_once() == 2
    assert [payload["text"] for _, payload in sender.sent] == ["before the step",
                                                                "in the kept step"]


async def test_a_nested_block_that_fails_takes_only_its_own_notices_with_it(app):
    account_id = await make_account(app)
    async with app.uow() as uow:
        await notify(uow, account_id, "before the block")
        with pytest.raises(RuntimeError):
            async with uow.nested():
                await notify(uow, account_id, "in the failed block", dedupe_key="failed")
                await uow.flush()  # written inside the block: undone with it all the same
                raise RuntimeError("the step failed")
        async with uow.nested():
            await notify(uow, account_id, "in the block that held")
        await uow.commit()
    sender = RecordingSender()
    assert await dispatcher(app, sender).run_once() == 2
    assert [payload["text"] for _, payload in sender.sent] == ["before the block",
                                                                "in the block that held"]


async def test_a_committed_notification_reaches_the_preferred_channel(app):
    account_id = await make_account(app)
    await queue(app, account_id, "Your offer was accepted",
                buttons=[[Action(ListingIntent.MY_LISTINGS, "Open")]])
    sender = RecordingSender()
    assert await dispatcher(app, sender).run_once() == 1
    assert sender.sent == [("42", {"text": "Your offer was accepted", "buttons": [
        [{"label": "Open", "intent": "my_listings", "arg": ""}]]})]


async def test_a_failed_send_is_retried_after_a_back_off(app, clock):
    account_id = await make_account(app)
    await queue(app, account_id, "hello")
    sender = RecordingSender(failures=1)
    worker = dispatcher(app, sender)
    assert await worker.run_once() == 0
    assert await worker.run_once() == 0  # not yet due again
    clock.advance(seconds=6)
    assert await worker.run_once() == 1
    async with app.uow() as uow:
        row = (await uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.channel == "telegram"))).scalar_one()
        assert (row.status, row.attempts) == ("sent", 2)


async def test_an_attachment_is_rendered_at_delivery_and_handed_to_the_sender(app):
    account_id = await make_account(app)
    await queue(app, account_id, "Your receipt", attachment={"kind": "invoice", "key": "t1"})

    async def invoice(key: str) -> Attachment:
        return Attachment(f"{key}.pdf", b"%PDF-1.7 " + key.encode(), "application/pdf")

    sender = RecordingSender()
    worker = OutboxDispatcher(app.sessions, app.clock, {"telegram": sender},
                              attachments={"invoice": invoice})
    assert await worker.run_once() == 1
    assert sender.sent[0][1]["attachments"] == [{"kind": "invoice", "key": "t1"}]
    assert sender.files == [[Attachment("t1.pdf", b"%PDF-1.7 t1", "application/pdf")]]


async def test_a_failing_attachment_resolver_retries_the_row_instead_of_losing_it(app, clock):
    account_id = await make_account(app)
    await queue(app, account_id, "Your receipt", attachment={"kind": "invoice", "key": "t1"})
    failures = [RuntimeError("database away")]

    async def invoice(key: str) -> Attachment:
        if failures:
            raise failures.pop()
        return Attachment("r.pdf", b"%PDF", "application/pdf")

    sender = RecordingSender()
    worker = OutboxDispatcher(app.sessions, app.clock, {"telegram": sender},
                              attachments={"invoice": invoice})
    assert await worker.run_once() == 0
    assert sender.sent == []  # nothing half-sent: the file is resolved before the text goes
    async with app.uow() as uow:
        row = (await uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.channel == "telegram"))).scalar_one()
        assert (row.status, row.attempts) == ("pending", 1)
        assert "database away" in (row.last_error or "")
    clock.advance(seconds=6)
    assert await worker.run_once() == 1
    assert [f.file_name for f in sender.files[0]] == ["r.pdf"]


async def test_an_attachment_of_an_unknown_kind_is_retried_not_dropped(app):
    account_id = await make_account(app)
    await queue(app, account_id, "Your receipt", attachment={"kind": "nope", "key": "x"})
    sender = RecordingSender()
    assert await dispatcher(app, sender).run_once() == 0
    async with app.uow() as uow:
        row = (await uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.channel == "telegram"))).scalar_one()
        assert row.status == "pending" and "no resolver" in (row.last_error or "")


async def test_two_dispatchers_never_deliver_the_same_row_twice(app):
    account_id = await make_account(app)
    for n in range(10):
        await queue(app, account_id, f"message {n}")
    sender = RecordingSender(delay=0.001)
    unlimited = SendLimiter({"telegram": Rate(10_000, 10_000)})
    workers = [OutboxDispatcher(app.sessions, app.clock, {"telegram": sender}, unlimited)
               for _ in range(3)]
    await asyncio.gather(*(w.run_once() for w in workers))
    texts = sorted(p["text"] for _, p in sender.sent)
    assert texts == sorted(f"message {n}" for n in range(10))


async def test_quiet_hours_hold_a_notification_until_they_end(app, clock):
    clock._now = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)  # 00:30 in Riga
    account_id = await make_account(app, quiet=("22:00", "07:00"), tz="Europe/Riga")
    await queue(app, account_id, "new listing")
    sender = RecordingSender()
    worker = dispatcher(app, sender)
    assert await worker.run_once() == 0
    clock._now = datetime(2026, 11, 21, 5, 1, tzinfo=UTC)  # 07:01 in Riga
    assert await worker.run_once() == 1


async def test_urgent_notifications_ignore_quiet_hours(app, clock):
    clock._now = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
    account_id = await make_account(app, quiet=("22:00", "07:00"))
    await queue(app, account_id, "security code", urgent=True)
    sender = RecordingSender()
    assert await dispatcher(app, sender).run_once() == 1


def test_quiet_hours_window_within_one_day_and_over_midnight():
    at = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
    assert quiet_until(at, "12:00", "14:00", "UTC") == datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    assert quiet_until(at, "22:00", "07:00", "UTC") is None
    late = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
    assert quiet_until(late, "22:00", "07:00", "UTC") == datetime(2026, 11, 21, 7, 0, tzinfo=UTC)


async def test_the_per_chat_rate_limit_spaces_sends_to_one_chat():
    limiter = SendLimiter({"telegram": Rate(1000, 20)})
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(3):
        await limiter.acquire("telegram", "chat-1")
    assert loop.time() - start >= 0.09  # three sends at 20/s need at least two 50 ms gaps
    other = loop.time()
    await limiter.acquire("telegram", "chat-2")
    assert loop.time() - other < 0.04
