"""The market view for sellers: demand by region and the price range of comparable listings."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, MenuEntry, Next
from conversations.messages import Choice, Inbound, Outbound, Reply, rows
from core.catalog.market import market_view
from core.catalog.taxonomy import TYPES, product


async def _pick(ctx: Ctx) -> list[Outbound]:
    return [Reply("📊 Market view — which product?",
                  rows(*((t.label, t.code) for t in TYPES.values()), per_row=2))]


async def _on_pick(ctx: Ctx, msg: Inbound) -> Next:
    """Show demand in the seller's country and comparable prices for the chosen type."""
    code = msg.data if isinstance(msg, Choice) else ""
    if code not in TYPES:
        return Next.stay(Reply("Choose a product type.", kind="error"))
    country = ctx.account.country if ctx.account else None
    currency = ctx.account.currency if ctx.account and ctx.account.currency else "EUR"
    view = await market_view(ctx.uow, code, country, currency)
    where = f"in {country}" if country else "everywhere"
    queries = "\n".join(f"  “{q}” × {n}" for q, n in view.top_queries) or "  none yet"
    types = "\n".join(f"  {product(t).label} × {n}" for t, n in view.top_types) or "  none yet"
    prices = "\n".join(
        f"  {p.listings} in {p.low.currency}: {p.low.plain()} – {p.high.plain()} per MWh "
        f"(median {p.median.plain()})" for p in view.prices) or "  no comparable listings yet"
    text = (f"📊 {product(code).label} — last 30 days {where}\nTop searches:\n{queries}\n"
            f"Most searched product types:\n{types}\nPublished prices:\n{prices}")
    return Next.stay(Reply(text))


market = Flow(
    name="market", title="the market view", first="pick", commands=("market",),
    summary="Demand and prices in your region", menu=(MenuEntry("📊 Market view", ("seller",), 30),),
    help="What buyers search for in your region over 30 days, and what comparable listings cost.",
    states={"pick": Ask(prompt=_pick, on=_on_pick)},
)
