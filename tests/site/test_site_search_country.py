"""The site's search shows the country a line names as a chip, as the chat does."""

from __future__ import annotations

from bots.web.site import search as site_search


def test_a_country_in_the_typed_line_becomes_a_parameter_and_a_removable_chip():
    search = site_search.read({"q": "wood pellets latvia"})
    assert site_search.params(search) == {"q": "wood pellets", "country": "LV"}
    assert ("Latvia", "/listings?q=wood+pellets") in site_search.chips(search)
    shared = site_search.read({"q": "wood pellets", "country": "LV"})
    assert shared.query.country == "LV"
