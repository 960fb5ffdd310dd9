"""One listing as a buyer sees it (card, photo, watchlist, carbon method) and the watchlist."""

from __future__ import annotations

from sqlalchemy import select

from conversations.flow import Ask, Ctx, Flow, MenuEntry, Next
from conversations.flows.listing_card import card, media_of, summary
from conversations.messages import (
    Button,
    Choice,
    FileReply,
    ImageReply,
    Inbound,
    ListItem,
    ListPage,
    Outbound,
    Reply,
    rows,
)
from core.actions import Intent
from core.catalog.tables import Listing, ListingMedia, Watch
from core.catalog.taxonomy import carbon_method


async def viewable(ctx: Ctx, listing_id: int) -> Listing | None:
    """The listing if this user may see it: published, or their own."""
    listing = await ctx.uow.session.get(Listing, listing_id)
    mine = ctx.account is not None and listing is not None and listing.seller_id == ctx.account.id
    return listing if listing is not None and (listing.status == "published" or mine) else None


async def view_prompt(ctx: Ctx) -> list[Outbound]:
    """The card, the first photo where this channel can show it, and the buyer's options."""
    listing = await viewable(ctx, ctx.data["listing_id"])
    if listing is None:
        return [Reply("That listing is no longer available.", rows(("◀ Back", "done")))]
    mine = ctx.account is not None and listing.seller_id == ctx.account.id
    out: list[Outbound] = []
    photo = next((m for m in await media_of(ctx.uow, listing.id) if m.kind == "photo"), None)
    if photo is not None:
        out.append(_image(ctx, photo, listing.title))
    watched = await _watch(ctx, listing.id) is not None
    options = [("☆ Remove from watchlist" if watched else "⭐ Save to watchlist", "watch"),
               ("🌱 How the carbon estimate works", "carbon")]
    if any(m.kind == "document" for m in await media_of(ctx.uow, listing.id)):
        options.append(("📄 Documents", "docs"))
    out.append(Reply(await card(ctx.uow, listing, show_status=mine),
                     rows(*options, ("◀ Back", "done"), per_row=2)))
    return out


def _image(ctx: Ctx, photo: ListingMedia, caption: str) -> ImageReply:
    """The stored photo; on the channel it came from, also its file id there (sent again by
    reference, as Telegram's file_id)."""
    store = ctx.services.files
    channel, _, ref = (photo.channel_ref or "").partition(":")
    try:
        content = store.read(photo.path)
    except OSError:  # the file store lost it: the caption still shows
        content = b""
    return ImageReply(ref if channel == ctx.env.channel else "", caption=caption,
                      content=content, mime_type=photo.mime_type,
                      file_name=photo.file_name, path=str(store.locate(photo.path)))


async def _documents(ctx: Ctx) -> list[Outbound]:
    """The listing's documents (certificates, lab reports) as files."""
    store = ctx.services.files
    docs = [m for m in await media_of(ctx.uow, ctx.data["listing_id"]) if m.kind == "document"]
    return [FileReply(d.file_name, store.read(d.path), d.mime_type,
                      caption=f"SHA-256 {d.sha256[:16]}…") for d in docs]


async def _watch(ctx: Ctx, listing_id: int) -> Watch | None:
    assert ctx.account is not None
    return await ctx.uow.session.get(Watch, (ctx.account.id, listing_id))


async def view_answer(ctx: Ctx, msg: Inbound) -> Next | None:
    """Watchlist and carbon buttons; None when the user is done with the card."""
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "done":
        return None
    if data == "docs" and await viewable(ctx, ctx.data["listing_id"]):
        return Next(state="", replies=await _documents(ctx), reprompt=False)
    if data == "carbon":
        listing = await ctx.uow.session.get(Listing, ctx.data["listing_id"])
        return Next.stay(Reply(carbon_method(listing.product_type if listing else "other")))
    if data == "watch" and await viewable(ctx, ctx.data["listing_id"]):
        existing = await _watch(ctx, ctx.data["listing_id"])
        if existing:
            await ctx.uow.session.delete(existing)
            return Next.stay(Reply("Removed from your watchlist."))
        ctx.uow.add(Watch(account_id=ctx.account.id, listing_id=ctx.data["listing_id"],
                          created_at=ctx.uow.clock.now()))
        return Next.stay(Reply("⭐ Saved to your watchlist (/watchlist)."))
    return Next.stay(Reply("Choose an option.", kind="error"))


async def _on_view(ctx: Ctx, msg: Inbound) -> Next:
    return await view_answer(ctx, msg) or Next.end(menu=False)


async def _view_start(ctx: Ctx) -> Next | None:
    arg = str(ctx.data.get("args") or "")
    if not arg.isdigit():
        return Next.end(Reply("Which listing? Open one from search results.", kind="error"))
    ctx.data["listing_id"] = int(arg)
    return None


listing_view = Flow(
    name="listing_view", title="a listing", first="view", commands=("view",),
    summary="Open a listing: /view NUMBER", intents={Intent.VIEW_LISTING: "{arg}"},
    help="A listing's details. Save it to your watchlist to find it again later.",
    on_start=_view_start, states={"view": Ask(prompt=view_prompt, on=_on_view)},
)


async def _watchlist(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    stmt = (select(Listing).join(Watch, Watch.listing_id == Listing.id)
            .where(Watch.account_id == ctx.account.id).order_by(Watch.created_at.desc()))
    saved = list((await ctx.uow.session.execute(stmt)).scalars())
    if not saved:
        return [Reply("Your watchlist is empty. Save listings from search results with ⭐.",
                      rows(("Done", "done")))]
    items = tuple(ListItem(f"{w.title}" + ("" if w.status == "published" else f" ({w.status})"),
                           summary(w), Button("View", f"v:{w.id}")) for w in saved[:20])
    return [ListPage("⭐ Your watchlist", items, 1, 1), Reply("Open one, or Done.",
                                                          rows(("Done", "done")))]


async def _on_watchlist(ctx: Ctx, msg: Inbound) -> Next:
    """Open a saved listing."""
    data = msg.data if isinstance(msg, Choice) else ""
    if data.startswith("v:") and data[2:].isdigit():
        ctx.data["listing_id"] = int(data[2:])
        return Next(state="view")
    return Next.end()


async def _on_watch_view(ctx: Ctx, msg: Inbound) -> Next:
    return await view_answer(ctx, msg) or Next(state="list", remember=False)


watchlist = Flow(
    name="watchlist", title="your watchlist", first="list", commands=("watchlist", "saved_listings"),
    summary="Listings you saved with ⭐", menu=(MenuEntry("⭐ Watchlist", ("buyer",), 30),),
    help="Listings you saved with ⭐.",
    states={"list": Ask(prompt=_watchlist, on=_on_watchlist),
            "view": Ask(prompt=view_prompt, on=_on_watch_view)},
)
