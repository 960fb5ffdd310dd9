"""Where a seller's price sits among nearby competitors, on plain values: no database."""

from __future__ import annotations

from types import SimpleNamespace

from core.market import rules

RIGA = (56.95, 24.11)
JELGAVA = (56.65, 23.72)  # about 41 km from Riga
TALLINN = (59.44, 24.75)  # about 280 km
BERLIN = (52.52, 13.40)  # about 840 km


def listing(id_, place, price, currency="EUR", title=None):
    lat, lon = place
    return SimpleNamespace(id=id_, title=title or f"Pellets {id_}", city=f"City {id_}",
                           country="LV", currency=currency, latitude=lat, longitude=lon,
                           price_mwh_minor=price)


def test_the_percentile_counts_cheaper_prices_and_half_of_the_equal_ones():
    assert rules.percentile(50_00, []) is None
    assert rules.percentile(50_00, [40_00, 45_00, 60_00, 70_00]) == 50
    assert rules.percentile(50_00, [50_00]) == 50  # alone at the same price: the middle
    assert rules.percentile(10_00, [20_00, 30_00]) == 0  # the cheapest
    assert rules.percentile(90_00, [20_00, 30_00]) == 100
    assert rules.percentile(50_00, [40_00, 50_00, 60_00]) == 50


def test_only_listings_in_the_same_currency_within_the_radius_compete():
    own = listing(1, RIGA, 50_00)
    near = listing(2, JELGAVA, 45_00)
    far = listing(3, BERLIN, 30_00)
    other_money = listing(4, JELGAVA, 400_00, currency="SEK")
    found = rules.standing(own, [near, far, other_money])
    assert (found.nearby, found.low, found.high, found.percentile) == (1, 45_00, 45_00, 100)
    assert [r.listing_id for r in found.rivals] == [2]
    assert found.rivals[0].km == 41  # whole kilometres
    wider = rules.standing(own, [near, far, other_money], radius_km=1000)
    assert (wider.nearby, wider.low, wider.high) == (2, 30_00, 45_00)


def test_the_nearest_rivals_come_first_and_only_five_are_shown():
    own = listing(1, RIGA, 50_00)
    others = [listing(10 + n, TALLINN, 40_00 + n) for n in range(4)] + [
        listing(9, JELGAVA, 60_00), listing(8, JELGAVA, 61_00)]
    found = rules.standing(own, others)
    assert found.nearby == 6
    # Jelgava's two first, the older (lower id) of the two first; then Tallinn's by id.
    assert [r.listing_id for r in found.rivals] == [8, 9, 10, 11, 12]
    assert (found.low, found.high) == (40_00, 61_00)


def test_a_seller_alone_in_their_area_has_no_percentile():
    found = rules.standing(listing(1, RIGA, 50_00), [listing(2, BERLIN, 40_00)])
    assert (found.nearby, found.percentile, found.low, found.high, found.rivals) == (
        0, None, None, None, [])
    assert (found.listing_id, found.price_mwh, found.currency) == (1, 50_00, "EUR")
