"""The price indices on the public site over HTTP: the list, an index's page (its latest value
and change, the chart drawn on the server, the weeks, a withheld week in words and never a
number, “Open in Telegram” to follow it), the CSV for machines whatever the reader's language,
the methodology, and the sitemap and navigation."""

from __future__ import annotations

import csv
import io
import re

from tests.market.helpers import published_index

CODE = "pellets-a1-baltic-fca"


async def test_an_index_page_its_csv_the_list_and_the_method(site_app, web):
    await published_index(site_app)
    page = (await web.get(f"/indices/{CODE}")).text
    assert page.count("<h1") == 1 and "<h1>Wood pellets ENplus A1, Baltic, FCA</h1>" in page
    assert "<strong>€212.17/t · €44.20/MWh</strong> — week of 9 Nov 2026; +1% on the week before" in page
    assert "<svg" in page and 'role="img"' in page and "<polyline" in page
    row = re.search(r'<th scope="row">week of 26 Oct 2026</th><td class="num">(.*?)</td>', page)
    assert row and row.group(1) == "not published — too few parties"
    assert "week of 19 Oct 2026" not in page  # the weeks before the first trade say nothing
    assert "https://t.me/agora_test_bot?start=index-1" in page
    assert f'href="/indices/{CODE}.csv"' in page and "seller0" not in page
    german = (await web.get(f"/indices/{CODE}", headers={"accept-language": "de"})).text
    assert "212,17\xa0€/t" in german

    got = await web.get(f"/indices/{CODE}.csv", headers={"accept-language": "de"})
    assert got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    by_week = {r["week"]: r for r in rows}
    assert by_week["2026-W46"] | {"computed_at": ""} == {
        "week": "2026-W46", "week_start": "2026-11-09", "status": "published",
        "eur_per_t": "212.17", "eur_per_mwh": "44.20", "tonnes": "30.000", "trades": "3",
        "outliers_dropped": "0", "computed_at": ""}
    assert by_week["2026-W44"]["status"] == "not-published:few-parties"
    assert by_week["2026-W44"]["eur_per_t"] == ""

    listing = (await web.get("/indices")).text
    assert f'href="/indices/{CODE}"' in listing and "€212.17/t" in listing
    assert 'href="/indices"' in listing  # in the site's navigation
    method = (await web.get("/indices/methodology")).text
    assert "more than 25% above or below" in method and "at least 3 different sellers" in method
    assert "Estonia, Latvia, Lithuania" in method
    sitemap = (await web.get("/sitemap.xml")).text
    assert f"/indices/{CODE}</loc>" in sitemap and "/indices/methodology</loc>" in sitemap
    assert (await web.get("/indices/nonsense")).status_code == 404
    assert (await web.get("/indices/nonsense.csv")).status_code == 404
