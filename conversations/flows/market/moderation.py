"""The admins' moderation queue: approve, or reject with a reason the seller sees."""

from __future__ import annotations

from typing import Any

from conversations.fields import TextField
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, MenuEntry, Next
from conversations.flows.market.listing_card import card_text
from conversations.forms import Form
from conversations.messages import Button, Choice, Inbound, ListItem, ListPage, Outbound, Reply, rows
from core.catalog import lifecycle
from core.catalog.intents import ListingIntent
from core.errors import NotFound
from core.i18n import N_, _, present
from core.ids import parse_id

REASON_FORM = Form("reject_reason", N_("Reject listing"), [TextField(
    "reason", N_("Reason for the seller"), min_length=5, max_length=500, multiline=True,
    hint=N_("Say what to fix, e.g. “The certificate has expired”."))], submit_label=N_("Reject"))



class Moderating(FlowState):
    """What the moderation queue keeps: the listing under review."""

    listing_id: int


async def _admin_only(ctx: Ctx) -> Next | None:
    """Open the queue (core refuses non-admins), or one listing from a notification."""
    await lifecycle.pending(ctx.uow, ctx.account_id)
    if listing_id := parse_id(Moderating.of(ctx).args):
        Moderating.of(ctx).listing_id = listing_id
        return Next(state="review", remember=False)
    return None


async def _queue(ctx: Ctx) -> list[Outbound]:
    waiting = await lifecycle.pending(ctx.uow, ctx.account_id)
    if not waiting:
        return [Reply(_("🛡 The moderation queue is empty."), rows((_("Done"), "done")))]
    items = tuple(ListItem(w.title, _("{city} · since {time}", city=w.city,
                                      time=present.local(w.updated_at)),
                           Button(_("Review"), f"r:{w.id}")) for w in waiting[:20])
    return [ListPage(_("🛡 {count} listing(s) waiting for review", count=len(waiting)), items, 1, 1),
            Reply(_("Pick one to review."), rows((_("Done"), "done")))]


async def _on_queue(ctx: Ctx, msg: Inbound) -> Next:
    """Open a listing from the queue."""
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "done":
        return Next.end()
    if data.startswith("r:") and (listing_id := parse_id(data[2:])):
        Moderating.of(ctx).listing_id = listing_id
        return Next(state="review")
    return Next.stay(Reply(_("Tap Review on a listing, or Done."), kind="error"))


async def _review(ctx: Ctx) -> list[Outbound]:
    try:
        listing = await lifecycle.review_card(ctx.uow, Moderating.of(ctx).listing_id, ctx.account_id)
    except NotFound as exc:
        return [Reply(str(exc), rows((_("Back to the queue"), "queue")))]
    text = card_text(listing, show_status=True)
    return [Reply(text, rows((_("✅ Approve"), "approve"), (_("✋ Reject"), "reject"),
                             (_("Back to the queue"), "queue"), per_row=2))]


async def _on_review(ctx: Ctx, msg: Inbound) -> Next:
    """Approve now, or ask for the reason to reject."""
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "approve":
        listing = await lifecycle.approve(ctx.uow, Moderating.of(ctx).listing_id, ctx.account_id)
        return Next(state="queue", replies=[Reply(_("✅ Approved “{title}”.", title=listing.title))],
                    remember=False)
    if data == "reject":
        return Next(state="reason")
    if data == "queue":
        return Next(state="queue", remember=False)
    return Next.stay(Reply(_("Tap Approve or Reject."), kind="error"))


async def _rejected(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Send the listing back to the seller with the reason."""
    listing = await lifecycle.reject(ctx.uow, Moderating.of(ctx).listing_id, values["reason"], ctx.account_id)
    ctx.data.pop("_forms", None)
    return Next(state="queue", replies=[Reply(_("✋ Rejected “{title}”; the seller is told why.",
                                                title=listing.title))], remember=False)


moderation = Flow(
    name="moderation", state_model=Moderating,
    title=N_("the moderation queue"),
    first="queue",
    commands=("moderation", "review"),
    summary=N_("Listings waiting for approval (admins)"), intents={ListingIntent.REVIEW_LISTING: "{arg}"},
    menu=(MenuEntry(N_("🛡 Moderation queue"), ("admin",), 10),),
    help=N_("Listings waiting for approval. Approve publishes at once; reject needs a reason."),
    on_start=_admin_only,
    states={
        "queue": Ask(prompt=_queue, on=_on_queue),
        "review": Ask(prompt=_review, on=_on_review),
        "reason": FormState(form=REASON_FORM, done=_rejected),
    },
)
