"""Webinars and events as use cases on an in-memory agenda (no database): who publishes, what
the list shows, answers until it is over, the recording, the start taken once. The chat, the
console and the timers reach the same use cases on the database (`tests/community/
test_webinars.py`, `test_events_and_library.py`); `test_agenda_contract.py` holds the two
agendas alike."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.learning import gatherings
from core.learning.events import GatheringStarted, RecordingAdded
from tests.learning.fakes import START, MemoryAgenda

ROOT, ANN, BOB, EVE = 1, 2, 3, 4
JOIN = "https://meet.example.org/biogas"


@pytest.fixture
def agenda() -> MemoryAgenda:
    return MemoryAgenda(admins={ROOT})


async def webinar(agenda, days=3, minutes=60, title="Biogas basics"):
    return await gatherings.publish(agenda, ROOT, kind="webinar", title=title,
                                    starts_at=START + timedelta(days=days), minutes=minutes,
                                    join_url=JOIN)


async def meetup(agenda, days=5, title="Pellet people, Tartu"):
    return await gatherings.publish(agenda, ROOT, kind="meetup", title=title,
                                    starts_at=START + timedelta(days=days), minutes=120,
                                    place="Tartu, Raekoja plats 1")


async def test_an_admin_publishes_a_webinar_with_its_start_timer_and_an_audit_entry(agenda):
    view = await webinar(agenda)
    assert (view.kind, view.status, view.join_url, view.place) == ("webinar", "scheduled",
                                                                   JOIN, None)
    assert agenda.timers[view.id] == view.starts_at
    [entry] = agenda.audited
    assert (entry.actor_id, entry.action, entry.subject) == (ROOT, "gathering-published",
                                                             f"gathering:{view.id}")


@pytest.mark.parametrize("who", [ANN, None])
async def test_only_an_admin_publishes(agenda, who):
    with pytest.raises(NotAllowed, match="administrators"):
        await gatherings.publish(agenda, who, kind="webinar", title="Sneaky",
                                 starts_at=START + timedelta(days=1), minutes=60, join_url=JOIN)
    assert agenda.gatherings == {} and agenda.audited == []


async def test_a_refused_gathering_leaves_nothing_behind(agenda):
    with pytest.raises(DomainError, match="in the future"):
        await webinar(agenda, days=-1)
    with pytest.raises(DomainError, match="join link"):
        await gatherings.publish(agenda, ROOT, kind="webinar", title="Biogas basics",
                                 starts_at=START + timedelta(days=1), minutes=60)
    assert agenda.gatherings == {} and agenda.timers == {} and agenda.audited == []


async def test_the_list_shows_what_is_coming_with_counts_and_the_readers_own_answer(agenda):
    soon, later = await webinar(agenda, days=1), await meetup(agenda, days=9)
    await gatherings.rsvp(agenda, ANN, later.id, "maybe")
    await gatherings.rsvp(agenda, BOB, later.id, "going")
    await gatherings.rsvp(agenda, ANN, soon.id, "going")
    cards = await gatherings.listed(agenda, ANN)
    assert [(c.gathering.id, c.going, c.maybe, c.mine) for c in cards] == [
        (soon.id, 1, 0, "going"), (later.id, 1, 1, "maybe")]
    assert [c.mine for c in await gatherings.listed(agenda, None)] == [None, None]


async def test_a_past_gathering_is_listed_only_for_its_recording(agenda):
    done = await webinar(agenda, days=1, title="Done and recorded")
    await webinar(agenda, days=2, title="Done, no recording")
    agenda.at = START + timedelta(days=3)
    await gatherings.add_recording(agenda, ROOT, done.id, "https://video.example.org/1")
    coming = await webinar(agenda, days=4, title="Still coming")
    assert [c.gathering.title for c in await gatherings.listed(agenda, EVE)] == [
        coming.title, done.title]
    assert [c.gathering.title for c in await gatherings.latest(agenda)] == [
        "Still coming", "Done, no recording", "Done and recorded"]  # the console sees all


async def test_an_answer_changes_until_the_gathering_is_over(agenda):
    show = await meetup(agenda, days=1)
    await gatherings.rsvp(agenda, ANN, show.id, "going")
    await gatherings.rsvp(agenda, ANN, show.id, "not")
    assert (await gatherings.card(agenda, show.id, ANN)).mine == "not"
    assert await gatherings.attendees(agenda, show.id, ("going", "maybe")) == []
    agenda.at = show.starts_at + timedelta(minutes=show.minutes)
    with pytest.raises(Conflict, match="over"):
        await gatherings.rsvp(agenda, ANN, show.id, "going")


async def test_answers_are_refused_from_strangers_to_unknown_gatherings_and_in_other_words(
        agenda):
    online = await webinar(agenda)
    with pytest.raises(NotAllowed, match="register"):
        await gatherings.rsvp(agenda, None, online.id, "going")
    with pytest.raises(DomainError, match="going, maybe or not"):
        await gatherings.rsvp(agenda, ANN, online.id, "perhaps")
    with pytest.raises(DomainError, match="registration"):
        await gatherings.rsvp(agenda, ANN, online.id, "maybe")  # a webinar takes no maybe
    with pytest.raises(NotFound):
        await gatherings.rsvp(agenda, ANN, online.id + 1, "going")
    assert agenda.answers == {}


async def test_the_publisher_or_an_admin_adds_the_recording_once_it_has_started(agenda):
    online = await webinar(agenda, days=1)
    with pytest.raises(Conflict, match="hasn't started"):
        await gatherings.add_recording(agenda, ROOT, online.id, "https://video.example.org/1")
    agenda.at = online.starts_at
    with pytest.raises(NotAllowed, match="publisher or an admin"):
        await gatherings.add_recording(agenda, ANN, online.id, "https://video.example.org/1")
    with pytest.raises(DomainError, match="recording link"):
        await gatherings.add_recording(agenda, ROOT, online.id, "video.example.org/1")
    done = await gatherings.add_recording(agenda, ROOT, online.id, "https://video.example.org/1")
    assert done.recording_url == "https://video.example.org/1"
    assert agenda.events == [RecordingAdded(online.id)]
    assert agenda.audited[-1].action == "recording-added"


async def test_a_gathering_starts_once_and_says_so_once(agenda):
    online = await webinar(agenda)
    assert await gatherings.start(agenda, online.id) is True
    assert await gatherings.start(agenda, online.id) is False  # a late or doubled timer
    assert agenda.events == [GatheringStarted(online.id)]
    assert (await gatherings.get(agenda, online.id)).status == "started"
