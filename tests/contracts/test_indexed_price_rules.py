"""An indexed contract's price rules on plain values (core.deals.call_offs): a call-off at the
index plus the premium, the agreed price without a published week, and which goods an index
may price."""

from decimal import Decimal

import pytest

from core.deals.call_offs import check_indexed, index_words, indexed_price
from core.errors import DomainError
from core.money.model import Money


def eur(major: str) -> Money:
    return Money.parse(major, "EUR")


def test_a_call_off_is_the_index_plus_the_premium_or_the_agreed_price_without_a_week():
    assert indexed_price(eur("212.00"), eur("5.00"), eur("200.00")) == eur("217.00")
    assert indexed_price(eur("212.00"), eur("-12.50"), eur("200.00")) == eur("199.50")
    assert indexed_price(None, eur("5.00"), eur("200.00")) == eur("200.00")
    assert indexed_price(eur("10.00"), eur("-10.00"), eur("200.00")) == eur("200.00")


def test_only_a_contract_on_the_indexs_goods_by_the_tonne_in_its_currency_is_indexed():
    check_indexed(None, None, "chips", "loose_m3", "SEK")  # not indexed: nothing to check
    check_indexed("pellets-a1-baltic-fca", 3, "pellets", "t", "EUR")
    for args in ((None, "pellets", "t", "EUR"), (3, "chips", "t", "EUR"),
                 (3, "pellets", "loose_m3", "EUR"), (3, "pellets", "t", "SEK")):
        with pytest.raises(DomainError):
            check_indexed("pellets-a1-baltic-fca", *args)
    with pytest.raises(DomainError):
        check_indexed("no-such-index", 3, "pellets", "t", "EUR")


def test_the_rule_reads_with_its_sign():
    assert index_words("pellets-a1-baltic-fca", eur("-5.00")) == \
        "indexed to Wood pellets ENplus A1, Baltic, FCA − €5.00/t"


def test_an_indexed_offer_held_for_approval_keeps_its_index_and_premium():
    from datetime import date

    from core.deals.approvals.drafted import _frozen, terms_of
    from core.deals.offers.facts import Terms
    from core.deals.tables import PurchaseRequest

    terms = Terms(Decimal("100"), eur("200.00"), "FCA", "Riga", date(2026, 11, 20),
                  date(2026, 11, 30), call_offs=3, call_off_every="month",
                  price_index="pellets-a1-baltic-fca", index_premium=eur("-2.50"))
    held = PurchaseRequest(terms=_frozen(terms))
    assert terms_of(held) == terms
