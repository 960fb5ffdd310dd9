"""Monthly retainers through the core services and the money layer, on both databases: the
seeker consents, saves a card, and each month is a package charged to it off-session (one
receipt a month); a month's end starts and charges the next until either party ends it; a
declined renewal leaves the retainer past due until that month is paid on its page. The clock
starts on Friday 20 November 2026 at 12:00 UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bots.scheduler import settle_packages
from core.consulting.packages import retainers, rules
from core.consulting.packages import service as packages
from core.consulting.packages.tables import PackagePurchase, Retainer
from core.errors import Conflict
from payments.tables import Escrow, Invoice
from tests.consulting.helpers import consultant, seeker
from tests.consulting.session_support import CARD, act
from tests.support.outbox import told

DECLINES_LATER = "4000 0000 0000 0341"  # saved now, declined when charged later


def test_a_month_ends_on_the_same_day_of_the_next_or_its_last_day():
    assert rules.next_month(datetime(2026, 1, 31, 9, tzinfo=UTC)) == datetime(2026, 2, 28, 9,
                                                                               tzinfo=UTC)
    assert rules.next_month(datetime(2026, 12, 5, tzinfo=UTC)) == datetime(2027, 1, 5, tzinfo=UTC)


async def _subscribed(app, card=CARD):
    ann, bob = await consultant(app), await seeker(app)
    async with app.uow() as uow:
        package = await packages.offer(uow, ann.id, 3, 60, 10, 0, "none", monthly=True)
        await uow.commit()
    retainer = await act(app, retainers.subscribe, bob.id, package.id)
    saved = await app.payments.saved_method(retainers.card_reference(retainer.id))
    assert saved is not None and saved.state == "awaiting_method"
    assert await told(app, bob.id, "Retainer #1: save the card it is charged to, €216.00 each "
                                   "month until you cancel")
    await app.payments.save_with_test_card(saved.id, card)
    return ann, bob, retainer.id


async def _months(app):
    async with app.uow() as uow:
        rows = list((await uow.session.execute(select(PackagePurchase).where(
            PackagePurchase.retainer_id.is_not(None)).order_by(PackagePurchase.month))).scalars())
        uow.session.expunge_all()
        return rows


async def _retainer(app, retainer_id):
    async with app.uow() as uow:
        row = await uow.session.get(Retainer, retainer_id)
        uow.session.expunge(row)
        return row


async def _receipts(app):
    """The seeker's receipts: one per payment (a consultant's payout statements aside)."""
    async with app.uow() as uow:
        return list((await uow.session.execute(select(Escrow.reference, Invoice.kind).join(
            Invoice, Invoice.escrow_id == Escrow.id).where(
            Escrow.reference.like("package:%"), Invoice.kind == "payment")
            .order_by(Invoice.id))).all())


async def test_each_month_is_charged_to_the_saved_card_until_the_retainer_ends(app, clock):
    ann, bob, retainer_id = await _subscribed(app)
    [first] = await _months(app)
    assert (first.month, first.status, first.sessions) == (1, "active", 3)
    assert first.expires_at.replace(tzinfo=UTC) == datetime(2026, 12, 20, 12, tzinfo=UTC)
    assert await told(app, bob.id, "Retainer #1, month 1: 3 sessions of 60 minutes until")
    assert (await _retainer(app, retainer_id)).status == "active"

    clock.advance(days=30)  # 20 December: the month ends, the next is charged
    await settle_packages(app)
    months = await _months(app)
    assert [(m.month, m.status) for m in months] == [(1, "expired"), (2, "active")]
    assert await _receipts(app) == [("package:1", "payment"), ("package:2", "payment")]
    kept = await app.payments.by_reference("package:1:kept")  # the rule: none refunded
    assert kept is not None and kept.state == "released"

    async with app.uow() as uow:
        with pytest.raises(Conflict, match="You have this retainer already"):
            await retainers.subscribe(uow, bob.id, months[0].package_id)
    await act(app, retainers.cancel, retainer_id, bob.id)
    assert await told(app, ann.id, "Bob ended retainer #1: no month is charged again")
    async with app.uow() as uow:
        with pytest.raises(Conflict):
            await retainers.cancel(uow, retainer_id, ann.id)
    clock.advance(days=31)
    await settle_packages(app)
    assert [(m.month, m.status) for m in await _months(app)] == [(1, "expired"), (2, "expired")]
    assert len(await _receipts(app)) == 2  # nothing charged after the end


async def test_a_declined_renewal_waits_to_be_paid_and_then_goes_on(app, clock):
    __, bob, retainer_id = await _subscribed(app, DECLINES_LATER)
    [first] = await _months(app)
    assert first.status == "awaiting_payment"
    assert (await _retainer(app, retainer_id)).status == "past_due"
    assert await told(app, bob.id, "Retainer #1: your card was declined for month 1 (€216.00)")
    clock.advance(days=40)
    await settle_packages(app)  # past due: no later month starts
    assert len(await _months(app)) == 1
    escrow = await app.payments.by_reference("package:1")
    await app.payments.pay_with_test_card(escrow.id, CARD)
    [paid] = await _months(app)
    assert paid.status == "active"
    assert paid.expires_at.replace(tzinfo=UTC) == datetime(2027, 1, 30, 12, tzinfo=UTC)  # paid 30 Dec
    assert (await _retainer(app, retainer_id)).status == "active"
