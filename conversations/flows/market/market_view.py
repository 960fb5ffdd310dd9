"""`/market`: market analytics for a product and region — price per MWh over time from completed
deals and listings, volume traded, demand, supply and a short forecast — as a chart image with
the numbers beside it; sellers also see competing listings near theirs and where their price
sits. The product buttons start with what the person sells or searches for."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from conversations.flow import Ask, Ctx, Flow, MenuEntry, Next
from conversations.messages import Choice, ImageReply, Inbound, Outbound, Reply, rows
from core.catalog.taxonomy import TYPES, product
from core.i18n import N_, _, present
from core.market import analytics as figures
from core.market.chart import month_name, region_name, render
from core.market.competition import NEAR_KM, standings
from core.market.prices import market_view
from core.money.model import Money
from core.money.reading import shown

ALL = "*"  # every region
# A spread of prices by what it counts ("deals" or "priced"): some counted without a price, none,
# and the median with its range.
SPREADS = {"deals": (N_("{count} deals"), N_("no deals"), N_("{median} ({low}–{high}, {count} deals)")),
           "priced": (N_("{count} priced"), N_("no priced"),
                      N_("{median} ({low}–{high}, {count} priced)"))}


def _money(minor: int | None, currency: str) -> str:
    return shown(None if minor is None else Money(minor, currency))


def _mwh(value: Decimal) -> str:
    return present.quantity(round(value, 1), "MWh")


def _spread(s: figures.Spread, currency: str, noun: str) -> str:
    some, none, ranged = SPREADS[noun]
    if s.median is None:
        return _(some, count=s.count) if s.count else _(none)
    return _(ranged, median=_money(s.median, currency), low=_money(s.low, currency),
             high=_money(s.high, currency), count=s.count)


def analytics_text(a: figures.MarketAnalytics) -> str:
    """The figures the chart shows, in words."""
    c = a.currency
    lines = [_("📊 {product} — {region}, last 12 months (price per MWh in {currency})",
               product=_(product(a.product_type).label), region=region_name(a.country),
               currency=c),
             _("Completed deals: {deals}, {volume} traded", deals=a.deals, volume=_mwh(a.volume_mwh)),
             _("Deals by month — median (range, deals) · traded · listings' median:")]
    for m in a.months:
        if m.deals.count or m.asks.count:
            lines.append("  " + _("{month}: {deals} · {volume} · asks {ask}",
                                  month=month_name(m.label),
                                  deals=_spread(m.deals, c, "deals"), volume=_mwh(m.volume_mwh),
                                  ask=_money(m.asks.median, c)))
    awarded = [m for m in a.months if m.awarded.median is not None]
    if awarded:
        lines.append(_("Tenders and auctions awarded, median per MWh: {months}", months=", ".join(
            f"{month_name(m.label)} {_money(m.awarded.median, c)} ({m.awarded.count})"
            for m in awarded)))
    lines.append(_("On the market now: {listings} listing(s), {asks}, {supply}",
                   listings=a.live_listings, asks=_spread(a.live_asks, c, "priced"),
                   supply=_mwh(a.live_supply_mwh)))
    lines.append(_("Demand over 12 months: {searches} searches, {offers} offers; "
                   "{saved} saved search(es) alerting now",
                   searches=sum(m.searches for m in a.months),
                   offers=sum(m.offers for m in a.months), saved=a.saved_active))
    if a.forecast:
        f = a.forecast
        ahead = ", ".join(f"{month_name(label)} {_money(mean, c)} ({_money(low, c)}–{_money(high, c)})"
                          for label, mean, low, high in zip(f.labels, f.mean, f.low, f.high, strict=True))
        lines.append(_("Forecast ({level} % interval): {ahead}. {method}; a forecast, "
                       "not a promise.", level=f.level, ahead=ahead, method=_(f.method)))
    else:
        lines.append(a.no_forecast)
    if len(a.currencies) > 1:
        lines.append(_("Other currencies here (never converted): {currencies}",
                       currencies=", ".join(x for x in a.currencies if x != c)))
    return "\n".join(lines)


async def competition_text(ctx: Ctx, code: str) -> str:
    """The seller's own live listings of the product against competitors near each."""
    if ctx.account is None:
        return ""
    lines = []
    for s in await standings(ctx.uow, ctx.account.id, code):
        c = s.currency
        if s.percentile is None:
            lines.append(_("• {title} ({city}) at {price}/MWh: no competing listing within {km} km.",
                           title=s.title, city=s.city, price=_money(s.price_mwh, c), km=NEAR_KM))
            continue
        lines.append(_("• {title} ({city}) at {price}/MWh: above {percentile} % of {nearby} competing "
                       "listing(s) within {km} km ({low}–{high}). Nearest: {nearest}",
                       title=s.title, city=s.city, price=_money(s.price_mwh, c),
                       percentile=s.percentile, nearby=s.nearby, km=NEAR_KM,
                       low=_money(s.low, c), high=_money(s.high, c), nearest="; ".join(
                           f"{r.city} {r.km} km {_money(r.price_mwh, c)}" for r in s.rivals)))
    return (_("Your listings against the competition:") + "\n" + "\n".join(lines)) if lines else ""


async def chart_reply(a: figures.MarketAnalytics) -> ImageReply:
    chart = await asyncio.to_thread(render, a)  # drawn off the event loop
    region = a.country or "all"
    return ImageReply(caption=chart.alt, content=chart.png, mime_type="image/png",
                      file_name=f"agora-market-{a.product_type}-{region}.png")


async def _pick(ctx: Ctx) -> list[Outbound]:
    mine = await figures.interests(ctx.uow, ctx.account.id) if ctx.account else []
    codes = mine + [c for c in TYPES if c not in mine]
    buttons = [(f"⭐ {product(c).label}" if c in mine else product(c).label, f"p:{c}")
               for c in codes]
    return [Reply(_("📊 Market analytics — which product? (⭐ what you trade or search)") if mine
                  else _("📊 Market analytics — which product?"),
                  rows(*buttons, per_row=2))]


async def _default_region(ctx: Ctx, code: str) -> str | None:
    country = ctx.account.country if ctx.account else None
    return country if country and country in await figures.regions(ctx.uow, code, 50) else None


async def show(ctx: Ctx, code: str, country: str | None) -> list[Outbound]:
    """The chart and the figures for one product and region, with buttons to change either."""
    currency = ctx.account.currency if ctx.account and ctx.account.currency else None
    a = await figures.market_analytics(ctx.uow, code, country, currency)
    parts = [analytics_text(a)]
    mine = await competition_text(ctx, code)
    if mine:
        parts.append(mine)
    view = await market_view(ctx.uow, code, country)
    if view.top_queries:
        parts.append(_("Top searches, last 30 days:") + "\n" + "\n".join(
            f"  “{q}” × {n}" for q, n in view.top_queries))
    others = [r for r in await figures.regions(ctx.uow, code) if r != country]
    buttons = [(region_name(r), f"r:{code}:{r}") for r in others[:4]]
    if country:
        buttons.append((_("🌍 All regions"), f"r:{code}:{ALL}"))
    buttons.append((_("↔ Another product"), "pick"))
    return [await chart_reply(a), Reply("\n\n".join(parts), rows(*buttons, per_row=2))]


async def _on_pick(ctx: Ctx, msg: Inbound) -> Next:
    """A product (its default region) or a region of a product."""
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "pick":
        return Next.stay()
    kind, __, rest = data.partition(":")
    code, __, region = rest.partition(":")
    if code not in TYPES or kind not in ("p", "r") or (kind == "r" and not (
            region == ALL or (len(region) == 2 and region.isalpha() and region.isupper()))):
        return Next.stay(Reply(_("Choose a product with the buttons."), kind="error"))
    country = await _default_region(ctx, code) if kind == "p" else (
        None if region == ALL else region)
    return Next(state="", replies=await show(ctx, code, country), reprompt=False)


async def _start(ctx: Ctx) -> Next | None:
    """`/market pellets` (or `/market pellets LV`) goes straight to the figures."""
    words = str(ctx.data.get("args") or "").lower().split()
    code = next((c for c in TYPES if words and words[0] in (c, *TYPES[c].keywords.split())),
                None)
    if code is None:
        return None
    country = words[1].upper() if len(words) > 1 and len(words[1]) == 2 else (
        await _default_region(ctx, code))
    return Next(state="pick", replies=await show(ctx, code, country), reprompt=False)


async def market_section(ctx: Ctx) -> list[Outbound]:
    """The market for what a person trades or searches, for a home screen (Slack's App Home):
    the chart and figures, or nothing when there is nothing to show."""
    if ctx.account is None:
        return []
    mine = await figures.interests(ctx.uow, ctx.account.id)
    if not mine:
        return []
    code = mine[0]
    a = await figures.market_analytics(ctx.uow, code, await _default_region(ctx, code),
                                      ctx.account.currency or None)
    if not a.deals and not a.live_listings:
        return []
    return [await chart_reply(a), Reply(analytics_text(a))]


market = Flow(
    name="market", title=N_("market analytics"), first="pick", commands=("market",),
    summary=N_("Prices, volumes, demand and a forecast by product and region"),
    menu=(MenuEntry(N_("📊 Market"), ("seller", "buyer"), 30),),
    help=N_("Price per MWh over 12 months from completed deals and listings, volume traded, "
            "demand, supply and a short forecast, for a product and region, as a chart with the "
            "numbers; sellers also see competing listings near theirs."),
    states={"pick": Ask(prompt=_pick, on=_on_pick)}, on_start=_start,
)
