"""`/consultants pellet`: the search words are kept as the topic, and an online consultant can
still be asked to talk now — the request carries the topic as a booking would. The flows run
through the engine in memory on the consultants' fakes (`tests/consulting/chat_fakes.py`)."""

from __future__ import annotations

from conversations.messages import Choice, ListPage
from core.catalog.media import FileStore
from core.consulting.profiles import service as profiles
from tests.consulting.booking_fakes import MemoryDiary
from tests.consulting.chat_fakes import copied, in_chat, listed
from tests.consulting.fakes import MemoryListing
from tests.support.chat import ChatUser

CORA, SID = 1, 2


async def _searching(tmp_path, *, online: bool) -> tuple[MemoryDiary, ChatUser]:
    """Cora is live (online if asked); Sid searches `/consultants pellet` and opens her page."""
    diary, listing = MemoryDiary(), MemoryListing()
    await listed(diary, listing, FileStore(tmp_path), CORA, "Cora")
    if online:
        await profiles.set_online(listing.roster, CORA, True)
        copied(diary, listing, CORA)
    diary.person(SID, "Sid", zone="Europe/Riga")
    sid = ChatUser(await in_chat(diary, listing=listing), "sid")
    await sid.say("/consultants pellet")
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    await sid.send(Choice(page.items[0].button.data))
    return diary, sid


async def test_an_online_consultants_card_offers_talk_now_with_the_search_as_topic(tmp_path):
    diary, sid = await _searching(tmp_path, online=True)
    assert {"⚡ Talk now", "📅 Book a time"} <= set(sid.labels())
    await sid.tap("Talk now")
    assert "Asked: the consultant has a couple of minutes" in sid.texts()
    [booking] = diary.bookings.values()
    assert (booking.kind, booking.topic, booking.consultant_id) == ("instant", "pellet", CORA)


async def test_an_offline_consultants_card_offers_only_a_booking_with_the_topic(tmp_path):
    _, sid = await _searching(tmp_path, online=False)
    assert "📅 Book a time" in sid.labels() and "⚡ Talk now" not in sid.labels()
