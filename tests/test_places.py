"""Places come from an offline gazetteer of ~69,000 towns: a clear typo is corrected and said so,
an unclear one or a shared name is offered as buttons, a name it doesn't know is kept only
when the person insists, a shared location becomes the nearest named place."""

from __future__ import annotations

import pytest

from conversations.messages import ListPage
from core.catalog import gazetteer
from tests.accounts.in_memory import account_chat, member_in
from tests.catalog.fakes import published
from tests.catalog.helpers import answer_form
from tests.catalog.in_memory import account_of, market, member
from tests.support.chat import ChatUser


async def at_city(user: ChatUser, country: str = "Sweden") -> None:
    await user.say("/start")
    for answer in ("Sven", "Skog AB", "sven@example.com"):
        await user.say(answer)
    await user.tap("Seller")
    await user.tap("Done")
    await user.say(country)
    assert "City?" in user.texts()


@pytest.fixture
def sven() -> ChatUser:
    """Someone new (Sven, once he answers) in a chat in memory that registers him in the
    accounts' book in memory (tests/accounts/in_memory.py; registration's journey on the
    database: tests/test_registration_flow.py)."""
    return ChatUser(account_chat(), "sven")


async def stored_city(user: ChatUser) -> tuple[str | None, float | None]:
    account = member_in(user.app, user.name)
    return account.city, account.latitude


async def test_a_clear_typo_is_corrected_to_the_known_place_and_the_reply_says_so(sven):
    await at_city(sven)
    await sven.say("Stockhlom")
    assert "Stockholm, Sweden — I corrected the spelling." in sven.texts()
    assert "Interests?" in sven.texts()
    await sven.tap("Skip")
    city, latitude = await stored_city(sven)
    assert city == "Stockholm" and round(latitude) == 59


async def test_an_unclear_typo_offers_close_places_the_persons_country_first(sven):
    await at_city(sven, "Latvia")
    await sven.say("Rgia")
    assert "I don't know the place “Rgia”. Did you mean" in sven.texts()
    assert sven.labels()[:2] == ["Riga, LV", "Raia, IN"]
    await sven.tap("Riga, LV")
    await sven.tap("Skip")
    assert (await stored_city(sven))[0] == "Riga"


async def test_a_name_several_countries_share_offers_them_as_buttons(sven):
    await at_city(sven, "Latvia")
    await sven.say("Springfield")
    assert "There are several places called “Springfield”. Which one?" in sven.texts()
    assert {"Springfield, US", "Springfield, AU"} <= set(sven.labels())
    await sven.tap("Springfield, AU")
    await sven.tap("Skip")
    city, latitude = await stored_city(sven)
    assert city == "Springfield" and latitude < 0


async def test_a_far_larger_namesake_is_taken_and_the_reply_says_how_to_pick_another(sven):
    await at_city(sven, "Latvia")
    await sven.say("Paris")
    assert "Paris, France. Another Paris? Add its country, like “Paris, " in sven.texts()
    await sven.say("/back")
    await sven.say("Paris, CA")
    await sven.tap("Skip")
    city, latitude = await stored_city(sven)
    assert city == "Paris" and 40 < latitude < 45  # Paris, Ontario


async def test_a_name_the_gazetteer_does_not_know_is_kept_only_when_the_person_insists(sven):
    await at_city(sven, "Latvia")
    await sven.say("Mazsalacas pagasts")
    assert "Keep “Mazsalacas pagasts” as typed" in sven.labels()
    await sven.tap("as typed")
    await sven.tap("Skip")
    assert await stored_city(sven) == ("Mazsalacas pagasts", None)


async def test_the_chosen_country_decides_between_towns_of_one_name(sven):
    await at_city(sven, "United States")
    await sven.say("Paris")
    await sven.tap("Skip")
    city, latitude = await stored_city(sven)
    assert city == "Paris" and latitude < 45  # Paris, Texas or Tennessee — not France


def test_small_towns_and_places_outside_europe_are_known():
    for name, country in (("Kuldīga", "LV"), ("Nelson", "NZ"), ("Lodz", "PL"), ("Tartu", "EE")):
        place, _ = gazetteer.resolve(name, country)
        assert place is not None and place.country == country, name


def test_a_shared_location_is_the_nearest_named_place():
    assert gazetteer.nearest(54.69, 25.28).label == "Vilnius, LT"
    assert gazetteer.nearest(-41.27, 173.28).country == "NZ"


def test_typos_count_a_swapped_pair_of_letters_as_one_slip():
    assert gazetteer.lookup("Kaunsa").place.label == "Kaunas, LT"
    assert gazetteer.lookup("Tlalinn").corrected and gazetteer.lookup("Tlalinn").place.city == "Tallinn"


def test_the_persons_country_decides_a_typo_between_two_near_names():
    assert gazetteer.lookup("Berln").place.label == "Berlin, DE"
    assert gazetteer.lookup("Berln", "CH").place.label == "Bern, CH"


@pytest.mark.parametrize(("typed", "country", "expected"), [
    ("München", "DE", "Munich, DE"), ("Munchen", "DE", "Munich, DE"),
    ("Nürnberg", "DE", "Nuremberg, DE"), ("Wien", "AT", "Vienna, AT"), ("Praha", "CZ", "Prague, CZ"),
    ("Praha", None, "Prague, CZ"), ("København", "DK", "Copenhagen, DK"),
    ("Göteborg", "SE", "Gothenburg, SE"), ("Warszawa", "PL", "Warsaw, PL"),
])
def test_a_town_by_its_local_name_is_found_at_once_never_corrected_elsewhere(typed, country,
                                                                              expected):
    found = gazetteer.lookup(typed, country)
    assert (found.place.label, found.corrected) == (expected, False)


def test_another_countrys_own_name_wins_over_a_local_alias_elsewhere():
    assert gazetteer.lookup("Monaco").place.label == "Monaco, MC"  # Munich is "Monaco" in Italian


async def test_a_listing_place_prefers_the_sellers_country():
    chat, stock = market()
    sam = member(chat, stock, "sam", country="CH", city="Basel")
    await sam.say("/sell")
    await sam.tap("Wood pellets")
    await answer_form(sam, ["500 t", "230"])
    await sam.tap("Fixed price")
    await sam.say("Berln")
    assert "Bern, Switzerland — I corrected the spelling." in sam.texts()


async def test_distance_from_the_buyers_town_is_measured_from_the_one_in_their_country():
    chat, stock = market()
    member(chat, stock, "sam")
    seller = account_of(chat, "sam")
    paris_texas = {"city": "Paris", "country": "US", "lat": 33.66, "lon": -95.56}
    await published(stock, seller, title="Pine pellets in Texas", location=paris_texas)
    await published(stock, seller, title="Oak pellets in France",
                    location={"city": "Paris", "country": "FR", "lat": 48.85, "lon": 2.35})
    bob = member(chat, stock, "bob", roles=("buyer",), city="Paris", country="US")
    await bob.say("/search pellets within 100 km")
    page = next(r for r in bob.last if isinstance(r, ListPage))
    assert [item.title for item in page.items] == ["Pine pellets in Texas"]


@pytest.mark.parametrize(("language", "names"), [
    ("de", ("Warschau", "Wien", "Prag")), ("pl", ("Warszawa", "Wiedeń", "Praga")),
    ("fr", ("Varsovie", "Vienne", "Prague")), ("lv", ("Varšava", "Vīne", "Prāga")),
    ("en", ("Warsaw", "Vienna", "Prague"))])
def test_a_town_is_shown_by_its_name_in_the_readers_language_where_cldr_has_one(language, names):
    from types import SimpleNamespace

    from core.money.reading import reading

    with reading(SimpleNamespace(language=language, country=None)), \
            pytest.MonkeyPatch.context() as patch:
        from core import i18n

        patch.setitem(i18n.LANGUAGES, language, language)
        shown = tuple(gazetteer.town_name(town, country) for town, country in (
            ("Warsaw", "PL"), ("Vienna", "AT"), ("Prague", "CZ")))
    assert shown == names
    assert gazetteer.town_name("Riga", "US") == "Riga"  # another country's Riga is not Rīga
