"""`/consultants pellet`: the search words are kept as the topic, and an online consultant can
still be asked to talk now — the request carries the topic as a booking would."""

from __future__ import annotations

from sqlalchemy import select

from conversations.messages import Choice, ListPage
from core.consulting.profiles import service as profiles
from core.consulting.tables import Booking
from tests.consulting.helpers import consultant
from tests.support.accounts import registered
from tests.support.chat import ChatUser


async def test_an_online_consultants_card_offers_talk_now_with_the_search_as_topic(app):
    cora = await consultant(app, "cora")
    async with app.uow() as uow:
        await profiles.set_online(uow, cora.id, True)
        await uow.commit()
    await registered(app, "sid", roles=("seeker",), display_name="Sid")
    sid = ChatUser(app, "sid")
    await sid.say("/consultants pellet")
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    await sid.send(Choice(page.items[0].button.data))
    assert {"⚡ Talk now", "📅 Book a time"} <= set(sid.labels())
    await sid.tap("Talk now")
    assert "Asked: the consultant has a couple of minutes" in sid.texts()
    async with app.uow() as uow:
        booking = (await uow.session.execute(select(Booking))).scalar_one()
        assert (booking.kind, booking.topic, booking.consultant_id) == ("instant", "pellet",
                                                                       cora.id)


async def test_an_offline_consultants_card_offers_only_a_booking_with_the_topic(app):
    await consultant(app, "cora")
    await registered(app, "sid", roles=("seeker",), display_name="Sid")
    sid = ChatUser(app, "sid")
    await sid.say("/consultants pellet")
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    await sid.send(Choice(page.items[0].button.data))
    assert "📅 Book a time" in sid.labels() and "⚡ Talk now" not in sid.labels()
