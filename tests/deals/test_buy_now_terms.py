"""Buy now binds the seller only to what the listing offers; its one-tap quantity is the
minimum order; a quantity may be typed with its unit wherever one is asked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conversations.fields import FieldError
from conversations.flows.deals.offer_fields import quantity_field
from core.accounts.service import find_account
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.tables import Deal
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.deals.chat_helpers import last_notice, trading_pair


async def _used_dap_leipzig_before(app, bob_name: str = "bob") -> None:
    """Bob's last offer (on a listing that delivers) was DAP Leipzig: his usual terms."""
    seller = await make_account(app, "dan", city="Leipzig", country="DE")
    other = await publish(app, seller, negotiable="yes", delivery=["DAP"],
                          incoterm_place="Leipzig", min_order="20")
    async with app.uow() as uow:
        bob = await find_account(uow, "terminal", bob_name)
        assert bob is not None
        await offers.make_offer(uow, other, bob.id, Terms(
            Decimal(20), Money.parse("220", "EUR"), "DAP", "Leipzig"))
        await uow.commit()


async def test_buy_now_on_an_fca_pickup_listing_cannot_agree_dap_leipzig(app):
    _sam, bob, listing_id = await trading_pair(app, negotiable="no", delivery=["FCA", "pickup"])
    await _used_dap_leipzig_before(app)
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
    async with app.uow() as uow:
        assert (await uow.session.execute(Deal.__table__.select())).first() is None


async def test_buy_now_quantity_defaults_to_the_minimum_order_not_the_whole_stock(app):
    _sam, bob, listing_id = await trading_pair(app, negotiable="no", min_order="22")
    await bob.say(f"/view {listing_id}")
    await bob.tap("Buy now")
    assert bob.labels()[0] == "Keep “22”", bob.labels()  # not the 500 t in stock
    await bob.tap("Keep")
    assert "22 t × 230,00\xa0€ per t = 5\xa0060,00\xa0€" in bob.texts(), bob.texts()


async def test_with_no_minimum_order_buy_now_offers_one_unit_not_the_whole_stock(app):
    _sam, bob, listing_id = await trading_pair(app, negotiable="no", min_order=None)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Buy now")
    assert bob.labels()[0] == "Keep “1”", bob.labels()  # 500 t would be €115,000 in one tap


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


async def test_a_quantity_typed_with_its_unit_is_accepted_in_an_offer_and_a_counter(app):
    typed = "20 tonnes"
    sam, bob, listing_id = await trading_pair(app)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.say(typed)
    await bob.say("200")
    assert "20 t × 200,00\xa0€" in bob.texts(), bob.texts()
    await bob.tap("Send")
    await last_notice(app, sam, "Offer #")
    await sam.tap("Counter")
    await sam.say(typed.replace("20", "30"))
    await sam.say("225")
    assert "30 t × 225,00\xa0€" in sam.texts(), sam.texts()


async def test_a_quantity_in_another_unit_is_refused_politely(app):
    _sam, bob, listing_id = await trading_pair(app)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.say("20 MWh")
    assert "like “20 t”" in bob.texts(), bob.texts()


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


async def test_a_minimum_order_typed_with_its_unit_is_accepted_on_a_listing(app):
    from tests.catalog.helpers import add_details, list_pellets
    from tests.support.chat import ChatUser

    await make_account(app, "sam")
    sam = ChatUser(app, "sam")
    await list_pellets(sam, details={}, publish=False)
    await add_details(sam, {"Minimum order": "20 tonnes"})
    assert "minimum order 20 t" in sam.texts(), sam.texts()
