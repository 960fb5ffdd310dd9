"""Consultants' profiles: every field checked, plainly told what keeps them out of the
directory (payouts included), and “online now” that lapses after inactivity."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.companies.billing import give
from core.consulting.bookings import slots
from core.consulting.profiles import service as profiles
from core.consulting.tables import ConsultantProfile
from core.errors import DomainError, NotAllowed
from core.money.model import Money
from tests.consulting.helpers import complete, consultant, seeker
from tests.support.accounts import registered


class NoPayouts:
    """A payments port whose payee has not set up payouts yet."""

    def __init__(self, real):
        self.real = real

    async def wallet(self, account_id, uow=None):
        return replace(await self.real.wallet(account_id, uow), payouts_ready=False)


def test_an_empty_profile_says_plainly_everything_that_is_missing():
    empty = ConsultantProfile(bio="", categories=[], languages=[], weekly_hours={})
    assert profiles.what_is_missing(empty, payouts_ready=False) == [
        "a bio of at least 40 characters", "at least one area of expertise",
        "the languages you consult in", "a photo", "your rate", "your weekly hours",
        "payouts set up, so you can be paid"]


async def test_a_complete_profile_goes_live_only_once_payouts_and_billing_are_set_up(app):
    ann = await consultant(app, live=False)
    async with app.uow() as uow:
        missing = await profiles.go_live(uow, ann.id, NoPayouts(app.payments))
        assert missing == ["payouts set up, so you can be paid",
                           "your billing details, for the receipts of your sessions"]
        await give(uow, ann.id, legal_name="Ann Lapa", street="Iela 1", postcode="LV-1010",
                   town="Rīga", country="LV")
        assert await profiles.go_live(uow, ann.id, NoPayouts(app.payments)) == [
            "payouts set up, so you can be paid"]
        assert not (await profiles.get(uow, ann.id)).live
        assert await profiles.go_live(uow, ann.id, app.payments) == []
        assert (await profiles.get(uow, ann.id)).live
        await uow.commit()


async def test_a_live_profile_that_loses_its_hours_leaves_the_directory(app):
    ann = await consultant(app)
    async with app.uow() as uow:
        profile = await profiles.save(uow, ann.id, weekly_hours={})
        assert not profile.live
        assert profiles.what_is_missing(profile, True) == ["your weekly hours"]


async def test_a_profile_is_created_in_the_accounts_own_zone_and_currency(app):
    kim = await registered(app, "kim", timezone="America/New_York")
    async with app.uow() as uow:
        profile = await profiles.save(uow, kim.id, bio="x")
        assert (profile.timezone, profile.currency, profile.live) == ("America/New_York", "EUR",
                                                                      False)


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
async def test_each_profile_field_is_checked_with_a_specific_message(app, changes, message):
    kim = await registered(app, "kim")
    async with app.uow() as uow:
        with pytest.raises(DomainError, match=message):
            await profiles.save(uow, kim.id, **complete(**changes))


async def test_languages_and_keywords_are_kept_once_each_in_order(app):
    kim = await registered(app, "kim")
    async with app.uow() as uow:
        profile = await profiles.save(uow, kim.id, languages=["EN", "lv", "en"],
                                      keywords=["ENplus", "enplus", " HVO  blending "])
        assert profile.languages == ["en", "lv"]
        assert profile.keywords == ["ENplus", "HVO blending"]


async def test_a_per_minute_rate_prices_each_bookable_length(app):
    ann = await consultant(app, rate_kind="minute", price="2.00")
    async with app.uow() as uow:
        profile = await profiles.get(uow, ann.id)
        assert profiles.price_for(profile, 45) == Money(9000, "EUR")
        assert profiles.rate_text(profile) == "€2.00 per minute"
        assert profiles.hourly_minor(profile) == 12000
        with pytest.raises(DomainError, match="Book 15 or 30"):
            profiles.price_for(profile, 50)


async def test_online_now_lapses_after_inactivity_and_activity_renews_it(app, clock):
    ann = await consultant(app)
    async with app.uow() as uow:
        await profiles.set_online(uow, ann.id, True)
        await uow.commit()
    clock.advance(minutes=29)
    async with app.uow() as uow:
        assert await profiles.touch_online(uow, ann.id)
        await uow.commit()
    clock.advance(minutes=29)
    async with app.uow() as uow:
        assert profiles.is_online(await profiles.get(uow, ann.id), clock.now())
    clock.advance(minutes=2)
    async with app.uow() as uow:
        assert not profiles.is_online(await profiles.get(uow, ann.id), clock.now())
        assert not await profiles.touch_online(uow, ann.id)  # lapsed: activity alone doesn't revive it


async def test_only_a_live_profile_can_go_online(app):
    ann = await consultant(app, live=False)
    async with app.uow() as uow:
        with pytest.raises(DomainError, match="must be live"):
            await profiles.set_online(uow, ann.id, True)


async def test_only_the_consultant_or_an_admin_takes_a_profile_out_of_the_directory(app):
    ann = await consultant(app)
    bob = await seeker(app)
    async with app.uow() as uow:
        with pytest.raises(NotAllowed):
            await profiles.leave_directory(uow, bob.id, ann.id)
        await profiles.leave_directory(uow, ann.id)
        assert not (await profiles.get(uow, ann.id)).live


async def test_a_consultant_sets_their_slot_grid_and_horizon_and_the_booking_form_follows(app):
    ann = await consultant(app, "ann", notice_minutes=0, buffer_minutes=0)
    async with app.uow() as uow:
        with pytest.raises(DomainError, match="every 15, 30 or 60 minutes"):
            await profiles.save(uow, ann.id, slot_minutes=20)
        with pytest.raises(DomainError, match="between 1 and 365"):
            await profiles.save(uow, ann.id, horizon_days=400)
        await profiles.save(uow, ann.id, slot_minutes=15, horizon_days=3)
        await uow.commit()
    async with app.uow() as uow:
        view = await profiles.own_profile(uow, ann.id)
        offered = await slots.open_slots(uow, ann.id, 60, 14, "Europe/Riga")
    assert (view.slot_minutes, view.horizon_days) == (15, 3)
    assert offered[1] - offered[0] == timedelta(minutes=15)
    assert max(offered) - app.clock.now() <= timedelta(days=3)
