"""Places come from an offline gazetteer of ~69,000 towns: typos get the right spelling in one
tap, a name it doesn't know is kept only when the person insists, a shared location becomes
the nearest named place."""

from __future__ import annotations

from sqlalchemy import select

from core.catalog import gazetteer
from core.storage.tables import Account
from tests.support.chat import ChatUser


async def at_city(user: ChatUser, country: str = "Sweden") -> None:
    await user.say("/start")
    for answer in ("Sven", "Skog AB", "sven@example.com"):
        await user.say(answer)
    await user.tap("Seller")
    await user.tap("Done")
    await user.say(country)
    assert "City?" in user.texts()


async def stored_city(app) -> tuple[str | None, float | None]:
    async with app.uow() as uow:
        account = (await uow.session.execute(select(Account))).scalar_one()
        return account.city, account.latitude


async def test_a_misspelt_town_is_offered_its_right_spelling_in_one_tap(app, user):
    await at_city(user)
    await user.say("Stokholm")
    assert "I don't know the place “Stokholm”. Did you mean" in user.texts()
    await user.tap("Stockholm, SE")
    assert "Interests?" in user.texts()
    await user.tap("Skip")
    city, latitude = await stored_city(app)
    assert city == "Stockholm" and round(latitude) == 59


async def test_a_name_the_gazetteer_does_not_know_is_kept_only_when_the_person_insists(app, user):
    await at_city(user, "Latvia")
    await user.say("Mazsalacas pagasts")
    assert "Keep “Mazsalacas pagasts” as typed" in user.labels()
    await user.tap("as typed")
    await user.tap("Skip")
    assert await stored_city(app) == ("Mazsalacas pagasts", None)


async def test_the_chosen_country_decides_between_towns_of_one_name(app, user):
    await at_city(user, "United States")
    await user.say("Paris")
    await user.tap("Skip")
    city, latitude = await stored_city(app)
    assert city == "Paris" and latitude < 45  # Paris, Texas or Tennessee — not France


def test_small_towns_and_places_outside_europe_are_known():
    for name, country in (("Kuldīga", "LV"), ("Nelson", "NZ"), ("Lodz", "PL"), ("Tartu", "EE")):
        place, _ = gazetteer.resolve(name, country)
        assert place is not None and place.country == country, name


def test_a_shared_location_is_the_nearest_named_place():
    assert gazetteer.nearest(54.69, 25.28).label == "Vilnius, LT"
    assert gazetteer.nearest(-41.27, 173.28).country == "NZ"
