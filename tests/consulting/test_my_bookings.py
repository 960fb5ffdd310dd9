"""`/bookings`: a seeker books a free time with a topic; both find the pending request in
/bookings with its one next step (the consultant: accept or decline; the seeker: waiting), the
consultant's request and card show the topic. The chat's /bookings, the request's notice and
the agenda's groups, order and next steps on the consultants' fakes
(`tests/consulting/booking_fakes.py`, `chat_fakes.py`); the request's notice on the database in
`test_booking_paths.py`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conversations.messages import Choice, ListPage
from core.consulting.bookings import changes
from core.consulting.bookings import service as bookings
from core.consulting.bookings.agenda import PAST_SHOWN, agenda
from core.consulting.bookings.notices import parties
from core.consulting.events import BookingRequested
from core.events import EventBus
from core.wiring import Wiring
from tests.consulting import chat_fakes as in_memory
from tests.consulting.booking_fakes import ANN, BOB, EVE, booked, confirmed, staffed
from tests.support.chat import ChatUser
from tests.support.outbox import told_texts

TOPIC = "Moisture logging for our ENplus audit"


async def _asked(sid: ChatUser) -> ChatUser:
    """Sid picks the first free time and gives the topic."""
    first = next(b for r in sid.last for row in r.buttons for b in row if "|t:" in b.data)
    await sid.send(Choice(first.data))
    assert "What would you like to discuss?" in sid.texts()
    await sid.say(TOPIC)
    assert "Requested" in sid.texts()
    return sid


def _items(user: ChatUser) -> list[str]:
    [page] = [r for r in user.last if isinstance(r, ListPage)]
    return [f"{i.title} | {i.subtitle}" for i in page.items]


async def test_both_sides_find_a_pending_request_in_bookings_with_its_next_step(tmp_path):
    diary, sid = await in_memory.free_times(tmp_path)  # on the consultants' fakes
    await _asked(sid)
    cora = ChatUser(sid.app, "cora")
    await cora.say("/bookings")
    [mine] = _items(cora)
    assert "⏳ Awaiting · #1 with Sid" in mine and "next: accept or decline" in mine, mine
    assert f"topic: {TOPIC}" in mine
    await sid.say("/bookings")
    [theirs] = _items(sid)
    assert "⏳ Awaiting · #1 with Cora" in theirs and "next: waiting for Cora" in theirs, theirs
    await cora.say("/bookings")
    await cora.send(Choice(next(i.button.data for r in cora.last if isinstance(r, ListPage)
                                for i in r.items)))
    assert f"Topic: {TOPIC}" in cora.texts() and "Accept" in " ".join(cora.labels())
    await cora.tap("Accept")
    assert diary.bookings[1].status == "confirmed"
    await cora.say("/bookings")
    assert "📅 Upcoming · #1 with Sid" in _items(cora)[0]


def requests_told(bus: EventBus, deps: Wiring) -> None:
    """The request's notice, as core.consulting.wiring declares it."""
    bus.during_commit(BookingRequested, parties.on_requested)


async def test_the_request_shows_the_consultant_the_seekers_topic(tmp_path):
    diary, sid = await in_memory.free_times(tmp_path, [requests_told])  # its notice in memory
    await _asked(sid)
    [cora] = [account_id for account_id, name in diary.people.items() if name == "Cora"]
    [asked] = await told_texts(sid.app, cora, "asks for a 60-minute session")
    assert f"Topic: {TOPIC}" in asked


async def test_skipping_the_topic_books_all_the_same(tmp_path):
    diary, sid = await in_memory.free_times(tmp_path)  # on the consultants' fakes
    first = next(b for r in sid.last for row in r.buttons for b in row if "|t:" in b.data)
    await sid.send(Choice(first.data))
    await sid.tap("Skip")
    assert "Requested" in sid.texts()
    [booking] = diary.bookings.values()
    assert (booking.status, booking.topic) == ("requested", None)


MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 10:00 in Riga


async def test_the_agenda_lists_awaiting_then_upcoming_with_each_readers_next_step():
    diary = staffed()
    diary.zones[EVE] = "Asia/Tokyo"
    asked = await bookings.request_slot(diary, BOB, ANN, MONDAY_10, topic=TOPIC)
    soon = await confirmed(diary, BOB, ANN, MONDAY_10 + timedelta(days=1))
    times = await bookings.request_times(diary, EVE, ANN, [MONDAY_10 + timedelta(days=2)])
    mine = await agenda(diary, ANN)
    assert [(x.booking_id, x.group, x.role, x.other, x.next_step) for x in mine] == [
        (asked.id, "awaiting", "consultant", "Bob", "accept or decline"),
        (times.id, "awaiting", "consultant", "Eve", "accept or decline"),
        (soon.id, "upcoming", "consultant", "Bob", "join at the start (you are reminded)")]
    assert (mine[0].when, mine[0].topic, mine[1].when) == (
        "Mon 23 Nov, 10:00 (Europe/Riga)", TOPIC, "time not agreed yet")
    assert (mine[0].meeting_url, mine[2].meeting_url) == (None, soon.meeting_url)
    theirs = await agenda(diary, BOB)
    assert [(x.booking_id, x.role, x.next_step) for x in theirs] == [
        (asked.id, "seeker", "waiting for Ann to answer"),
        (soon.id, "seeker", "join at the start (you are reminded)")]
    await bookings.propose_times(diary, times.id, ANN, [MONDAY_10 + timedelta(days=3)])
    [eves] = await agenda(diary, EVE)
    assert (eves.next_step, eves.when) == ("choose one of the proposed times",
                                           "time not agreed yet")
    assert (await agenda(diary, ANN))[1].next_step == "waiting for Eve to choose"
    [chosen] = await bookings.proposals(diary, times.id, EVE)
    await bookings.accept(diary, times.id, EVE, chosen.id)
    [eves] = await agenda(diary, EVE)  # in the reader's own zone
    assert (eves.group, eves.when) == ("upcoming", "Thu 26 Nov, 17:00 (Asia/Tokyo)")


async def test_the_past_shows_the_newest_few_and_no_meeting_room():
    diary = staffed()
    ended = []
    for day in range(PAST_SHOWN + 2):
        booking = await confirmed(diary, BOB, ANN, MONDAY_10 + timedelta(days=day))
        ended.append((await changes.cancel(diary, booking.id, BOB)).id)
    waiting = await booked(diary, EVE, ANN, MONDAY_10 + timedelta(days=1, hours=2))
    lines = await agenda(diary, ANN)
    assert [(x.booking_id, x.group) for x in lines] == [
        (waiting.id, "awaiting"), *[(b, "past") for b in reversed(ended[-PAST_SHOWN:])]]
    assert all(x.meeting_url is None and x.next_step == "nothing: it is over"
               for x in lines[1:])
