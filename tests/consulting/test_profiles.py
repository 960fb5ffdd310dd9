"""Consultants' profiles: every field checked, plainly told what keeps them out of the
directory (payouts included), and “online now” that lapses after inactivity. The use cases run
on an in-memory roster (no database); the chat and the helpers every consulting test builds
its consultants with reach them on the database (`test_consultant_chat.py`,
`tests.consulting.helpers.consultant`), and `test_roster_contract.py` holds the two rosters
alike. The booking form following a consultant's slot grid runs on the bookings' diary in
memory, given the roster's profile (`tests/consulting/chat_fakes.py`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conversations.context import Services
from conversations.flows.all_flows import ALL_FLOWS
from conversations.flows.consulting.consultant_profile import still_active
from core.catalog.media import FileStore
from core.consulting.bookings import slots
from core.consulting.events import ProfileChanged
from core.consulting.profiles import service as profiles
from core.consulting.profiles.roster import Roster
from core.consulting.tables import ConsultantProfile
from core.errors import DomainError, NotAllowed, NotFound
from core.money.model import Money
from tests.consulting.booking_fakes import MemoryDiary
from tests.consulting.chat_fakes import copied, listed
from tests.consulting.fakes import MemoryListing, MemoryRoster, Payouts, live_consultant
from tests.consulting.helpers import PNG, complete
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

ANN, BOB, KIM, ROOT = 1, 2, 3, 4


@pytest.fixture
def roster() -> MemoryRoster:
    roster = MemoryRoster()
    roster.person(ANN, timezone="Europe/Riga")
    roster.person(BOB)
    roster.person(KIM, timezone="America/New_York", currency=None)
    roster.person(ROOT, admin=True)
    return roster


@pytest.fixture
def store(tmp_path) -> FileStore:
    return FileStore(tmp_path / "files")


def test_an_empty_profile_says_plainly_everything_that_is_missing():
    empty = ConsultantProfile(bio="", categories=[], languages=[], weekly_hours={})
    assert profiles.what_is_missing(empty, payouts_ready=False) == [
        "a bio of at least 40 characters", "at least one area of expertise",
        "the languages you consult in", "a photo", "your rate", "your weekly hours",
        "payouts set up, so you can be paid"]


async def test_a_complete_profile_goes_live_only_once_payouts_and_billing_are_set_up(roster,
                                                                                    store):
    await profiles.save(roster, ANN, **complete())
    await profiles.set_photo(roster, ANN, store, "me.png", "image/png", PNG)
    missing = await profiles.go_live(roster, ANN, Payouts())
    assert missing == ["payouts set up, so you can be paid",
                       "your billing details, for the receipts of your sessions"]
    roster.billing.add(ANN)  # what `core.companies.billing.give` keeps
    assert await profiles.go_live(roster, ANN, Payouts()) == [
        "payouts set up, so you can be paid"]
    assert not (await profiles.own_profile(roster, ANN)).live
    assert await profiles.go_live(roster, ANN, Payouts({ANN})) == []
    assert (await profiles.own_profile(roster, ANN)).live
    assert roster.kept[ANN]["live_since"] == roster.now()
    assert roster.events[-1] == ProfileChanged(ANN, True)


async def test_a_live_profile_that_loses_its_hours_leaves_the_directory(roster, store):
    await live_consultant(roster, store, ANN)
    profile = await profiles.save(roster, ANN, weekly_hours={})
    assert not profile.live
    assert profiles.what_is_missing(profile, True) == ["your weekly hours"]
    assert roster.events[-1] == ProfileChanged(ANN, False)


async def test_a_profile_is_created_in_the_accounts_own_zone_and_currency(roster):
    profile = await profiles.save(roster, KIM, bio="x")
    assert (profile.timezone, profile.currency, profile.live) == ("America/New_York", "EUR",
                                                                  False)


async def test_only_a_registered_account_creates_a_profile(roster):
    with pytest.raises(NotFound, match="Register first"):
        await profiles.save(roster, 999, bio="x")
    assert not await profiles.is_consultant(roster, 999)


@pytest.mark.parametrize(("changes", "message"), [
    ({"categories": ["astrology"]}, "“astrology” is not a category"),
    ({"languages": ["en", "xx"]}, "“xx” is not a language code"),
    ({"timezone": "Mars/Olympus"}, "“Mars/Olympus” is not a time zone"),
    ({"weekly_hours": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}, "two intervals overlap"),
    ({"weekly_hours": {"mon": [["12:00", "09:00"]]}}, "ends before it starts"),
    ({"weekly_hours": {"monday": [["09:00", "12:00"]]}}, "Unknown day 'monday'"),
    ({"weekly_hours": {"mon": [["9am", "12:00"]]}}, "“9am” is not a time of day"),
    ({"rate_kind": "session", "session_minutes": 45}, "30 or 60 minutes"),
    ({"price": "0"}, "more than zero"),
    ({"price": "80.001"}, "EUR has 2 decimals at most"),
    ({"currency": "XYZ"}, "“XYZ” is not a currency code"),
    ({"meeting_url": "http://meet.example.com/ann"}, "https://"),
    ({"daily_max": 0}, "Most sessions a day must be between 1 and 48"),
    ({"days_off": ["24 December"]}, "Days off are dates"),
    ({"bio": "x" * 2001}, "at most 2000"),
    ({"colour": "blue"}, "no field 'colour'"),
])
async def test_each_profile_field_is_checked_with_a_specific_message(roster, changes, message):
    with pytest.raises(DomainError, match=message):
        await profiles.save(roster, KIM, **complete(**changes))
    assert not await profiles.is_consultant(roster, KIM)  # nothing kept of a refused profile


async def test_languages_and_keywords_are_kept_once_each_in_order(roster):
    profile = await profiles.save(roster, KIM, languages=["EN", "lv", "en"],
                                  keywords=["ENplus", "enplus", " HVO  blending "])
    assert profile.languages == ("en", "lv")
    assert profile.keywords == ("ENplus", "HVO blending")


def test_a_per_minute_rate_prices_each_bookable_length():
    profile = ConsultantProfile(rate_kind="minute", session_minutes=None, price_minor=200,
                                currency="EUR")
    assert profiles.price_for(profile, 45) == Money(9000, "EUR")
    assert profiles.rate_text(profile) == "€2.00 per minute"
    assert profiles.hourly_minor(profile) == 12000
    with pytest.raises(DomainError, match="Book 15 or 30"):
        profiles.price_for(profile, 50)


async def test_online_now_lapses_after_inactivity_and_activity_renews_it(roster, store):
    await live_consultant(roster, store, ANN)
    await profiles.set_online(roster, ANN, True)
    roster.at += timedelta(minutes=29)
    assert await profiles.touch_online(roster, ANN)
    roster.at += timedelta(minutes=29)
    assert profiles.is_online(await profiles.own_profile(roster, ANN), roster.now())
    roster.at += timedelta(minutes=2)
    assert not profiles.is_online(await profiles.own_profile(roster, ANN), roster.now())
    assert not await profiles.touch_online(roster, ANN)  # lapsed: activity alone doesn't revive it


async def test_any_turn_of_an_online_consultant_keeps_them_online_a_while_longer(roster, store):
    """The engine runs the consulting context's `after_turn` on every turn of a registered
    member: a consultant's turn in any chat is activity (here in memory, the roster a fake)."""
    await live_consultant(roster, store, ANN)
    await profiles.set_online(roster, ANN, True)
    chat = MemoryChat(ALL_FLOWS, services=Services(after_turn=[still_active]),
                      stores={Roster: roster})
    chat.turns.register("terminal", "ann", "Ann", roles=("consultant",), account_id=ANN)
    chat.turns.register("terminal", "bob", "Bob", account_id=BOB)
    ann, bob = ChatUser(chat, "ann"), ChatUser(chat, "bob")
    roster.at += timedelta(minutes=29)
    await ann.say("/help")
    assert "/bookings" in ann.texts()  # answered: the turn went through
    roster.at += timedelta(minutes=29)
    await bob.say("/help")  # someone else's activity is not hers
    assert profiles.is_online(await profiles.own_profile(roster, ANN), roster.now())
    roster.at += timedelta(minutes=2)
    assert not profiles.is_online(await profiles.own_profile(roster, ANN), roster.now())


async def test_only_a_live_profile_can_go_online(roster):
    await profiles.save(roster, ANN, **complete())
    with pytest.raises(DomainError, match="must be live"):
        await profiles.set_online(roster, ANN, True)


async def test_only_the_consultant_or_an_admin_takes_a_profile_out_of_the_directory(roster,
                                                                                    store):
    await live_consultant(roster, store, ANN)
    with pytest.raises(NotAllowed):
        await profiles.leave_directory(roster, BOB, ANN)
    await profiles.leave_directory(roster, ANN)
    assert not (await profiles.own_profile(roster, ANN)).live
    await profiles.go_live(roster, ANN, Payouts({ANN}))
    await profiles.leave_directory(roster, ROOT, ANN)
    assert not (await profiles.own_profile(roster, ANN)).live


async def test_a_rating_counts_from_one_to_five_stars(roster, store):
    await live_consultant(roster, store, ANN)
    await profiles.rated(roster, ANN, 5)
    await profiles.rated(roster, ANN, 4)
    assert (roster.kept[ANN]["stars_total"], roster.kept[ANN]["ratings"]) == (9, 2)
    with pytest.raises(DomainError, match="1 to 5 stars"):
        await profiles.rated(roster, ANN, 6)
    assert roster.kept[ANN]["ratings"] == 2


async def test_a_consultant_sets_their_slot_grid_and_horizon_and_the_booking_form_follows(
        store):
    diary, listing = MemoryDiary(), MemoryListing()
    await listed(diary, listing, store, ANN, "Ann", notice_minutes=0, buffer_minutes=0)
    roster = listing.roster
    with pytest.raises(DomainError, match="every 15, 30 or 60 minutes"):
        await profiles.save(roster, ANN, slot_minutes=20)
    with pytest.raises(DomainError, match="between 1 and 365"):
        await profiles.save(roster, ANN, horizon_days=400)
    await profiles.save(roster, ANN, slot_minutes=15, horizon_days=3)
    view = await profiles.own_profile(roster, ANN)
    copied(diary, listing, ANN)  # on the database both read the one profile row
    offered = await slots.open_slots(diary, ANN, 60, 14, "Europe/Riga")
    assert (view.slot_minutes, view.horizon_days) == (15, 3)
    assert offered[1] - offered[0] == timedelta(minutes=15)
    assert max(offered) - diary.now() <= timedelta(days=3)
