"""Reminders before each deadline, from the declared offsets: once per timer and offset, at the
right moment, to the party who must act, with the deadline in that person's own time zone."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update

from core.accounts.tables import Account
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.notices.timers import age, local_time
from core.deals.offers import service as offers
from core.deals.terms import service as deal_terms
from core.notifications.tables import OutboxMessage
from tests.deals.timer_support import (
    agreed,
    buttons,
    completed,
    delivered,
    live_in,
    paid,
    run_reminders,
    terms,
    told,
    world,
)

# The clock starts on Friday 20 November 2026 at 12:00 UTC.


def test_a_deadline_reads_as_the_weekday_date_and_time_in_the_persons_zone():
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert local_time(moment, "Europe/Riga") == "Tue 24 Nov, 14:00 (Europe/Riga)"
    assert local_time(moment, "Asia/Kolkata") == "Tue 24 Nov, 17:30 (Asia/Kolkata)"
    assert local_time(moment, "Mars/Olympus") == "Tue 24 Nov, 12:00 (UTC)"
    assert local_time(moment, None) == "Tue 24 Nov, 12:00 (UTC)"


async def test_the_seller_is_reminded_of_an_offer_six_hours_before_it_expires_once(app, clock):
    sam, bob, _, listing_id = await world(app)
    await live_in(app, sam.id, "Europe/Riga")
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, bob.id, terms())
        await uow.commit()
    clock.advance(hours=41, minutes=59)
    assert await run_reminders(app) == 0
    clock.advance(minutes=2)
    assert await run_reminders(app) == 1
    assert await run_reminders(app) == 0
    assert await told(app, sam.id, "waits for your answer") == [
        "⏳ An offer of 100 t of “ENplus A1 wood pellets” at €220.00 per t waits for your "
        "answer. Answer by Sun 22 Nov, 14:00 (Europe/Riga), or it expires."]
    assert await buttons(app, sam.id, "waits for your answer") == [("view_offer", str(offer.id))]
    assert await told(app, bob.id, "waits for your answer") == []  # he made it


@pytest.mark.parametrize(("quiet", "urgent"), [(("07:00", "15:00"), True),
                                                (("22:00", "08:30"), False)])
async def test_a_reminder_quiet_hours_would_hold_past_its_deadline_goes_at_once(
        app, clock, quiet, urgent):
    sam, bob, _, listing_id = await world(app)
    await live_in(app, sam.id, "Europe/Riga")
    async with app.uow() as uow:
        await uow.session.execute(update(Account).where(Account.id == sam.id).values(
            quiet_start=quiet[0], quiet_end=quiet[1]))
        await offers.make_offer(uow, listing_id, bob.id, terms())
        await uow.commit()
    clock.advance(hours=42, minutes=1)  # 08:01 in Riga; the offer expires at 14:00
    assert await run_reminders(app) == 1
    async with app.uow() as uow:
        row = (await uow.session.execute(select(OutboxMessage).where(  # the newest, by id
            OutboxMessage.account_id == sam.id).order_by(OutboxMessage.id.desc()))).scalars().first()
        assert "waits for your answer" in row.payload["text"] and row.urgent is urgent


async def test_a_counter_offer_reminds_the_buyer_who_must_answer_it_in_his_zone(app, clock):
    sam, bob, _, listing_id = await world(app)
    await live_in(app, bob.id, "America/New_York")
    async with app.uow() as uow:
        first = await offers.make_offer(uow, listing_id, bob.id, terms(price="200"))
        await offers.counter(uow, first.id, sam.id, terms(price="225"))
        await uow.commit()
    clock.advance(hours=43)
    assert await run_reminders(app) == 1
    assert await told(app, sam.id, "waits for your answer") == []
    [text] = await told(app, bob.id, "waits for your answer")
    assert "€225.00 per t" in text and "Sun 22 Nov, 07:00 (America/New_York)" in text


async def test_both_parties_are_reminded_to_accept_the_terms_a_day_before_cancellation(
        app, clock):
    sam, bob, _, _, deal_id = await agreed(app)
    await live_in(app, sam.id, "Europe/Riga")
    await live_in(app, bob.id, "Asia/Tokyo")
    clock.advance(days=2, hours=-1)
    assert await run_reminders(app) == 0
    clock.advance(hours=2)
    assert await run_reminders(app) == 2
    assert await told(app, sam.id, "accept the terms") == [
        f"📝 Deal #{deal_id} (“ENplus A1 wood pellets”): accept the terms by Mon 23 Nov, 14:00 "
        "(Europe/Riga), or it is cancelled."]
    [text] = await told(app, bob.id, "accept the terms")
    assert "Mon 23 Nov, 21:00 (Asia/Tokyo)" in text
    assert await buttons(app, bob.id, "accept the terms") == [("view_deal", str(deal_id))]


async def test_a_party_who_accepted_the_terms_is_not_asked_again(app, clock):
    sam, bob, _, _, deal_id = await agreed(app)
    async with app.uow() as uow:
        version = await deal_terms.current(uow, deal_id)
        await deal_terms.accept(uow, deal_id, bob.id, version.sha256)
        await uow.commit()
    clock.advance(days=2, hours=1)
    assert await run_reminders(app) == 1
    assert await told(app, bob.id, "accept the terms") == []
    assert len(await told(app, sam.id, "accept the terms")) == 1


async def test_the_buyer_is_reminded_to_pay_a_day_before_the_unpaid_deal_is_cancelled(
        app, clock):
    sam, bob, _, _, deal_id = await agreed(app)
    async with app.uow() as uow:
        await deals.take(uow, deal_id, "accept-terms", None)
        await uow.commit()
    clock.advance(days=2, hours=1)
    assert await run_reminders(app) == 1
    assert await told(app, bob.id, "pay ") == [
        f"💳 Deal #{deal_id} (“ENplus A1 wood pellets”): pay €22,000.00 by Mon 23 Nov, 12:00 "
        "(UTC), or the deal is cancelled."]
    assert await told(app, sam.id, "pay ") == []


async def test_the_seller_is_reminded_two_days_before_the_ship_by_date(app, clock):
    sam, bob, _, deal_id = await paid(app)
    await live_in(app, sam.id, "Europe/Riga")
    clock.advance(days=12, hours=1)
    assert await run_reminders(app) == 1
    [text] = await told(app, sam.id, "ship by")
    assert text.startswith(f"🚚 Deal #{deal_id} ")
    assert "ship by Fri 4 Dec, 14:00 (Europe/Riga)" in text and "buyer refunded" in text
    assert await told(app, bob.id, "ship by") == []


async def test_the_buyer_is_told_silence_confirms_delivery_two_days_before_it_does(app, clock):
    sam, bob, _, deal_id = await delivered(app)
    clock.advance(days=12, hours=1)
    assert await run_reminders(app) == 1
    [text] = await told(app, bob.id, "confirm the delivery")
    assert text.startswith(f"📦 Deal #{deal_id} ")
    assert "report the measured quality" in text
    assert "If you say nothing, delivery is confirmed on Fri 4 Dec, 12:00 (UTC)." in text
    assert await told(app, sam.id, "confirm the delivery") == []


async def test_only_the_party_who_has_not_rated_is_reminded_to_rate(app, clock):
    sam, bob, _, deal_id = await completed(app)
    async with app.uow() as uow:
        await after_sale.rate(uow, deal_id, bob.id, 5)
        await uow.commit()
    clock.advance(days=11, hours=1)
    assert await run_reminders(app) == 1
    assert await told(app, bob.id, "rate the") == []
    [text] = await told(app, sam.id, "rate the")
    assert text.startswith(f"⭐ Deal #{deal_id} (“ENplus A1 wood pellets”): rate the buyer by ")
    assert await buttons(app, sam.id, "rate the") == [("rate_deal", str(deal_id))]


async def test_no_reminder_goes_once_the_state_moved_on(app, clock):
    sam, _, _, deal_id = await paid(app)
    clock.advance(days=11)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", None, None)
        await uow.commit()
    clock.advance(days=2)
    assert await run_reminders(app) == 0
    assert await told(app, sam.id, "ship by") == []


async def test_a_reminder_missed_until_after_the_deadline_is_not_sent(app, clock):
    sam, _, _, _ = await paid(app)
    clock.advance(days=14, seconds=1)  # the scheduler was down; the timer job takes it now
    assert await run_reminders(app) == 0
    assert await told(app, sam.id, "ship by") == []


async def test_two_workers_sending_reminders_at_once_send_each_once(app, clock):
    sam, _, _, _ = await paid(app)
    clock.advance(days=12, hours=1)
    assert sum(await asyncio.gather(run_reminders(app), run_reminders(app))) == 1
    assert len(await told(app, sam.id, "ship by")) == 1


def test_ages_read_in_days_and_hours():
    from datetime import timedelta

    assert age(timedelta(days=3, minutes=2)) == "3 days"
    assert age(timedelta(days=1, hours=5)) == "1 day 5 hours"
    assert age(timedelta(minutes=20)) == "less than an hour"
