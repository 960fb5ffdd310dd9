"""“More filters” offers a country, and a town picked there reaches as far as “near” does."""

from __future__ import annotations

from conversations.flows.market import search_fields
from core.catalog.query import SearchQuery


def test_more_filters_offers_the_country_and_keeps_it():
    assert "country" in [f.name for f in search_fields.FILTER_FORM.fields]
    query = search_fields.query_from({"country": "LV"}, SearchQuery(text="pellets"), None)
    assert query.country == "LV" and ("Latvia", "country") in query.filters()


def test_a_town_picked_in_the_filters_reaches_the_default_radius_named_on_its_chip():
    near = {"city": "Riga", "country": "LV", "lat": 56.95, "lon": 24.11}
    query = search_fields.query_from({"near": near}, SearchQuery(text="pellets"), None)
    assert query.max_km == 200 and ("≤ 200 km of Riga", "max_km") in query.filters()
