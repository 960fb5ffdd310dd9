"""Market analytics from known rows, on an in-memory history (no database): medians, ranges and
volumes from known deals, asking prices, demand and supply; the forecast with its interval
given enough history, and a plain "not enough history" without; the chart's data and PNG.
`test_history_contract.py` holds the in-memory history to the SQL one (which rows count: the
status, the product, the region, the months); the demo seed below, the market flow and the
public market page (`test_market_chat_and_site.py`) read the figures from the database."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO

from PIL import Image

from core.market.analytics import Spread, market_analytics
from core.market.chart import render
from tests.market.fakes import MemoryMarket

NOV = datetime(2026, 11, 12, 9, tzinfo=UTC)
OCT = datetime(2026, 10, 5, 9, tzinfo=UTC)


async def test_medians_ranges_volumes_demand_and_supply_come_from_the_rows():
    market = MemoryMarket()
    riga = market.publish("230")  # 230 EUR/t ÷ 4.8 MWh/t = 47.92 per MWh
    berlin = market.publish("260", country="DE")
    for per_mwh, tonnes in (("50", 10), ("70", 30), ("60", 20)):
        market.deal(riga, per_mwh, tonnes, NOV)
    for per_mwh in ("40", "45"):
        market.deal(riga, per_mwh, 5, OCT)
    market.deal(riga, "99", 100, NOV, status="agreed")  # not delivered: no trade
    market.deal(riga, "500", 1, NOV, currency="SEK")  # another currency's series
    market.deal(berlin, "80", 10, NOV)  # another region
    for text in ("pellets riga", "pellets riga", "chips"):
        market.search(text, "LV")
    market.search("pellets", "DE")
    market.save({"text": "pellets", "product_type": "pellets"}, "LV")

    latvia = await market_analytics(market, "pellets", "LV")
    everywhere = await market_analytics(market, "pellets", None)
    assert [m.label for m in latvia.months][-2:] == ["2026-10", "2026-11"]
    nov, oct_ = latvia.months[-1], latvia.months[-2]
    assert nov.deals == Spread(3, 6000, 5000, 7000)
    assert oct_.deals == Spread(2, 4250, 4000, 4500)  # the middle of two, halves rounded up
    assert nov.volume_mwh == Decimal("292.8")  # 60 t + 1 t (the SEK deal) at 4.8 MWh/t
    assert oct_.volume_mwh == Decimal("48.0")
    assert latvia.deals == 5 and latvia.currencies == ["EUR", "SEK"]
    assert nov.asks == Spread(1, 4792, 4792, 4792)
    assert latvia.live_listings == 1 and latvia.live_supply_mwh == Decimal("2400.0")
    assert (nov.searches, nov.saved, latvia.saved_active) == (2, 1, 1)
    assert nov.offers == 5  # every first offer on Riga's listing this month, any currency
    assert all(m.deals.count == 0 for m in latvia.months[:-2])
    assert everywhere.months[-1].deals == Spread(4, 6500, 5000, 8000)
    assert everywhere.months[-1].searches == 3 and everywhere.live_listings == 2
    assert latvia.forecast is None and "Not enough history" in latvia.no_forecast
    assert "2 of the last 12 months" in latvia.no_forecast


async def test_a_months_prices_stay_private_on_the_public_side_below_three_deals():
    market = MemoryMarket()
    riga = market.publish()
    market.deal(riga, "50", 10, OCT)
    for per_mwh in ("50", "60", "70"):
        market.deal(riga, per_mwh, 10, NOV)
    shown = await market_analytics(market, "pellets", "LV", public=True)
    assert shown.months[-2].deals == Spread(1) and shown.months[-2].volume_mwh == 0
    assert shown.months[-1].deals == Spread(3, 6000, 5000, 7000)


async def test_awards_are_a_series_of_their_own_in_the_currency_most_priced_unless_asked():
    market = MemoryMarket()
    market.publish()  # asking in EUR
    for per_mwh in (2500, 2600):
        market.award("pellets", "LV", "EUR", per_mwh, NOV)
    market.award("pellets", "LV", "EUR", None, NOV)  # the energy unknown: no price per MWh
    for per_mwh in (30000, 31000, 32000, 33000, 34000):
        market.award("pellets", "LV", "SEK", per_mwh, NOV)
    market.award("pellets", "EE", "SEK", 99000, NOV)  # another region
    market.award("chips", "LV", "SEK", 99000, NOV)  # another product
    sek = await market_analytics(market, "pellets", "LV")
    assert (sek.currency, sek.currencies) == ("SEK", ["SEK", "EUR"])
    assert sek.months[-1].awarded == Spread(5, 32000, 30000, 34000)
    assert sek.months[-1].asks == Spread(0) and sek.live_asks == Spread(0)
    eur = await market_analytics(market, "pellets", "LV", "EUR")
    assert eur.months[-1].awarded == Spread(2, 2550, 2500, 2600)
    assert eur.months[-1].asks == Spread(1, 4792, 4792, 4792)
    assert (await market_analytics(market, "pellets", "LV", "NOK")).currency == "SEK"
    public = await market_analytics(market, "pellets", "LV", "EUR", public=True)
    assert public.months[-1].awarded == Spread(2)  # below three, the prices stay private
    assert (await market_analytics(market, "pellets", "LV", public=True)).months[-1].awarded \
        == Spread(5, 32000, 30000, 34000)
    assert (await market_analytics(market, "hvo", "LV")).currency == "EUR"  # nothing priced


async def test_a_year_of_deals_gives_a_forecast_with_its_interval_and_the_chart_plots_it(
        tmp_path):
    market = MemoryMarket()
    riga = market.publish()
    prices = ["50", "51", "52", None, "54", "55", "54", "56", "57", "58", "59", "60"]
    market.monthly(riga, prices)
    a = await market_analytics(market, "pellets", "LV")
    f = a.forecast
    assert f is not None and a.no_forecast == ""
    assert f.labels == ["2026-12", "2027-01", "2027-02"] and f.level == 80
    assert all(lo < mean < hi for lo, mean, hi in zip(f.low, f.mean, f.high, strict=True))
    assert 5900 < f.mean[0] < 6300  # the trend goes on, about a euro a month
    assert f.high[2] - f.low[2] > f.high[0] - f.low[0]  # less sure further ahead

    chart = render(a)
    s = chart.series
    assert s["months"][-1] == "2026-11" and len(s["months"]) == 12
    assert s["deal_median"] == [float(p) if p else None for p in prices]
    assert s["volume_mwh"] == [48.0 if p else 0.0 for p in prices]
    assert s["forecast_months"] == f.labels
    assert s["forecast_low"] == [v / 100 for v in f.low]
    assert s["ask_median"][-1] == 47.92 and s["supply_mwh"][-1] == 2400.0
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(BytesIO(chart.png))
    assert image.format == "PNG" and image.size == (720, 480)
    assert "Wood pellets in Latvia" in chart.alt and "forecast for Feb 2027" in chart.alt
    (tmp_path / "market.png").write_bytes(chart.png)  # looked at once: four panels, the band


async def test_with_deals_in_too_few_months_there_is_no_forecast_and_it_says_why():
    market = MemoryMarket()
    riga = market.publish()
    market.monthly(riga, ["50", None, "52", None, "55"])
    a = await market_analytics(market, "pellets", "LV")
    assert a.forecast is None
    assert a.no_forecast == ("Not enough history to forecast: completed deals in 3 of the last "
                             "12 months (at least 6 are needed).")
    chart = render(a)
    assert chart.series["forecast_mean"] == [] and "forecast" not in chart.alt
    assert chart.png.startswith(b"\x89PNG")


async def test_the_demo_seed_holds_a_year_of_deals_enough_to_chart_and_forecast(app):
    from sqlalchemy import func, select

    from bots.demo import seed

    # How long seeding takes is the demo's start-up time; it is not asserted here, where a
    # loaded machine would make a wall-clock check flaky.
    # The weekly job ran before the seed, as on a server started first: every past week is
    # stored with no trades, and `agora demo seed` computes those weeks again with its trades.
    from bots.demo_index import publish_demo_weeks
    from core.catalog.media import FileStore
    from core.deals.tables import Deal
    from core.market.index_publish import publish_due
    from core.market.index_view import index_view

    assert await publish_due(app.uow) > 0
    async with app.uow() as uow:
        await seed(uow, FileStore(app.settings.data_dir), count=24, sellers=6)
        await uow.commit()
    await publish_demo_weeks(app.uow)
    async with app.uow() as uow:
        deals = (await uow.session.execute(select(func.count()).select_from(Deal)
                                           .where(Deal.status == "completed"))).scalar()
        latvia = await market_analytics(uow, "pellets", "LV")
        poland = await market_analytics(uow, "hvo", "PL")
    assert deals > 250
    assert all(m.deals.count >= 2 for m in latvia.months) and latvia.forecast is not None
    assert sum(m.searches for m in latvia.months) > 50 and poland.forecast is not None
    # …and ten weeks of the Baltic pellet index, published at once.
    async with app.uow() as uow:
        baltic = await index_view(uow, "pellets-a1-baltic-fca")
    assert len(baltic.published) == 10 and baltic.change is not None
