"""The Slack App Home lists a person's bookings with their next step, beside the deals."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.consulting import views
from core.consulting.bookings import service as bookings
from core.consulting.packages import service as packages
from tests.consulting.helpers import consultant
from tests.slack.conftest import SlackWorld, message_text


async def _cora_and_the_slack_user(slack: SlackWorld) -> tuple[int, int]:
    """Cora, a live consultant, and the Slack user registered: their account ids."""
    await slack.register()
    cora = await consultant(slack.app, "cora")
    async with slack.app.uow() as uow:
        ann = (await uow.session.execute(select(Account.id).where(Account.id != cora.id))
               ).scalar_one()
    return cora.id, ann


async def _home_text(slack: SlackWorld) -> str:
    await slack.user.open_home()
    home = await slack.fake.wait_for("views.publish")
    return message_text({"blocks": home["view"]["blocks"]})


async def test_the_slack_home_tab_lists_bookings_beside_the_deals(slack: SlackWorld):
    cora, ann = await _cora_and_the_slack_user(slack)
    async with slack.app.uow() as uow:
        slot = (await views.consultant_view(uow, cora, ann, "UTC")).slots[0]
        await bookings.request_slot(uow, ann, cora, slot, None, "Moisture logging")
        await uow.commit()
    text = await _home_text(slack)
    assert "📅 Your bookings" in text and "waiting for" in text and "to answer" in text, text


async def test_the_slack_home_tab_shows_what_is_left_of_a_package(slack: SlackWorld):
    cora, ann = await _cora_and_the_slack_user(slack)
    async with slack.app.uow() as uow:
        package = await packages.offer(uow, cora, 5, 60, 10, 90, "full")
        purchase = await packages.buy(uow, ann, package.id)
        await uow.commit()
    escrow = await slack.app.payments.by_reference(packages.reference(purchase.id))
    await slack.app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    text = await _home_text(slack)
    assert "📦 Package #1 with Cora: 5 of 5 sessions left to book (0 booked, 0 used)" in text, text
