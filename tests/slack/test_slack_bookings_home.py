"""The Slack App Home lists a person's bookings with their next step, beside the deals."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.consulting import views
from core.consulting.bookings import service as bookings
from tests.consulting.helpers import consultant
from tests.slack.conftest import SlackWorld, message_text


async def test_the_slack_home_tab_lists_bookings_beside_the_deals(slack: SlackWorld):
    await slack.register()
    cora = await consultant(slack.app, "cora")
    async with slack.app.uow() as uow:
        ann = (await uow.session.execute(select(Account.id).where(Account.id != cora.id))
               ).scalar_one()
        slot = (await views.consultant_view(uow, cora.id, ann, "UTC")).slots[0]
        await bookings.request_slot(uow, ann, cora.id, slot, None, "Moisture logging")
        await uow.commit()
    await slack.user.open_home()
    home = await slack.fake.wait_for("views.publish")
    text = message_text({"blocks": home["view"]["blocks"]})
    assert "📅 Your bookings" in text and "waiting for" in text and "to answer" in text, text
