"""One listing as a buyer sees it (card, photo, watchlist, carbon method) and the watchlist."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next
from conversations.flows.market.listing_card import card_text, summary
from conversations.flows.opening import on_id
from conversations.flows.share import share_button
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
    go,
    rows,
)
from core.catalog import views
from core.catalog import watchlist as watching
from core.catalog.intents import ListingIntent
from core.catalog.lifecycle import STATUS_LABELS
from core.catalog.listing_card import ListingCard, viewable_card
from core.catalog.rules import ListingState
from core.catalog.taxonomy import carbon_method
from core.certificates import rules as certificate_rules
from core.certificates import service as certificates
from core.errors import NotFound
from core.i18n import N_, _
from core.ids import parse_id

GONE = N_("That listing is no longer available.")


class Viewing(FlowState):
    """What a flow showing one listing keeps (a search's and the watchlist's too)."""

    listing_id: int
    from_list: bool = False  # opened from a list: the engine's ◀ Back returns there


async def view_prompt(ctx: Ctx) -> list[Outbound]:
    """The card, the first photo where this channel can show it, and the buyer's options."""
    try:
        listing = await viewable_card(ctx.uow, Viewing.of(ctx).listing_id, ctx.account_id,
                                     whole=True)
    except NotFound:
        return [Reply(_(GONE), rows(*_done(ctx)))]
    photo = next((f for f in await views.files_of(ctx.uow, listing.id) if f.kind == "photo"), None)
    out: list[Outbound] = [_image(ctx, photo, listing.title)] if photo is not None else []
    return [*out, await _card(ctx, listing)]


async def _card(ctx: Ctx, listing: ListingCard) -> Reply:
    """The card's text with its buttons (sent again in place when the watchlist changes)."""
    mine = listing.seller_id == ctx.account_id
    watched = ctx.account is not None and await watching.is_watching(
        ctx.uow, ctx.account.id, listing.id)
    options = _trade_buttons(listing) if not mine and listing.status == ListingState.PUBLISHED else []
    options += [(_("☆ Remove from watchlist") if watched else _("⭐ Save to watchlist"), "watch"),
                (_("🌱 How the carbon estimate works"), "carbon")]
    if listing.status == ListingState.PUBLISHED:
        options.append(share_button(f"listing:{listing.id}"))
    if listing.documents or any(one.valid for one in listing.certified):
        options.append((_("📄 Documents"), "docs"))
    return Reply(card_text(listing, show_status=mine),
                 rows(*options, *_done(ctx), per_row=2))


def _trade_buttons(listing: ListingCard) -> list[tuple[str, str]]:
    """Ask the seller; Buy now at a fixed price, or an offer and a request for a quote."""
    ask = (_("💬 Ask the seller"), go("thread", f"l{listing.id}"))
    if not listing.negotiable:
        return [(_("🛒 Buy now"), go("offer", f"b{listing.id}")), ask]
    return [(_("💶 Make an offer"), go("offer", f"l{listing.id}")), ask,
            (_("📝 Request a quote"), go("thread", f"r{listing.id}"))]


def _done(ctx: Ctx) -> tuple[tuple[str, str], ...]:
    """A card opened from a list gets the engine's ◀ Back; one opened alone gets Done."""
    return () if Viewing.of(ctx).from_list else ((_("✔ Done"), "done"),)


def _image(ctx: Ctx, photo: views.ListingFile, caption: str) -> ImageReply:
    """The stored photo; on the channel it came from, also its file id there (sent again by
    reference, as Telegram's file_id)."""
    store = ctx.services.files
    assert store is not None
    channel, __, ref = (photo.channel_ref or "").partition(":")
    try:
        content = store.read(photo.path)
    except OSError:  # the file store lost it: the caption still shows
        content = b""
    return ImageReply(ref if channel == ctx.env.channel else "", caption=caption,
                      content=content, mime_type=photo.mime_type,
                      file_name=photo.file_name, path=str(store.locate(photo.path)))


async def _documents(ctx: Ctx, listing: ListingCard) -> list[Outbound]:
    """The listing's documents (certificates, lab reports) as files, and the documents of the
    valid certificates on the seller's profile that back its claims."""
    store = ctx.services.files
    assert store is not None
    docs = [f for f in await views.files_of(ctx.uow, listing.id) if f.kind == "document"]
    files: list[Outbound] = [FileReply(d.file_name, store.read(d.path), d.mime_type,
                                       caption=f"SHA-256 {d.sha256[:16]}…") for d in docs]
    backed = [one.scheme for one in listing.certified if one.valid]
    if backed:  # the profile's certificates, kept in the same file store
        files += [FileReply(one.file_name, store.read(one.file_path), one.mime_type,
                            caption=f"{certificate_rules.scheme_name(one.scheme)} {one.number}")
                  for one in await certificates.proving(ctx.uow, listing.seller_id, backed)]
    return files


async def view_answer(ctx: Ctx, msg: Inbound) -> Next | None:
    """Watchlist, carbon and document buttons; None when the user is done with the card."""
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "done":
        return None
    listing_id = Viewing.of(ctx).listing_id
    listing = await viewable_card(ctx.uow, listing_id, ctx.account.id, whole=True)
    # The answer carries the card's buttons, so the next step is one tap away (no card again).
    buttons = (await _card(ctx, listing)).buttons
    if data == "docs":
        files = await _documents(ctx, listing)
        return Next(state="", reprompt=False, replies=[
            *files, Reply(_("📄 {count} document(s) above.", count=len(files)), buttons)])
    if data == "carbon":
        return Next(state="", reprompt=False,
                    replies=[Reply(carbon_method(listing.product), buttons)])
    if data == "watch":
        saved = await watching.toggle(ctx.uow, ctx.account.id, listing_id)
        note = _("⭐ Saved to your watchlist (/watchlist).") if saved else _("Removed from your watchlist.")
        updated = await _card(ctx, listing)
        return Next(state="", reprompt=False, replies=[Reply(f"{updated.text}\n\n{note}",
                                                             updated.buttons)])
    return Next.stay(Reply(_("Choose an option."), kind="error"))


async def _on_view(ctx: Ctx, msg: Inbound) -> Next:
    return await view_answer(ctx, msg) or Next.end()


listing_view = Flow(
    name="listing_view", title=N_("a listing"), first="view", commands=("view",),
    summary=N_("Open a listing: /view NUMBER"), intents={ListingIntent.VIEW_LISTING: "{arg}"},
    help=N_("A listing's details. Save it to your watchlist to find it again later."),
    on_start=on_id("listing_id", N_("Which listing? Open one from search results.")),
    state_model=Viewing,
    states={"view": Ask(prompt=view_prompt, on=_on_view)},
)


async def _watchlist(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    saved = await watching.watched(ctx.uow, ctx.account.id)
    if not saved:
        return [Reply(_("Your watchlist is empty. Save listings from search results with ⭐."),
                      rows((_("Done"), "done")))]
    items = tuple(ListItem(f"{w.title}" + ("" if w.status == ListingState.PUBLISHED
                                           else f" ({_(STATUS_LABELS[w.status]).lower()})"),
                           summary(w), Button(_("View"), f"v:{w.id}")) for w in saved[:20])
    return [ListPage(_("⭐ Your watchlist"), items, 1, 1), Reply(_("Open one, or Done."),
                                                             rows((_("Done"), "done")))]


async def _on_watchlist(ctx: Ctx, msg: Inbound) -> Next:
    """Open a saved listing."""
    data = msg.data if isinstance(msg, Choice) else ""
    if data.startswith("v:") and (listing_id := parse_id(data[2:])):
        state = Viewing.of(ctx)
        state.listing_id, state.from_list = listing_id, True
        return Next(state="view")
    return Next.end()


async def _on_watch_view(ctx: Ctx, msg: Inbound) -> Next:
    return await view_answer(ctx, msg) or Next(state="list", remember=False)


watchlist = Flow(
    name="watchlist", title=N_("your watchlist"), first="list", commands=("watchlist", "saved_listings"),
    summary=N_("Listings you saved with ⭐"), menu=(MenuEntry(N_("⭐ Watchlist"), ("buyer",), 30),),
    help=N_("Listings you saved with ⭐."), state_model=Viewing,
    states={"list": Ask(prompt=_watchlist, on=_on_watchlist),
            "view": Ask(prompt=view_prompt, on=_on_watch_view)},
)
