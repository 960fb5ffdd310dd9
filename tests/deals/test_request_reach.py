"""Who a request reaches: an open request is told to the sellers of the product (those who
deliver to the place first, nearest first), those who sold it before and sellers whose saved
alerts are for it — and any seller of the product may answer it, told or not; a private
request reaches only the sellers its buyer chose among those matched."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.catalog import lifecycle, listings, media
from core.catalog.alerts import save_search
from core.catalog.media import FileStore
from core.catalog.query import SearchQuery
from core.deals.offers.facts import Terms
from core.deals.requests import auctions
from core.deals.requests import quotes as request_quotes
from core.deals.requests import reach as request_reach
from core.deals.requests import service as supply_requests
from core.errors import DomainError, NotFound
from core.money.model import Money
from tests.catalog.helpers import make_account, publish, values
from tests.deals.fakes import MemoryRequests
from tests.deals.fakes import posted as memory_posted
from tests.deals.request_chat import person, request_chat
from tests.deals.test_supply_requests import CHIPS, posted
from tests.deals.test_supply_requests_chat import PDF
from tests.support.outbox import told_texts

TARTU = {"location": {"city": "Tartu", "country": "EE", "lat": 58.378, "lon": 26.729}}
LISBON = {"location": {"city": "Lisbon", "country": "PT", "lat": 38.722, "lon": -9.139}}


async def test_the_best_matched_come_first_and_alerts_count_only_for_sellers(app):
    hanna = await make_account(app, "hanna", roles=("buyer",), country="EE", city="Tartu")
    far = await make_account(app, "lisbon", roles=("seller",))
    near = await make_account(app, "tartu", roles=("seller",))
    courier = await make_account(app, "courier", roles=("seller",))
    await publish(app, far, **CHIPS, **LISBON)  # pickup only, 3,000 km away
    await publish(app, near, **CHIPS, **TARTU)  # pickup only, in town
    await publish(app, courier, **{**CHIPS, **LISBON, "delivery": ["DAP"]})  # delivers anywhere
    trader = await make_account(app, "trader", roles=("seller",))
    plant = await make_account(app, "plant", roles=("buyer",))
    async with app.uow() as uow:
        for who in (trader, plant):
            await save_search(uow, who.id, SearchQuery(product_type="chips"), "instant")
        await uow.commit()
    request_id = await posted(app, hanna)
    async with app.uow() as uow:
        request = await supply_requests.get(uow, request_id, hanna.id)
        order = await request_reach.matching_sellers(uow, request, None)
    assert order == [courier.id, near.id, far.id, trader.id]  # not the plant: it buys chips
    assert await told_texts(app, trader.id, "Request for supply")


async def test_an_open_request_is_answered_by_any_seller_of_the_product():
    register = MemoryRequests()
    hanna = register.person("Hanna")
    request_id = await memory_posted(register, hanna, mode="tender", quantity=Decimal("100"))
    late = register.seller("Late")  # listed after it was posted: not asked
    assert (request_id, late) not in register.invites
    standing = await auctions.bid(register, request_id, late, Money.parse("20", "EUR"))
    assert standing.own == Money.parse("20", "EUR")
    assert (request_id, late) in register.invites  # a party to the request now


async def test_a_private_request_reaches_only_the_chosen_sellers():
    register = MemoryRequests()
    hanna = register.person("Hanna")
    chosen, other = register.seller("Chosen"), register.seller("Other")
    pellets = register.seller("Pellets", product_type="pellets")
    chat = request_chat(register)
    draft = supply_requests.Draft("chips", Decimal("100"), "t", "Tartu", mode="tender",
                                  private=True, invite=(chosen, pellets))
    async with chat.uow() as uow:
        assert [name for __, name in await supply_requests.candidates(uow, hanna, draft)] \
            == ["Chosen", "Other"]
        request = await supply_requests.post(uow, hanna, draft)
        await uow.commit()
    assert await supply_requests.invited(register, request.id) == [chosen]  # not the pellets
    assert "Private" in (await told_texts(chat, chosen, "Request for supply"))[0]
    assert not await told_texts(chat, other, "Request for supply")
    with pytest.raises(NotFound):
        async with chat.uow() as uow:
            await auctions.bid(uow, request.id, other, Money.parse("20", "EUR"))
    with pytest.raises(DomainError, match="Choose at least one seller"):
        async with chat.uow() as uow:
            await supply_requests.post(uow, hanna, supply_requests.Draft(
                "chips", Decimal("100"), "t", "Tartu", private=True, invite=(pellets,)))


async def test_a_buyer_picks_the_sellers_of_a_private_request_in_chat():
    from dataclasses import replace

    register = MemoryRequests()
    register.person("Hanna")
    for name in ("Aivar", "Birute"):
        register.seller(name)
    chat = request_chat(register)
    chat.turns.members["terminal", "hanna"] = replace(
        chat.turns.members["terminal", "hanna"], country="EE", city="Tartu")
    hanna = person(chat, "hanna")
    await hanna.say("/request")
    await hanna.tap("Wood chips")
    await hanna.say("200 t")
    await hanna.say("Tartu")
    await hanna.tap("Change details")
    await hanna.tap("Who may answer")
    await hanna.tap("Only sellers I choose")
    assert {"Aivar", "Birute"} <= set(hanna.labels())
    await hanna.tap("Birute")
    await hanna.tap("Done")
    assert "Private: only the invited sellers may answer." in hanna.texts()
    await hanna.tap("Publish")
    assert "1 seller was asked to quote" in hanna.texts()
    assert await told_texts(chat, "birute", "Request for supply")
    assert not await told_texts(chat, "aivar", "Request for supply")


async def test_a_request_asks_quality_certifications_and_a_price_per_mwh(app):
    hanna = await make_account(app, "hanna", roles=("buyer",), country="EE", city="Tartu")
    wet = await make_account(app, "wet", roles=("seller",))
    await publish(app, wet, **{**CHIPS, "moisture": "45", "ncv": "9", "price": "80"})
    dry = await make_account(app, "dry", roles=("seller",))
    async with app.uow() as uow:  # a certified listing carries its certificate
        draft = await listings.create_draft(uow, dry.id, values(**{
            **CHIPS, "moisture": "25", "ncv": "12", "price": "80", "certifications": ["sbp"]}))
        await media.attach(uow, FileStore(app.settings.data_dir), draft.id, kind="document",
                           name="sbp.pdf", mime="application/pdf", data=PDF)
        await lifecycle.submit(uow, draft.id, dry.id)
        await uow.commit()
    draft = supply_requests.Draft(
        "chips", Decimal("500"), "t", "Tartu", max_price_mwh=Money.parse("30", "EUR"),
        quality=(("moisture", "30"), ("ncv", "10")), certifications=("sbp",))
    async with app.uow() as uow:
        request = await supply_requests.post(uow, hanna.id, draft)
        await uow.commit()
    card = (await told_texts(app, dry.id, "Request for supply"))[0]
    assert "Quality: Moisture at most 30%, NCV at least 10 MJ/kg; SBP" in card
    assert "per MWh, by the listing's energy content" in card

    async def quote(seller, price: str):
        async with app.uow() as uow:
            listing = await request_quotes.listing_for(uow, request.id, seller.id)
            return await request_quotes.quote(uow, request.id, seller.id, listing.id, Terms(
                Decimal("500"), Money.parse(price, "EUR"), "DAP", "Tartu"))

    with pytest.raises(DomainError) as refused:
        await quote(wet, "20")
    said = str(refused.value)
    assert "Moisture is 45%; the buyer asks at most 30%" in said
    assert "NCV is 9 MJ/kg; the buyer asks at least 10 MJ/kg" in said
    assert "the buyer asks SBP certification" in said
    with pytest.raises(DomainError, match=r"per MWh is above the buyer's €30\.00 per MWh"):
        await quote(dry, "200")  # about €60 a MWh at 12 MJ/kg
    assert await quote(dry, "80")  # within every ask
    with pytest.raises(DomainError, match="between 0 and 70%"):
        async with app.uow() as uow:
            await supply_requests.post(uow, hanna.id, supply_requests.Draft(
                "chips", Decimal("5"), "t", "Tartu", quality=(("moisture", "80"),)))
