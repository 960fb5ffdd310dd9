"""The market on the database: the App Home's section (what a person sells, with its chart)
and the public site's page (a chart image with its alt text and the figures). `/market` in chat
— product and region buttons, the figures, the seller's price against competing listings —
runs in memory (test_market_in_memory_chat.py), and on Telegram and Slack through the database
(test_market_across_channels.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from conversations.messages import ImageReply, Reply
from tests.catalog.helpers import make_account, publish
from tests.market.helpers import deal, monthly

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
