"""The weekly message on in-memory sources (no database): Monday morning in each person's own
zone, once per person-week however often the job runs; never to someone who opted out;
declines never come back. Two workers at once, on the database: `test_weekly.py`; the opt-out
and "Not interested" in chat: `test_picks_in_chat.py`."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from core.catalog.intents import ListingIntent
from core.recommend import weekly
from core.recommend.intents import PickIntent
from core.recommend.picks import recommend
from tests.recommend.fakes import MemorySources

MONDAY_9_TOKYO = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # Sunday 19:00 in New York
SELLA, TOKYO, YORK, ANN = 10, 1, 2, 3


@pytest.fixture
def sources() -> MemorySources:
    return MemorySources()


def buyer(sources: MemorySources, account_id: int, zone: str) -> int:
    """Someone in `zone` who bought pellets in Riga 20 days ago."""
    sources.zones[account_id] = zone
    sources.add_deal(account_id, sources.add_listing(SELLA, "pellets", "Riga"), days_ago=20)
    return account_id


def messages(sources: MemorySources, account_id: int) -> list:
    return [m for m in sources.sent if m.account_id == account_id]


async def test_it_comes_on_monday_morning_in_each_persons_zone_and_once_a_week(sources):
    for _ in range(3):
        sources.add_listing(SELLA, "pellets", "Daugavpils")
    tokyo, york = buyer(sources, TOKYO, "Asia/Tokyo"), buyer(sources, YORK, "America/New_York")
    sources.at = MONDAY_9_TOKYO
    assert await weekly.send_weekly(sources) == 1
    assert await weekly.send_weekly(sources) == 0  # a rerun the same hour
    [message] = messages(sources, tokyo)
    assert "because you bought wood pellets in Latvia once" in message.text
    labels = [b.label for row in message.buttons for b in row]
    assert "1. 🚫 Not interested" in labels and "🔕 Stop these messages" in labels
    assert any(b.intent == ListingIntent.VIEW_LISTING for row in message.buttons for b in row)
    assert messages(sources, york) == []
    sources.at += timedelta(hours=14)  # Monday 09:00 in New York
    assert await weekly.send_weekly(sources) == 1
    sources.at += timedelta(hours=3)
    assert await weekly.send_weekly(sources) == 0
    assert len(messages(sources, york)) == len(messages(sources, tokyo)) == 1
    sources.at += timedelta(days=7)  # a week later, in New York Monday noon: the next week's
    assert await weekly.send_weekly(sources) == 1


async def test_a_week_with_nothing_to_pick_is_claimed_and_sends_nothing(sources):
    sources.zones[ANN] = "Asia/Tokyo"  # no history: nothing to pick
    sources.at = MONDAY_9_TOKYO
    assert await weekly.send_weekly(sources) == 0
    assert sources.claims == {(ANN, "2026-W48"): []} and sources.sent == []


async def test_someone_who_opted_out_gets_nothing_until_they_opt_in(sources):
    sources.add_listing(SELLA, "pellets", "Daugavpils")
    ann = buyer(sources, ANN, "Asia/Tokyo")
    await weekly.set_weekly(sources, ann, False)
    sources.at = MONDAY_9_TOKYO
    assert await weekly.send_weekly(sources) == 0
    assert messages(sources, ann) == []
    await weekly.set_weekly(sources, ann, True)
    assert await weekly.send_weekly(sources) == 1


async def test_a_declined_item_never_comes_back_week_after_week(sources):
    rng = random.Random(13)
    ann = buyer(sources, ANN, "Asia/Tokyo")
    sources.add_deal(ann, sources.add_listing(SELLA, "chips", "Hamburg"), days_ago=9)
    for _n in range(12):
        sources.add_listing(SELLA, rng.choice(["pellets", "chips"]), rng.choice(["Riga", "Hamburg"]))
    expert = sources.add_consultant(20, "Mia", ["pellet-quality"])
    for i in range(3):
        sources.add_consultant(30 + i, f"C{i}", ["pellet-quality", "biomass-sourcing"])
    sources.add_session(ann, expert, days_ago=30)
    sources.at = MONDAY_9_TOKYO
    declined: set[str] = set()
    for _week in range(6):
        assert await weekly.send_weekly(sources) == 1
        last = messages(sources, ann)[-1]
        shown = [b.arg for row in last.buttons for b in row if b.intent == PickIntent.DECLINE_PICK]
        assert shown and declined.isdisjoint(shown)
        for key in rng.sample(shown, rng.randint(1, 2)):  # some declined this week
            assert await weekly.decline(sources, ann, key)
            assert not await weekly.decline(sources, ann, key)  # twice is once
            declined.add(key)
        now = {p.key for p in await recommend(sources, ann, limit=50, consultants=50)}
        assert declined.isdisjoint(now)
        sources.at += timedelta(days=7)
    assert any(k.startswith("consultant:") for k in declined | now)
