"""What a booking card and a profile page show: times in the reader's zone, the policy up front,
and as buttons exactly the steps the process allows that reader now. A booking's card and a
profile page are read from the consultants' fakes in memory (`tests/consulting/chat_fakes.py`);
and so is what the pair's free session changes, with the confirmation it sends
(`tests/consulting/booking_chat.py`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.catalog.media import FileStore
from core.consulting.bookings import changes, moves
from core.consulting.bookings import service as bookings
from core.consulting.sessions import service as sessions
from core.consulting.views import booking_card, consultant_view
from core.errors import NotFound
from tests.consulting import booking_fakes as memory
from tests.consulting import session_fakes as on_logbook
from tests.consulting.booking_chat import act_in, told_bookings
from tests.consulting.booking_fakes import ANN, BOB, MemoryDiary, staffed
from tests.consulting.chat_fakes import listed, reading
from tests.consulting.fakes import MemoryListing
from tests.consulting.session_fakes import MemoryLogbook
from tests.support.outbox import told_texts

MONDAY_10 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def buttons(card):
    return [(b.intent.value, b.arg) for row in card.steps for b in row]


async def test_a_requested_slot_offers_the_consultant_accept_propose_and_decline():
    diary = staffed()
    diary.zones[BOB] = "America/New_York"
    booking = await memory.booked(diary, BOB, ANN, MONDAY_10)
    mine = await booking_card(reading(diary), booking.id, ANN)
    theirs = await booking_card(reading(diary), booking.id, BOB)
    assert mine.starts == "Mon 23 Nov, 10:00 (Europe/Riga)"
    assert theirs.starts == "Mon 23 Nov, 03:00 (America/New_York)"
    assert buttons(mine) == [("answer_booking", f"accept:{booking.id}"),
                             ("answer_booking", f"propose:{booking.id}"),
                             ("answer_booking", f"decline:{booking.id}"),
                             ("view_booking", str(booking.id))]
    assert buttons(theirs) == [("answer_booking", f"withdraw:{booking.id}"),
                               ("view_booking", str(booking.id))]
    assert "Free cancellation up to 24 hours before the start (until Sun 22 Nov, 03:00 " \
           "(America/New_York))" in theirs.policy


async def test_proposed_times_are_buttons_only_for_the_party_who_chooses():
    diary = staffed()
    booking = await bookings.request_times(diary, BOB, ANN,
                                           [MONDAY_10, MONDAY_10 + timedelta(days=1)])
    mine = await booking_card(reading(diary), booking.id, ANN)
    theirs = await booking_card(reading(diary), booking.id, BOB)
    [(first, text), _] = mine.proposals
    assert text == "Mon 23 Nov, 10:00 (Europe/Riga)"
    assert buttons(mine)[0] == ("answer_booking", f"accept:{booking.id}:{first}")
    assert all(not arg.startswith("accept") for _, arg in buttons(theirs))


async def test_a_confirmed_booking_offers_both_a_reschedule_and_cancelling():
    diary = staffed()
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    await changes.propose_reschedule(diary, booking.id, BOB, [MONDAY_10 + timedelta(days=1)])
    mine = await booking_card(reading(diary), booking.id, ANN)
    theirs = await booking_card(reading(diary), booking.id, BOB)
    [(proposal, _)] = mine.proposals
    assert buttons(mine)[:3] == [("answer_booking", f"reschedule:{booking.id}:{proposal}"),
                                 ("answer_booking", f"keep:{booking.id}"),
                                 ("answer_booking", f"cancel:{booking.id}")]
    assert buttons(theirs)[:2] == [("answer_booking", f"keep:{booking.id}"),
                                   ("answer_booking", f"cancel:{booking.id}")]


async def test_a_profile_page_shows_free_slots_in_the_viewers_zone_and_counts_the_view(
        tmp_path):
    diary, listing = staffed(), MemoryListing()
    await listed(diary, listing, FileStore(tmp_path), ANN, "Ann")
    promotion = listing.promote(ANN, "pellet-quality", diary.at, diary.at + timedelta(days=30))
    page = await consultant_view(reading(diary, listing=listing), ANN, BOB, "America/New_York")
    assert page.slots and all(str(s.tzinfo) == "America/New_York" for s in page.slots)
    assert page.expertise == ["Pellet quality & certification", "Biomass sourcing"]
    assert page.languages == ["English", "Latvian"]
    assert [(b.label, b.arg) for row in page.steps for b in row] == [
        ("📅 Book a time", f"book:{ANN}")]
    assert promotion.profile_views == 1


async def test_a_profile_out_of_the_directory_is_shown_only_to_its_consultant(tmp_path):
    diary, listing = staffed(), MemoryListing()
    await listed(diary, listing, FileStore(tmp_path), ANN, "Ann")
    diary.profiles[ANN].live = False
    assert (await consultant_view(reading(diary), ANN, ANN, "UTC")).name == "Ann"
    with pytest.raises(NotFound):
        await consultant_view(reading(diary), ANN, BOB, "UTC")


async def test_after_the_pairs_free_session_the_card_the_confirmation_and_the_page_say_paid(
        tmp_path):
    """Under “once per pair” a seeker's later sessions with a consultant start paid: nothing
    may still promise them the free first minutes."""
    diary, listing = staffed(), MemoryListing()
    await listed(diary, listing, FileStore(tmp_path), ANN, "Ann")
    book = MemoryLogbook(at=diary.at, people=diary.people, admins=diary.admins)
    chat, __ = told_bookings(diary, book, listing)  # the booking's notices in memory
    first = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    async with chat.uow() as uow:
        card = await booking_card(uow, first.id, BOB)
        page = await consultant_view(uow, ANN, BOB, "Europe/Riga")
    assert "The first 10 minutes are free" in card.policy and page.free_minutes == 10
    await on_logbook.held(book, BOB, ANN, booking_id=999)  # their free session, held

    second = await act_in(chat, bookings.request_slot, BOB, ANN, MONDAY_10 + timedelta(days=1),
                          None)
    await act_in(chat, bookings.accept, second.id, ANN)
    async with chat.uow() as uow:
        card = await booking_card(uow, second.id, BOB)
        page = await consultant_view(uow, ANN, BOB, "Europe/Riga")
        stranger = await consultant_view(uow, ANN, None, "Europe/Riga")
    assert "paid from its first minute" in card.policy and "minutes are free" not in card.policy
    assert page.free_minutes == 0 and stranger.free_minutes == 10
    [told] = [t for t in await told_texts(chat, BOB) if "Tue 24 Nov" in t and "✅" in t]
    assert "paid from its first minute" in told and "minutes are free" not in told


async def _completed_in_memory() -> tuple[MemoryDiary, MemoryLogbook, int, int]:
    """Ann's session with Bob at Monday 10:00, held 20 minutes and ended by Bob: the booking
    moved by the system as the session moves it on the database (`test_journey_link.py`)."""
    diary = staffed()
    booking = await memory.confirmed(diary, BOB, ANN, MONDAY_10)
    diary.at = MONDAY_10
    book = MemoryLogbook(at=MONDAY_10, people=diary.people, admins=diary.admins)
    session_id = on_logbook.book(book, BOB, ANN, booking_id=booking.id, rate="80.00",
                                 unit="session60", minutes=60)
    for step in ("open-session", "start-session"):
        await moves.take(diary, booking.id, step, None)
    await sessions.join(book, session_id, ANN)
    await sessions.join(book, session_id, BOB)
    book.advance(minutes=20)
    diary.at = book.at
    await sessions.end(book, session_id, BOB)
    await moves.take(diary, booking.id, "complete-session", None)
    return diary, book, booking.id, session_id


async def test_a_completed_bookings_card_offers_the_review_while_it_may_be_given_and_the_recap():
    from core.consulting.sessions import reviews
    from core.consulting.sessions.reviews import WINDOW

    diary, book, booking_id, session_id = await _completed_in_memory()
    theirs = await booking_card(reading(diary, book), booking_id, BOB)
    mine = await booking_card(reading(diary, book), booking_id, ANN)
    assert buttons(theirs) == [("review_session", str(session_id)),
                               ("session_recap", f"get:{session_id}"),
                               ("view_booking", str(booking_id))]
    assert buttons(mine) == [("session_recap", f"notes:{session_id}"),
                             ("view_booking", str(booking_id))]
    book.advance(seconds=WINDOW.total_seconds() + 1)
    late = await booking_card(reading(diary, book), booking_id, BOB)
    assert ("review_session", str(session_id)) not in buttons(late)
    book.advance(seconds=-WINDOW.total_seconds() - 1)
    await reviews.review(book, session_id, BOB, 5)
    reviewed = await booking_card(reading(diary, book), booking_id, BOB)
    assert buttons(reviewed) == [("session_recap", f"get:{session_id}"),
                                 ("view_booking", str(booking_id))]
