"""A seller's listings: edit, pause, resume, mark sold, renew, delete; and one listing's view."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next, OneStepCommand
from conversations.flows.market.listing_card import card_text, summary
from conversations.messages import (
    Button,
    Choice,
    Inbound,
    ListItem,
    ListPage,
    Outbound,
    Reply,
    go,
    rows,
)
from core.catalog import lifecycle, listings
from core.catalog.intents import ListingIntent
from core.catalog.lifecycle import STATUS_LABELS, TRANSITIONS
from core.catalog.listing_card import own_cards
from core.catalog.rules import ListingState
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id

ACTION_LABELS = {"pause": N_("⏸ Pause"), "resume": N_("▶ Resume"), "sold": N_("✔ Mark sold"),
                 "renew": N_("🔁 Renew"), "close": N_("🗑 Delete")}
PER_PAGE = 8


class Mine(FlowState):
    """What My listings keeps: the page, and the listing being managed."""

    page: int = 0
    listing_id: int


async def _list(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    mine = await own_cards(ctx.uow, ctx.account.id)
    if not mine:
        return [Reply(_("You have no listings yet."), rows((_("➕ New listing"), go("listing")),
                                                           (_("Done"), "done")))]
    page = min(Mine.of(ctx).page, (len(mine) - 1) // PER_PAGE)
    chunk = mine[page * PER_PAGE:(page + 1) * PER_PAGE]
    items = tuple(ListItem(f"{m.title} — {_(STATUS_LABELS[m.status])}", summary(m),
                           Button(_("Open"), f"o:{m.id}")) for m in chunk)
    pages = (len(mine) - 1) // PER_PAGE + 1
    nav = [(label, data) for label, data, ok in ((_("◀ Previous"), "prev", page > 0),
                                                 (_("Next ▶"), "next", page + 1 < pages)) if ok]
    return [ListPage(_("📦 My listings"), items, page + 1, pages, rows(*nav, per_row=2)),
            Reply(_("Open one to manage it."), rows((_("Done"), "done")))]


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    """Open a listing, or page through them."""
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "done":
        return Next.end()
    if data in ("prev", "next"):
        state = Mine.of(ctx)
        state.page = max(0, state.page + (1 if data == "next" else -1))
        return Next.stay()
    if data.startswith("o:") and (listing_id := parse_id(data[2:])):
        Mine.of(ctx).listing_id = listing_id
        return Next(state="manage")
    return Next.stay(Reply(_("Tap Open on a listing, or Done."), kind="error"))


async def _manage(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    listing = await listings.own_card(ctx.uow, Mine.of(ctx).listing_id, ctx.account.id, whole=True)
    actions = [(_(ACTION_LABELS[a]), a) for a, (sources, __) in TRANSITIONS.items()
               if listing.status in sources]
    if listing.status in listings.EDITABLE_STATUSES:
        actions.insert(0, (_("✏ Edit"), go("listing", listing.id)))
    if listing.status == ListingState.PUBLISHED:
        actions.append((_("🔨 Auction a lot"), go("lot", listing.id)))
    return [Reply(card_text(listing, show_status=True),
                  rows(*actions, (_("◀ My listings"), "list"), per_row=2))]


async def _on_manage(ctx: Ctx, msg: Inbound) -> Next:
    """Apply pause / resume / sold / renew / delete (guarded by status in the database)."""
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "list":
        return Next(state="list", remember=False)
    if data not in TRANSITIONS:
        return Next.stay(Reply(_("Choose an action."), kind="error"))
    status = await lifecycle.act(ctx.uow, Mine.of(ctx).listing_id, ctx.account.id, data)
    done = Reply(_("Done — the listing is now {status}.", status=_(STATUS_LABELS[status]).lower()))
    if status == ListingState.CLOSED:
        return Next(state="list", replies=[done], remember=False)
    return Next.stay(done)


mylistings = Flow(
    name="mylistings", title=N_("your listings"), first="list", commands=("mylistings",),
    state_model=Mine,
    summary=N_("Your listings"), intents={ListingIntent.MY_LISTINGS: ""},
    menu=(MenuEntry(N_("📦 My listings"), ("seller",), 20),),
    help=N_("Your listings by status. Open one to edit, pause, resume, mark sold, renew or delete it."),
    states={"list": Ask(prompt=_list, on=_on_list), "manage": Ask(prompt=_manage, on=_on_manage)},
)


async def _renew_now(ctx: Ctx) -> Next:
    """The “Renew” button of an expiry reminder."""
    assert ctx.account is not None
    listing_id = parse_id(FlowState.of(ctx).args)
    if listing_id is None:
        return Next.end()
    try:
        status = await lifecycle.act(ctx.uow, listing_id, ctx.account.id, "renew")
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"))
    return Next.end(Reply(_("🔁 Renewed — the listing is {status} for another {days} days.",
                            status=_(STATUS_LABELS[status]).lower(), days=listings.days_listed(ctx.uow))))


listing_renew = OneStepCommand(name="listing_renew", title=N_("renewing a listing"), run=_renew_now,
                               intents={ListingIntent.RENEW_LISTING: "{arg}"})
