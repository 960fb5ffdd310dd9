"""`/market` in chat (the engine, as the terminal drives it) and on the public site: a chart
image with the figures beside it, product buttons starting with what the person sells, region
buttons, the seller's price against competing listings near it; the App Home's section."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from conversations.messages import ImageReply, Reply
from tests.catalog.helpers import make_account, publish
from tests.market.helpers import deal, monthly
from tests.support.chat import ChatUser

LISBON = {"city": "Lisbon", "country": "PT", "lat": 38.72, "lon": -9.14}
TALLINN = {"city": "Tallinn", "country": "EE", "lat": 59.44, "lon": 24.75}


async def _market(app) -> dict[str, int]:
    sam = await make_account(app, "sam")
    rita = await make_account(app, "rita")
    bob = await make_account(app, "bob", roles=("buyer",))
    riga = await publish(app, sam, price="230")  # 47.92 per MWh
    await publish(app, rita, price="200")  # 41.67, Riga
    await publish(app, rita, price="260", location=TALLINN)  # 54.17, 279 km away
    await publish(app, rita, price="100", location=LISBON)  # far away: not a competitor
    await monthly(app, riga, bob.id, app.clock.now(),
                  ["50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61"])
    return {"sam": sam.id, "riga": riga, "bob": bob.id}


async def test_a_seller_reads_the_market_for_what_they_sell_with_a_chart_and_competitors(app):
    await _market(app)
    sam = ChatUser(app, "sam")
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
        app):
    ids = await _market(app)
    await deal(app, ids["riga"], ids["bob"], "70", 10, datetime(2026, 11, 2, tzinfo=UTC))
    bob = ChatUser(app, "bob")
    await bob.say("/market pellets EE")
    assert "Wood pellets — Estonia" in bob.texts()
    assert "Completed deals: 0" in bob.texts() and "Not enough history" in bob.texts()
    assert "competition" not in bob.texts()  # Bob sells nothing
    await bob.say("/market pellets")
    assert "Nov 2026: 65,50\xa0€ (61,00\xa0€–70,00\xa0€, 2 deals)" in bob.texts()


async def test_the_home_screen_shows_the_market_of_what_a_person_sells(app):
    await _market(app)
    from conversations.messages import Command, Envelope

    home = await app.engine.home(Envelope("terminal", "sam", "sam", Command("menu")))
    images = [r for r in home if isinstance(r, ImageReply)]
    assert len(images) == 1 and images[0].content.startswith(b"\x89PNG")
    assert any(isinstance(r, Reply) and "Completed deals: 12" in r.text for r in home)
    nobody = await make_account(app, "nia", roles=("buyer",))
    assert nobody.id
    quiet = await app.engine.home(Envelope("terminal", "nia", "nia", Command("menu")))
    assert not any(isinstance(r, ImageReply) for r in quiet)  # nothing traded or searched


async def test_the_public_market_page_shows_the_chart_with_alt_text_and_the_figures(
        site_app, web):
    ids = await _market(site_app)
    for per_mwh in ("62", "64"):  # three deals in November: their prices may be shown
        await deal(site_app, ids["riga"], ids["bob"], per_mwh, 10,
                   datetime(2026, 11, 3, tzinfo=UTC))
    index = (await web.get("/market")).text
    assert 'href="/market/pellets"' in index
    page = (await web.get("/market/pellets?country=LV")).text
    [(src, alt)] = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', page)
    assert src == "/market/pellets.png?country=LV"
    assert alt.startswith("Charts of Wood pellets in Latvia") and "from 14 completed deals" in alt
    assert page.count("<h1") == 1 and "Wood pellets market — Latvia" in page
    row = re.search(r'<tr><th scope="row">Nov 2026</th>(.*?)</tr>', page, re.S)
    assert row and re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))[:5] == [
        "3", "€62.00", "€61.00 – €64.00", "144.0", "€44.80"]  # asks: 41.67, 47.92
    october = re.search(r'<tr><th scope="row">Oct 2026</th>(.*?)</tr>', page, re.S)
    assert october and "fewer than 3" in october.group(1)  # one deal: its price stays private
    # Only months whose prices are shown feed the public forecast, and here that is one.
    assert ("Not enough history to forecast: at least 3 completed deals in 1 of the last 12 "
            "months") in page
    assert "sam" not in page.lower() and "rita" not in page.lower()
    chart = await web.get(src)
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG")
    assert (await web.get("/market/nonsense")).status_code == 404
    assert (await web.get("/market/nonsense.png")).status_code == 404
