"""A consultant's client on Slack can review a session until they have: the session's end keeps
its Review as the DM moves on (a step of the session, not of the passed conversation), and the
completed booking's card, opened from /bookings, offers Review while it is possible, the recap,
and never the conversation's Done or Cancel. Through the real bolt app, the outbox and the fake
Web API."""

from __future__ import annotations

from datetime import UTC, datetime

from core.accounts.tables import Account
from core.consulting.sessions import from_booking
from core.consulting.sessions import service as sessions
from tests.consulting.helpers import confirmed, consultant
from tests.consulting.session_support import act
from tests.consulting.test_booking_paths import authorised, run_timers
from tests.slack.conftest import SlackWorld, message_text
from tests.support.accounts import registered
from tests.support.fake_slack import button_values

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga


async def _session_ended_by_the_client(slack: SlackWorld, clock) -> tuple[Account, int]:
    """Bob (on Slack) and Ann (a consultant) hold a booked session; Bob ends it from its
    notice in his DM. Returns Bob and where the session's end is shown."""
    ann = await consultant(slack.app)
    bob = await registered(slack.app, "T0AGORA:U1ANN", channel="slack", address="U1ANN",
                           display_name="Bob", timezone="Europe/Riga")
    booking = await confirmed(slack.app, bob.id, ann.id, MONDAY_10)
    await authorised(slack.app, booking.id)
    clock._now = MONDAY_10
    await run_timers(slack.app)
    async with slack.app.uow() as uow:
        session = await from_booking.of_booking(uow, booking.id, None)
        assert session is not None
        session_id = session.id
    await act(slack.app, sessions.join, session_id, ann.id)
    await act(slack.app, sessions.join, session_id, bob.id)
    await slack.channel.start()
    await slack.app.dispatcher.run_once()
    clock.advance(minutes=20)
    value, notice = slack.fake.newest_button(slack.user.user_id, "End")
    assert (await slack.user.click(value, message=notice)).status_code == 200
    await slack.fake.wait_for("chat.update", lambda p: "ended" in message_text(p))
    await slack.settle()
    return bob, booking.id


def _labels(message: dict) -> set[str]:
    return set(button_values(message["blocks"]))


async def _open_the_booking(slack: SlackWorld, booking_id: int) -> dict:
    """`/agora bookings`, then Open: the booking's card, as the DM shows it."""
    posts = len(slack.fake.calls_to("chat.postMessage"))

    def the_list(post: dict) -> bool:  # posted now, not the list opened before
        new = slack.fake.calls_to("chat.postMessage")[posts:]
        return "Your bookings and sessions" in message_text(post) and post in new

    await slack.user.command("bookings")
    await slack.fake.wait_for("chat.postMessage", the_list)
    value, listed = slack.fake.newest_button(slack.user.user_id, "Open")
    await slack.user.click(value, message=listed)
    await slack.fake.wait_for("chat.update", lambda p: f"Booking #{booking_id}" in message_text(p)
                              and p["ts"] == listed["ts"])
    await slack.settle()
    return slack.fake.messages[(listed["channel"], listed["ts"])]


async def test_the_sessions_end_keeps_its_review_as_the_dm_moves_on(slack: SlackWorld, clock):
    await _session_ended_by_the_client(slack, clock)
    [ended] = [m for m in slack.fake.shown(slack.user.user_id)
               if "ended" in message_text(m) and "⭐ Review" in _labels(m)]
    await slack.user.dm("Thanks, that was useful")
    await slack.settle()
    now = slack.fake.messages[(ended["channel"], ended["ts"])]
    assert _labels(now) == {"⭐ Review"}  # the conversation's Done went
    assert message_text(now) == message_text(ended)


async def test_the_completed_bookings_card_offers_review_until_reviewed_and_never_done_or_cancel(
        slack: SlackWorld, clock):
    __, booking_id = await _session_ended_by_the_client(slack, clock)
    card = await _open_the_booking(slack, booking_id)
    assert "Status: completed" in message_text(card)
    assert _labels(card) == {"⭐ Review the session", "📄 Get the recap"}
    await slack.user.click(button_values(card["blocks"])["⭐ Review the session"], message=card)
    view = (await slack.fake.wait_for("views.open", lambda p: "session_review" in str(p)))["view"]
    assert (await slack.user.submit(view, {"stars": "5"})).status_code == 200
    await slack.posted("your review is published")
    card = await _open_the_booking(slack, booking_id)
    assert _labels(card) == {"📄 Get the recap"}
