"""Searching in chat: results in pages, filters, sorts, a listing card, watchlist — with the
catalogue and its search index in memory (`in_memory.market`), the market's prices in each
currency on its history in memory; what buyers search for reaching the sellers' market view on
the database."""

from __future__ import annotations

from typing import Any

from conversations.messages import FileReply, ListPage
from core.catalog import media
from core.catalog.media import FileStore
from core.market.prices import market_view
from tests.catalog.fakes import MemoryStock, published
from tests.catalog.helpers import make_account, open_item, publish
from tests.catalog.in_memory import account_of, market, member, rated
from tests.market.fakes import MemoryMarket
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

VILNIUS = {"city": "Vilnius", "country": "LT", "lat": 54.6872, "lon": 25.2797}
CHIPS = {"product_type": "chips", "title": "Spruce wood chips", "unit": "loose_m3", "price": "20",
         "grade": None, "delivery": ["delivery"], "delivery_radius_km": 80,
         "incoterm_place": None, "location": VILNIUS}


def page_of(user: ChatUser) -> ListPage:
    return next(r for r in user.last if isinstance(r, ListPage))


async def catalogue(app, count: int = 7) -> None:
    seller = await make_account(app, "sam", rating_x10=46)
    for i in range(count):
        await publish(app, seller, title=f"ENplus A1 wood pellets lot {i}", price=str(200 + i))
    await publish(app, seller, **CHIPS)


async def stocked_market(count: int = 7, files=None, **buyer: Any
                         ) -> tuple[MemoryChat, MemoryStock, ChatUser]:
    """Sam's pellets (`count` lots) and chips in memory, Sam rated 4.6, and Bob, a buyer
    (`buyer` changes his profile: `city="Kaunas"`…)."""
    chat, stock = market(files)
    member(chat, stock, "sam")
    sam = account_of(chat, "sam")
    rated(stock, sam, 46)
    for i in range(count):
        await published(stock, sam, title=f"ENplus A1 wood pellets lot {i}", price=str(200 + i))
    await published(stock, sam, **CHIPS)
    return chat, stock, member(chat, stock, "bob", roles=("buyer",), **buyer)


async def test_a_misspelt_search_finds_the_listings_and_pages_past_the_last_page():
    _chat, _stock, bob = await stocked_market()
    await bob.say("/search enplsu peletts riga")
    first = page_of(bob)
    assert first.pages == 2 and len(first.items) == 5
    assert all("pellets" in item.title for item in first.items)
    await bob.tap("Next")
    assert page_of(bob).page == 2 and len(page_of(bob).items) == 2
    await bob.tap("Next")
    assert "That was the last page" in bob.texts()
    await bob.tap("Previous")
    assert page_of(bob).page == 1


async def test_filters_and_sorts_from_the_buttons():
    _chat, _stock, bob = await stocked_market()
    await bob.say("/search wood")
    assert "8 result(s)" in page_of(bob).title
    await bob.tap("Filters")
    await bob.tap("Wood chips")  # product type; every other filter skipped
    for _ in range(13):
        await bob.tap("Skip")
    assert "1 result(s)" in page_of(bob).title
    assert page_of(bob).items[0].title == "Spruce wood chips"
    await bob.tap("Filters")
    for _ in range(14):
        await bob.tap("Skip")
    await bob.tap("Sort")
    await bob.tap("Price (low first)")
    assert next(i.title for i in page_of(bob).items) == "Spruce wood chips"
    assert "sorted by price" in page_of(bob).title


async def test_a_distance_filter_uses_the_buyers_city():
    _chat, _stock, bob = await stocked_market(city="Kaunas", country="LT")
    await bob.say("/search wood")
    await bob.tap("Filters")
    for answer in (None, None, None, None, None, None, None, "150"):
        await (bob.tap("Skip") if answer is None else bob.say(answer))
    for _ in range(6):
        await bob.tap("Skip")
    assert "1 result(s)" in page_of(bob).title  # Vilnius is ~90 km away, Riga ~210 km
    assert "km" in page_of(bob).items[0].subtitle


async def test_the_listing_card_shows_specs_reputation_carbon_and_can_be_watched():
    _chat, _stock, bob = await stocked_market(count=1)
    await bob.say("/search spruce chips")
    await open_item(bob, "spruce")
    card = bob.texts()
    assert "Spruce wood chips" in card and "★ 4,6" in card
    assert "Avoids about" in card and "Delivery within 80 km" in card
    await bob.tap("carbon estimate")
    assert "80 g CO₂e/MJ" in bob.texts() or "80 g" in bob.texts()
    await bob.tap("Save to watchlist")
    assert "Saved to your watchlist" in bob.texts()
    await bob.say("/watchlist")
    assert page_of(bob).items[0].title == "Spruce wood chips"


async def test_sellers_see_what_buyers_search_for_and_the_price_range(app):
    await catalogue(app, count=3)
    await make_account(app, "bob", roles=("buyer",))
    bob = ChatUser(app, "bob")
    for text in ("pellets riga", "pellets riga", "chips"):
        await bob.say(f"/search {text}")
    sam = ChatUser(app, "sam")
    await sam.say("/market")
    await sam.tap("Wood pellets")
    text = sam.texts()
    assert "“pellets riga” × 2" in text and "“chips” × 1" in text
    assert "On the market now: 3 listing(s), " in text and "3 priced" in text


async def test_the_market_view_shows_prices_in_each_currency_the_sellers_first():
    """On the market's history in memory; that its asking prices are the published listings'
    is the contract's (tests/market/test_market_view_contract.py)."""
    history = MemoryMarket()
    history.publish("230")
    history.publish("2500", currency="SEK")
    history.publish("2600", currency="SEK")
    view = await market_view(history, "pellets", None, "SEK")
    assert [(p.low.currency, p.listings) for p in view.prices] == [("SEK", 2), ("EUR", 1)]


async def test_a_buyer_downloads_the_certificate_from_the_listing_card(tmp_path):
    _chat, stock, bob = await stocked_market(count=1, files=tmp_path)
    listing_id = min(stock.listings)
    await media.attach(stock, FileStore(tmp_path), listing_id, kind="document",
                       name="enplus.pdf", mime="application/pdf", data=b"%PDF-1.7 cert")
    await bob.say(f"/view {listing_id}")
    assert "documents: enplus.pdf" in bob.texts()
    await bob.tap("Documents")
    (doc,) = [r for r in bob.last if isinstance(r, FileReply)]
    assert (doc.file_name, doc.content) == ("enplus.pdf", b"%PDF-1.7 cert")


async def test_one_line_gives_words_and_filters_shown_as_chips_each_removable():
    chat, stock = market()
    member(chat, stock, "sam")
    await published(stock, account_of(chat, "sam"))  # 230 EUR/t in Riga
    await published(stock, account_of(chat, "sam"), title="Premium pellets", price="320")
    bob = member(chat, stock, "bob", roles=("buyer",))
    await bob.say("/search pellets under 250 eur min 20 t")
    assert "1 result(s) for “pellets”, ≤ 250 EUR/unit, quantity ≥ 20" in page_of(bob).title
    assert "✕ ≤ 250 EUR/unit" in bob.labels()
    await bob.tap("✕ ≤ 250 EUR/unit")
    assert "2 result(s) for “pellets”, quantity ≥ 20" in page_of(bob).title


async def test_symbols_alone_are_refused_at_the_question():
    bob = member(*market(), "bob", roles=("buyer",))
    await bob.say("/search")
    await bob.say("🔥🌲")
    assert "Type a word to search for" in bob.texts() and "What are you looking for?" in bob.texts()


async def test_prices_keep_each_currencys_own_decimals_from_listing_to_search():
    from conversations.flows.market.listing_card import card_text
    from core.catalog import listings, query_text
    from core.money.model import Money
    from tests.catalog.fakes import SAM, stocked, values

    stock = stocked()
    yen = await listings.create_draft(stock, SAM, values(price="30000", currency="JPY"))
    dinar = await listings.create_draft(stock, SAM, values(price="12.345", currency="KWD"))
    assert (yen.price, dinar.price) == (Money(30000, "JPY"), Money(12345, "KWD"))
    assert "¥30,000 per t" in card_text(yen)
    assert "KWD12.345 per t" in card_text(dinar)
    query, _ = query_text.parse("pellets under 31000 jpy")
    assert (query.price_max, query.currency) == (31000, "JPY")
