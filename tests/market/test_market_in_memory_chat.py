"""`/market` in chat with no database anywhere: the real flow through the engine in memory, its
figures, competition and region buttons read from the in-memory history (core.storage.stores
hands the flow's calls the chat's `MemoryMarket`): a chart image with the figures beside it,
product buttons starting with what the person sells, region buttons, the seller's price against
competing listings near it. On the database: the App Home's section and the public page
(test_market_chat_and_site.py), and /market on Telegram and Slack
(test_market_across_channels.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import ImageReply
from core.market.history import MarketHistory
from tests.market.fakes import MemoryMarket
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

SAM, RITA, BOB = 1, 2, 3
TITLE = "ENplus A1 wood pellets"
RIGA = ("Riga", 56.9496, 24.1052)
TALLINN = ("Tallinn", 59.44, 24.75)
LISBON = ("Lisbon", 38.72, -9.14)


def market() -> tuple[MemoryChat, MemoryMarket, int]:
    """Sam sells pellets in Riga, Rita in Riga, Tallinn and Lisbon (far away: no competitor);
    Bob bought Sam's once a month for a year. The chat, its history and Sam's listing."""
    history = MemoryMarket()
    chat = MemoryChat(ALL_FLOWS, stores={MarketHistory: history})
    for key, name, roles, account_id in (("sam", "Sam", ("seller", "buyer"), SAM),
                                         ("bob", "Bob", ("buyer",), BOB)):
        member = chat.turns.register("terminal", key, name, roles=roles, account_id=account_id)
        chat.turns.members["terminal", key] = replace(member, country="LV", city="Riga")
    riga = history.publish("230", seller_id=SAM, title=TITLE, place=RIGA)  # 47.92 per MWh
    history.publish("200", seller_id=RITA, title=TITLE, place=RIGA)  # 41.67
    history.publish("260", seller_id=RITA, title=TITLE, place=TALLINN, country="EE")  # 54.17
    history.publish("100", seller_id=RITA, title=TITLE, place=LISBON, country="PT")
    history.monthly(riga, ["50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60",
                           "61"], buyer_id=BOB)
    return chat, history, riga


async def test_a_seller_reads_the_market_for_what_they_sell_with_a_chart_and_competitors():
    chat, _, _ = market()
    sam = ChatUser(chat, "sam")
    await sam.say("/market")
    assert sam.labels()[0] == "⭐ Wood pellets"  # what Sam sells comes first
    await sam.tap("Wood pellets")
    (chart,) = [r for r in sam.last if isinstance(r, ImageReply)]
    assert chart.content.startswith(b"\x89PNG") and chart.mime_type == "image/png"
    assert chart.file_name == "agora-market-pellets-LV.png"
    assert chart.caption.startswith("Charts of Wood pellets in Latvia")
    text = sam.texts()
    assert "📊 Wood pellets — Latvia, last 12 months (price per MWh in EUR)" in text
    assert "Completed deals: 12, 576,0 MWh traded" in text
    assert "Nov 2026: 61,00\xa0€ (61,00\xa0€–61,00\xa0€, 1 deals)" in text
    assert "Forecast (80 % interval): Dec 2026 " in text
    assert ("ENplus A1 wood pellets (Riga) at 47,92\xa0€/MWh: above 50 % of 2 competing "
            "listing(s) within 500 km (41,67\xa0€–54,17\xa0€)") in text
    assert "Riga 0 km 41,67\xa0€; Tallinn 279 km 54,17\xa0€" in text and "Lisbon" not in text
    assert "Estonia" in sam.labels() and "🌍 All regions" in sam.labels()

    await sam.tap("All regions")
    assert "Wood pellets — all regions" in sam.texts()
    await sam.tap("Another product")
    await sam.tap("Wood chips")
    assert "Not enough history to forecast: completed deals in 0 of the last 12 months" \
        in sam.texts()


async def test_market_with_a_product_goes_straight_to_the_figures_and_says_when_it_cannot_forecast(
        ):
    chat, history, riga = market()
    history.deal(riga, "70", 10, datetime(2026, 11, 2, tzinfo=UTC), buyer_id=BOB)
    bob = ChatUser(chat, "bob")
    await bob.say("/market pellets EE")
    assert "Wood pellets — Estonia" in bob.texts()
    assert "Completed deals: 0" in bob.texts() and "Not enough history" in bob.texts()
    assert "competition" not in bob.texts()  # Bob sells nothing
    await bob.say("/market pellets")
    assert "Nov 2026: 65,50\xa0€ (61,00\xa0€–70,00\xa0€, 2 deals)" in bob.texts()
