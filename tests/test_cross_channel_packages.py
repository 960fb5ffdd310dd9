"""A session package end to end across channels: a consultant on Telegram (the real
python-telegram-bot application against a fake Bot API), her own calendar on a real CalDAV
server (Radicale), offers 5 x 60 minutes at 10 % off in /packages; a seeker on Slack (signed
requests into the real slack-bolt app) opens her packages, buys one and pays it once on the
sandbox page; three bookings made in Slack draw from it, never at a time her calendar is busy,
and the consultant accepts each on Telegram; the seeker moves one; /bookings and each booking
card show the balance, her calendar shows the three where they are, and the payment, its one
receipt and the ledger agree with it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from core.consulting.bookings.calendar import uid
from core.consulting.packages.tables import PackagePurchase
from core.consulting.tables import Booking
from core.money.model import Money
from payments import ledger
from payments.settle import holding
from payments.tables import Escrow, Invoice
from tests.consulting.helpers import consultant
from tests.slack.conftest import _settle, message_text
from tests.support.accounts import registered
from tests.support.radicale import connected_in_chat, events, running_radicale
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER


async def _book_the_first_free_time(world, topic: str) -> None:
    """Sid opens Cora's page on Slack, taps Book a time, the first free time, and a topic."""
    await world.bob.command("consultants")
    await _settle()
    await world.bob.dm("pellet quality")
    await _settle()
    await world.bob_presses("View")
    await world.bob_presses("Book a time")
    await world.bob_presses(":")  # the first free time (labels are times like “Mon 23 Nov 10:00”)
    await world.bob.dm(topic)
    await world.bob_sees("prepaid from your package")


async def _cora_and_sid(world, **profile):
    """Cora, a consultant on Telegram (€80 a 60-minute session); Sid, a seeker on Slack."""
    cora = await consultant(world.app, str(TELEGRAM_USER), channel="telegram",
                            address=str(TELEGRAM_USER), zone="Europe/Riga", **profile)
    await registered(world.app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     roles=("seeker",), display_name="Sid", timezone="Europe/Berlin")
    return cora


async def _cora_offers(tg, sessions: str, off: str, valid: str, rule: str, offered: str):
    """Cora offers a package in /packages on Telegram, choosing each term with a tap."""
    await tg.say("/packages", "You offer no packages yet")
    await tg.tap("New package", "How many sessions")
    await tg.tap(sessions, "How much off")
    await tg.tap(off, "For how long")
    await tg.tap(valid, "And the sessions not used")
    await tg.tap(rule, offered)


# Her first bookable hour (two days' notice: Sunday 22 November, 13:00 in Riga) is busy.
MEETING = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//EN\r\nBEGIN:VEVENT\r\n"
           "UID:audit-call@example.org\r\nDTSTAMP:20261101T000000Z\r\n"
           "DTSTART:20261122T110000Z\r\nDTEND:20261122T120000Z\r\nSUMMARY:Audit call\r\n"
           "END:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture
def radicale(tmp_path):
    with running_radicale(tmp_path / "radicale") as server:
        yield server


@pytest.mark.journey
async def test_a_slack_seeker_buys_a_telegram_consultants_package_and_books_from_it(
        world, clock, radicale):
    app = world.app
    cora = await _cora_and_sid(world, notice_minutes=2 * 24 * 60)  # each time offered may move
    tg = world.sam
    work = await connected_in_chat(tg, radicale, MEETING)
    await _cora_offers(tg, "5", "10 %", "90 days", "refunded in full",
                       "Package #1 offered: 5 × 60 min for €360.00 (€72.00 a session)")

    # Sid sees it from her page on Slack, buys it and pays once.
    await world.bob.command(f"packages {cora.id}")
    await world.bob_sees("you save €40.00")
    await world.bob_presses("Buy #1")
    await world.bob_sees("is yours once paid")
    await world.bob_sees("Session package #1: €360.00")
    escrow = await app.payments.by_reference("package:1")
    assert escrow is not None and (escrow.kind, escrow.state) == ("package", "awaiting_payment")
    paid = await world.http.post(urlparse(escrow.pay_url).path,
                                 data={"card_number": "4242 4242 4242 4242"})
    assert paid.status_code == 200
    await world.bob_sees("Package #1 is active: 5 sessions of 60 minutes")

    # Three bookings on Slack, each drawing from it; Cora accepts each on Telegram.
    for topic in ("Moisture", "Ash content", "Supply audit"):
        mark = world.telegram.mark()
        await _book_the_first_free_time(world, topic)
        await world.deliver()
        await world.sam_told(f"Topic: {topic}", mark)
        await tg.tap("Accept", "Confirmed")
    async with app.uow() as uow:
        booked = list((await uow.session.execute(select(Booking).order_by(Booking.id))).scalars())
        uow.session.expunge_all()  # readable after the transaction
    assert [b.package_purchase_id for b in booked] == [1, 1, 1]
    assert [b.status for b in booked] == ["confirmed"] * 3
    for booking in booked:  # prepaid: no card asked for
        assert await app.payments.by_reference(f"booking:{booking.id}") is None

    confirmed = message_text(await world.bob_sees("Confirmed: your session with 4242"))
    assert "📦 Prepaid from package #1" in confirmed and "on the card" not in confirmed

    # /bookings shows what is left; Sid opens one and moves it, in one step from its card.
    await world.bob.command("bookings")
    await world.bob_sees("📦 Package #1 with 4242: 2 of 5 sessions left to book (3 booked, 0 used)")
    await world.bob_presses("Open")
    card = message_text(await world.bob_sees("📅 Booking #"))
    assert "📦 Prepaid from package #1: 2 of 5 sessions left to book" in card
    assert "At most" not in card  # nothing on a card
    opened = int(re.search(r"Booking #(\d+)", card).group(1))
    before = next(b.starts_at for b in booked if b.id == opened)
    await world.bob_presses("Move to another free time")
    await world.bob_presses(":")
    await world.bob_sees("Rescheduled")
    async with app.uow() as uow:
        moved = await uow.session.get(Booking, opened)
        assert moved.starts_at != before and moved.package_purchase_id == 1
        agreed = {b.id: b.starts_at for b in (await uow.session.execute(select(Booking)))
                  .scalars()}

    # Her calendar: her meeting never offered, each booking written where it now stands.
    await world.deliver()
    written = {str(e["UID"]): e.decoded("DTSTART") for e in events(radicale, work)}
    assert all(when.replace(tzinfo=UTC) >= datetime(2026, 11, 22, 12, tzinfo=UTC)
               for when in agreed.values())  # not in the meeting (11:00-12:00 UTC)
    assert {k: v for k, v in written.items() if k != "audit-call@example.org"} == {
        uid(number): when.replace(tzinfo=UTC) for number, when in agreed.items()}

    # The payment, its one receipt and the ledger agree with the balance.
    async with app.uow() as uow:
        purchase = await uow.session.get(PackagePurchase, 1)
        assert (purchase.status, purchase.reserved, purchase.used) == ("active", 3, 0)
        row = (await uow.session.execute(select(Escrow).where(
            Escrow.reference == "package:1"))).scalar_one()
        assert (row.state, row.amount, row.drawn) == ("held", 36000, 0)
        receipts = list((await uow.session.execute(select(Invoice.kind).where(
            Invoice.escrow_id == row.id))).scalars())
        assert receipts == ["payment"]
        assert await ledger.balance(uow, holding(row), "EUR") == Money(36000, "EUR").amount


@pytest.mark.journey
async def test_a_slack_seeker_takes_a_monthly_retainer_from_a_telegram_consultant(world, clock):
    """Cora offers 3 x 60 minutes every month; Sid agrees to the monthly charge on Slack, saves
    a card on the sandbox page, and the first month is charged to it at once; /packages shows
    the retainer to both, and Sid ends it there."""
    app = world.app
    cora = await _cora_and_sid(world)
    tg = world.sam
    await _cora_offers(tg, "3", "0 %", "Every month", "not refunded",
                       "3 × 60 min every month for €240.00 a month")

    await world.bob.command(f"packages {cora.id}")
    await world.bob_sees("renewed by card until cancelled")
    await world.bob_presses("Subscribe #1")
    consent = message_text(await world.bob_sees("You agree that Agora charges €240.00"))
    assert "each month on the same day, until you or 4242 end the retainer." in consent
    await world.bob_presses("I agree")
    await world.bob_sees("Retainer #1 set up")
    await world.bob_sees("Retainer #1: save the card it is charged to, €240.00 each month")
    saving = await app.payments.saved_method("retainer:1")
    page = await world.http.get(urlparse(saving.save_url).path)
    assert "first month is charged to this card as soon as it is saved" in page.text
    saved = await world.http.post(urlparse(saving.save_url).path,
                                  data={"card_number": "4242 4242 4242 4242"})
    assert saved.status_code == 200 and "Card •••• 4242 saved" in saved.text
    await world.bob_sees("Retainer #1, month 1: 3 sessions of 60 minutes until")
    escrow = await app.payments.by_reference("package:1")
    assert (escrow.kind, escrow.state, escrow.amount) == ("package", "held", Money(24000, "EUR"))

    mark = world.telegram.mark()
    await tg.say("/packages", "Retainer #1 with Sid")
    assert "renews" in await world.sam_told("Retainer #1 with Sid", mark)
    await world.bob.command("packages")
    await world.bob_sees("🔁 Retainer #1 with 4242: 3 × 60 min a month for €240.00, renews")
    await world.bob_presses("End retainer #1")
    await world.bob_sees("Retainer #1 ended: no month is charged again")
