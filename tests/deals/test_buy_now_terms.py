"""Buy now binds the seller only to what the listing offers; its one-tap quantity is the
minimum order; a quantity may be typed with its unit wherever one is asked — all in chat
without a database: the offer form on the catalogue's stock and the offers' negotiation in
memory, the quality report on the in-memory deal book (tests/deals/in_memory.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conversations.fields import FieldError
from conversations.flows.deals.offer_fields import quantity_field
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.money.model import Money


@pytest.mark.parametrize("typed", ["20", "20 t", "20t", "20 tonnes", " 20 T "])
def test_the_offer_form_takes_a_quantity_with_or_without_its_unit(typed):
    field = quantity_field({"unit": "t", "least": "20", "stock": "500"})
    assert field.parse_raw(typed) == "20"


@pytest.mark.parametrize(("typed", "said"), [("20 MWh", "like “20 t”"), ("5 t", "between 20 and 500"),
                                             ("900", "between 20 and 500"), ("20.0001", "3 decimal")])
def test_the_offer_form_refuses_another_unit_and_the_listings_limits(typed, said):
    field = quantity_field({"unit": "t", "least": "20", "stock": "500"})
    with pytest.raises(FieldError, match=said):
        field.parse_raw(typed)


# At most 8 % moisture, at least 17.2 MJ/kg (the trading pair's listing), 5 % short tolerated.
QUALITY = ({"name": "moisture", "limit": "8", "is_maximum": True, "penalty_minor": 440},
           {"name": "ncv", "limit": "17.2", "is_maximum": False, "penalty_minor": 400})


async def test_a_delivered_quantity_typed_with_its_unit_is_accepted_in_the_quality_report():
    """In chat on the in-memory deal book (tests/deals/in_memory.py): the seller's notice of
    the move is the database's (test_deal_chat_paths.py)."""
    from conversations.messages import Choice
    from core.process.deals import DealState
    from tests.deals.deal_fakes import BOB
    from tests.deals.in_memory import deal_chat, person

    chat, book = deal_chat()
    deal_id = book.sale(DealState.SHIPPED, quality=QUALITY, tolerance_percent=5)
    bob = person(chat, "bob")
    await bob.send(Choice(f"@do:deal_step:{deal_id}:report-quality"))
    await bob.say("90 t")  # 90 t of 100 arrived
    await bob.tap("Skip")
    await bob.tap("Skip")
    assert book.deals[deal_id].status == "adjustment_proposed"
    assert (deal_id, "report-quality", BOB) in book.moves  # the move the seller hears of
    assert book.reports[deal_id].delivered_milli == 90_000


async def test_a_minimum_order_typed_with_its_unit_is_accepted_on_a_listing():
    """The listing form on the catalogue's in-memory stock (tests/catalog/in_memory.py)."""
    from tests.catalog.helpers import add_details, list_pellets
    from tests.catalog.in_memory import market, member

    chat, stock = market()
    sam = member(chat, stock, "sam")
    await list_pellets(sam, details={}, publish=False)
    await add_details(sam, {"Minimum order": "20 tonnes"})
    assert "minimum order 20 t" in sam.texts(), sam.texts()


# --- the offer form in chat, in memory (tests/deals/in_memory.py): the catalogue's stock, the
# offers' negotiation; the deal a buy-now agrees and what each party hears stay on the database
# (test_deal_chat_paths.py)


async def _used_dap_leipzig_before(chat, bob_id: int) -> None:
    """Bob's last offer (on Dan's listing, which delivers) was DAP Leipzig: his usual terms."""
    from core.catalog.stock import Stock
    from core.deals.offers.negotiation import Negotiation
    from tests.catalog.fakes import published
    from tests.catalog.in_memory import account_of, member

    stock = chat.stores[Stock]
    member(chat, stock, "dan")
    other = await published(stock, account_of(chat, "dan"), negotiable="yes", delivery=["DAP"],
                            incoterm_place="Leipzig", min_order="20")
    await offers.make_offer(chat.stores[Negotiation], other, bob_id, Terms(
        Decimal(20), Money.parse("220", "EUR"), "DAP", "Leipzig"))


async def test_buy_now_on_an_fca_pickup_listing_cannot_agree_dap_leipzig():
    from core.deals.offers.negotiation import Negotiation
    from tests.catalog.in_memory import account_of
    from tests.deals.in_memory import trading_pair

    chat, _sam, bob, listing_id = await trading_pair(negotiable="no", delivery=["FCA", "pickup"])
    await _used_dap_leipzig_before(chat, account_of(chat, "bob"))
    await bob.say(f"/view {listing_id}")
    await bob.tap("Buy now")
    await bob.tap("Keep")  # the one-tap default: the minimum order
    preview = bob.texts()
    assert "DAP" not in preview and "Leipzig" not in preview, preview
    assert "FCA Riga port" in preview, preview
    await bob.tap("Change details")
    await bob.tap("DAP")
    await bob.say("Leipzig")
    for _ in range(4):  # dates, payment and expiry as they were
        await bob.tap("Keep")
    await bob.tap("Buy now")
    assert "Buy now takes the listing's own delivery (FCA, pickup at Riga port)" in bob.texts()
    assert chat.stores[Negotiation].deals == {}


async def test_buy_now_quantity_defaults_to_the_minimum_order_not_the_whole_stock():
    from tests.deals.in_memory import trading_pair

    _chat, _sam, bob, listing_id = await trading_pair(negotiable="no", min_order="22")
    await bob.say(f"/view {listing_id}")
    await bob.tap("Buy now")
    assert bob.labels()[0] == "Keep “22”", bob.labels()  # not the 500 t in stock
    await bob.tap("Keep")
    assert "22 t × 230,00\xa0€ per t = 5\xa0060,00\xa0€" in bob.texts(), bob.texts()


async def test_with_no_minimum_order_buy_now_offers_one_unit_not_the_whole_stock():
    from tests.deals.in_memory import trading_pair

    _chat, _sam, bob, listing_id = await trading_pair(negotiable="no", min_order=None)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Buy now")
    assert bob.labels()[0] == "Keep “1”", bob.labels()  # 500 t would be €115,000 in one tap


async def test_a_quantity_typed_with_its_unit_is_accepted_in_an_offer_and_a_counter():
    from conversations.messages import Choice
    from tests.deals.in_memory import trading_pair

    typed = "20 tonnes"
    _chat, sam, bob, listing_id = await trading_pair()
    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.say(typed)
    await bob.say("200")
    assert "20 t × 200,00\xa0€" in bob.texts(), bob.texts()
    await bob.tap("Send")
    assert "Sent (offer #1)" in bob.texts()
    await sam.send(Choice("@do:counter_offer:1"))  # the Counter of Sam's notice of offer #1
    await sam.say(typed.replace("20", "30"))
    await sam.say("225")
    assert "30 t × 225,00\xa0€" in sam.texts(), sam.texts()


async def test_a_quantity_in_another_unit_is_refused_politely():
    from tests.deals.in_memory import trading_pair

    _chat, _sam, bob, listing_id = await trading_pair()
    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.say("20 MWh")
    assert "like “20 t”" in bob.texts(), bob.texts()
