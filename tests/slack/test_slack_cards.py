"""A card's buttons go once, and its words stay, through the real bolt app and the outbox: a
notice answered in place keeps the answer (only its buttons go) when a newer card of its object
arrives, and every older card loses its buttons in one chat.update, whether the outbox or this
process retires it.
A consultant on Slack (Ann) is asked for a session by a seeker in another chat (Bob)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bots.slack.live import LiveMessages
from bots.slack.sender import SlackSender
from core.consulting.bookings import service as bookings
from tests.consulting.helpers import booked, consultant, seeker
from tests.slack.conftest import SlackWorld, message_text
from tests.support.fake_slack import button_values

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga


async def _asked(slack: SlackWorld) -> tuple[int, tuple[str, str]]:
    """Ann, a consultant on Slack, holds Bob's request in her DM with its buttons; returns the
    booking's id and where the request's message is."""
    ann = await consultant(slack.app, "T0AGORA:U1ANN", channel="slack", address="U1ANN")
    bob = await seeker(slack.app)
    booking = await booked(slack.app, bob.id, ann.id, MONDAY_10)
    await slack.channel.start()
    await slack.app.dispatcher.run_once()
    request = await slack.posted("asks for a 60-minute session")
    assert "✅ Accept" in button_values(request["blocks"])
    return booking.id, request["_where"]


def _updates(slack: SlackWorld, where: tuple[str, str]) -> list[dict[str, Any]]:
    return [p for p in slack.fake.calls_to("chat.update") if tuple(p["_where"]) == where]


async def test_a_notice_answered_in_place_keeps_the_answer_when_a_newer_card_comes(
        slack: SlackWorld):
    __, where = await _asked(slack)
    value, message = slack.fake.newest_button(slack.user.user_id, "Accept")
    assert (await slack.user.click(value, message=message)).status_code == 200
    await slack.fake.wait_for("chat.update", lambda p: "✅ Confirmed" in message_text(p))
    await slack.settle()
    # The outbox is delivered by another worker, whose memory saw none of this.
    slack.app.add_sender("slack", SlackSender(slack.channel.client,
                                              LiveMessages(slack.channel.client)))
    await slack.app.dispatcher.run_once()  # "confirmed": a newer card of the booking
    await slack.posted("✅ Confirmed: your session with Bob")
    await slack.settle()
    # The answer in the request's place, then, once, its buttons taken off: its words stay.
    answered, retired = _updates(slack, where)
    assert "✅ Confirmed" in message_text(answered) and button_values(answered["blocks"])
    assert message_text(retired) == message_text(answered)
    assert button_values(slack.fake.messages[where]["blocks"]) == {}


async def _accepted_elsewhere(slack: SlackWorld, booking_id: int) -> None:
    """The consultant accepts through the services; the notices that follow are delivered."""
    async with slack.app.uow() as uow:
        await bookings.accept(uow, booking_id, await _account_id(slack))
        await uow.commit()
    await slack.app.dispatcher.run_once()
    await slack.settle()


async def test_every_older_card_loses_its_buttons_once(slack: SlackWorld):
    booking_id, request = await _asked(slack)
    # The booking's card, opened from /bookings, is newer: the request's buttons go, once.
    await slack.user.command("bookings")
    await slack.posted("Your bookings and sessions")
    value, listed = slack.fake.newest_button(slack.user.user_id, "Open")
    await slack.user.click(value, message=listed)
    await slack.fake.wait_for("chat.update", lambda p: f"Booking #{booking_id}" in message_text(p))
    await slack.settle()
    card = (listed["channel"], listed["ts"])
    assert button_values(slack.fake.messages[request]["blocks"]) == {}
    assert "Accept" in button_values(slack.fake.messages[card]["blocks"])
    # Accepted elsewhere: the confirmation is the newest card; the card opened loses its
    # buttons once, and the request, retired already, is not edited again.
    await _accepted_elsewhere(slack, booking_id)
    [retired] = _updates(slack, request)
    assert "asks for a 60-minute session" in message_text(retired)
    assert len(_updates(slack, card)) == 2  # the card in the list's place, then retired
    assert button_values(slack.fake.messages[card]["blocks"]) == {}
    assert f"Booking #{booking_id}" in message_text(slack.fake.messages[card])


async def test_a_newer_notice_retires_the_older_one_once(slack: SlackWorld):
    booking_id, request = await _asked(slack)
    await _accepted_elsewhere(slack, booking_id)
    [retired] = _updates(slack, request)
    assert button_values(retired["blocks"]) == {}
    assert "asks for a 60-minute session" in message_text(retired)


async def _account_id(slack: SlackWorld) -> int:
    from core.accounts import service as accounts

    async with slack.app.uow() as uow:
        account = await accounts.find_account(uow, "slack", "T0AGORA:U1ANN")
        assert account is not None
        return account.id
