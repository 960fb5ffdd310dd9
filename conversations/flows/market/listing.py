"""Listing creation: product type, details form, photos and documents, preview, edit, publish."""

from __future__ import annotations

from typing import Any

from conversations import confirmations
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, MenuEntry, Next
from conversations.flows.market import listing_fields as lf
from conversations.flows.market.listing_card import card_text
from conversations.forms import Form
from conversations.messages import Choice, FileUpload, Inbound, Outbound, Reply, go, rows
from core.catalog import lifecycle, listings, media, views
from core.catalog import rules as listing_rules
from core.catalog.rules import ListingState
from core.certificates import rules as certificate_rules
from core.errors import DomainError
from core.i18n import N_, _, present
from core.ids import parse_id

BACK_TO_REVIEW = N_("📨 Saved. Because the listing was live, your changes go to an admin for review "
                    "first; it is out of search until approved, and you'll be told.")

class Listing(FlowState):
    """What making or editing a listing keeps between questions."""

    type: str = "other"  # the product type: the forms' units and fields depend on it
    start: dict[str, Any] = {}  # what Agora knows already (last listing, profile), offered
    listing_id: int | None = None  # the draft saved from the short form, or the listing opened
    opened: bool = False  # an existing listing opened for editing (Cancel deletes nothing)
    field: str = "title"  # the field being edited (`ALL`: every detail in one form)
    # The valid certificates on the seller's profile, scheme → label, offered as the claims
    held: dict[str, str] = {}

    @property
    def listing(self) -> int:
        """The listing itself, for the steps after the draft is saved (or it was opened)."""
        if self.listing_id is None:
            raise KeyError("listing_id")
        return self.listing_id


TYPE_FORM = Form("listing_type", N_("New listing"), [lf.type_field()], submit_label=N_("Next"))


async def _typed(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Remember the product type; the short form depends on it (its units)."""
    Listing.of(ctx).type = values["product_type"]
    _seed(ctx, "details")
    return Next(state="details")


def _details(ctx: Ctx) -> Form:
    return lf.quick_form(Listing.of(ctx).type, _currency(ctx), _country(ctx))


def _everything(ctx: Ctx) -> Form:
    return lf.quick_form(None, _currency(ctx), _country(ctx))


def _country(ctx: Ctx) -> str:
    """The seller's country, preferred when a typed place is ambiguous."""
    return (ctx.account.country or "") if ctx.account is not None else ""


def _currency(ctx: Ctx) -> str:
    return str(Listing.of(ctx).start.get("currency") or "EUR")


def _seed(ctx: Ctx, key: str) -> None:
    """Offer what Agora already knows (last listing, else profile) as one-tap answers."""
    start = {k: v for k, v in Listing.of(ctx).start.items() if k != "currency" and v}
    forms = ctx.data.setdefault("_forms", {})
    if key not in forms:
        forms[key] = {"i": 0, "values": dict(start), "seeded": sorted(start)}


async def _drafted(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Save the short form as a checked draft (defaults for the rest), then the preview."""
    assert ctx.account is not None
    state = Listing.of(ctx)
    values = {**values, "product_type": values.get("product_type") or state.type}
    state.type = values["product_type"]
    if state.listing_id:
        await listings.edit(ctx.uow, state.listing_id, ctx.account.id, values)
    else:
        full = listing_rules.with_defaults(values, ctx.local_now(), listings.days_listed(ctx.uow))
        draft = await listings.create_draft(ctx.uow, ctx.account.id, full)
        state.listing_id = draft.id
    return Next(state="preview")


async def _media_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Send photos and documents (certificates, lab reports) — one per message, "
                    "JPEG/PNG photos or PDF documents up to 10 MB. Tap Done when finished."),
                  rows((_("Done ✔"), "done")))]


async def _on_media(ctx: Ctx, msg: Inbound) -> Next:
    """Store an uploaded file with its checksum, or move on to the preview."""
    if isinstance(msg, Choice) and msg.data == "done":
        return Next(state="preview", remember=False)
    if not isinstance(msg, FileUpload):
        return Next.stay(Reply(_("Send a photo or a document, or tap Done."), kind="error"))
    kind = "photo" if msg.kind == "photo" else "document"
    media.check_upload(kind, msg.mime_type, msg.size)
    fetcher = ctx.services.fetchers.get(ctx.env.channel)
    if fetcher is None:
        raise DomainError(_("Files can't be received on this channel yet; add them from Telegram "
                            "or the terminal, or tap Done."))
    data = await fetcher.fetch(msg.file_id)
    assert ctx.services.files is not None  # wired wherever a channel can send files
    stored = await media.attach(ctx.uow, ctx.services.files, Listing.of(ctx).listing,
                                kind=kind, name=msg.file_name, mime=msg.mime_type, data=data,
                                channel_ref=f"{ctx.env.channel}:{msg.file_id}")
    added = Reply(_("📎 Added {name} ({size} KB, SHA-256 {checksum}…).", name=stored.name,
                    size=present.number(stored.size // 1024 or 1), checksum=stored.sha256[:12]))
    assert ctx.account is not None  # listings are made only by registered people
    if await listings.file_added(ctx.uow, Listing.of(ctx).listing, ctx.account.id):
        return Next.end(added, Reply(_(BACK_TO_REVIEW)))
    return Next.stay(added)


async def _preview(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    listing = await listings.own_card(ctx.uow, Listing.of(ctx).listing, ctx.account.id, whole=True)
    text = _("Preview — this is how buyers will see it:") + "\n\n" + card_text(
        listing, show_status=True)
    first, last = ((_("🚀 Publish"), "publish"), (_("💾 Keep as draft"), "later"))
    if listing.status != ListingState.DRAFT:  # a live listing's edits are saved as they are made
        first, last = (_("✔ Done"), "close"), (_("📦 My listings"), go("mylistings"))
    edit = _("✏ Edit the details") if ctx.forms_at_once else _("➕ Add details / ✏ Edit a field")
    return [Reply(text, rows(first, (edit, "edit"),
                             (_("📎 Add photos or documents"), "media"), last, per_row=2))]


async def _on_preview(ctx: Ctx, msg: Inbound) -> Next:
    """Publish, edit a field, add files, or keep the draft for later."""
    assert ctx.account is not None
    choice = msg.data if isinstance(msg, Choice) else ""
    if choice == "edit" and ctx.forms_at_once:  # every detail in one form, as they stand
        return await _edit_all(ctx)
    if choice == "edit":
        return Next(state="pick")
    if choice == "media":
        return Next(state="media")
    if choice == "later":
        return Next.end(Reply(_("Saved as a draft. Find it under “My listings”.")))
    if choice == "close":
        return Next.end(Reply(_("✅ Your listing is up to date.")))
    if choice != "publish":
        return Next.stay(Reply(_("Tap Publish, or choose what to change."), kind="error"))
    listing_id = Listing.of(ctx).listing
    status = await lifecycle.submit(ctx.uow, listing_id, ctx.account.id)
    return Next.end(confirmations.published(listing_id, status).reply())


async def _pick_prompt(ctx: Ctx) -> list[Outbound]:
    names = lf.editable_names(Listing.of(ctx).type)
    return [Reply(_("Which field do you want to change?"),
                  rows(*((_(label), f"f:{name}") for name, label in names), per_row=2))]


async def _on_pick(ctx: Ctx, msg: Inbound) -> Next:
    """Open a one-field form with the current value."""
    assert ctx.account is not None
    data, state = msg.data if isinstance(msg, Choice) else "", Listing.of(ctx)
    name = data.removeprefix("f:")
    if not data.startswith("f:") or name not in dict(lf.editable_names(state.type)):
        return Next.stay(Reply(_("Tap the field you want to change."), kind="error"))
    current = await listings.current_values(ctx.uow, state.listing, ctx.account.id)
    state.field = name
    if name == "certifications":
        state.held = await _held(ctx)
    ctx.data.setdefault("_forms", {})["edit"] = {
        "i": 0, "values": {name: current.get(name)}, "seeded": [name], "context": current}
    return Next(state="edit")


ALL = "*"  # the edit form of every detail at once (where a channel shows forms whole)


async def _edit_all(ctx: Ctx) -> Next:
    """Open one form of all the listing's details, each with its current value."""
    assert ctx.account is not None
    state = Listing.of(ctx)
    current = await listings.current_values(ctx.uow, state.listing, ctx.account.id)
    state.field = ALL
    state.held = await _held(ctx)
    ctx.data.setdefault("_forms", {})["edit"] = {
        "i": 0, "values": dict(current), "seeded": list(current), "context": current}
    return Next(state="edit")


async def _held(ctx: Ctx) -> dict[str, str]:
    """The valid certificates on the seller's profile, as the listing's claims offer them."""
    assert ctx.account is not None
    return {one.scheme: _("{scheme} · {number} · valid until {day} (your profile)",
                          scheme=certificate_rules.scheme_name(one.scheme), number=one.number,
                          day=present.day(one.valid_until))
            for one in await views.certified(ctx.uow, ctx.account.id) if one.valid}


def _edit_form(ctx: Ctx) -> Form:
    state, today = Listing.of(ctx), ctx.local_now().date()
    if state.field == ALL:
        return lf.all_details_form(state.type, today, _country(ctx), state.held)
    return lf.field_form(state.type, state.field, today, _country(ctx), state.held)


async def _edited(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Save one changed field (checks run again) and show the preview."""
    assert ctx.account is not None
    state = Listing.of(ctx)
    listing = await listings.edit(ctx.uow, state.listing, ctx.account.id, values)
    if "product_type" in values:
        state.type = values["product_type"]
    ctx.data.get("_forms", {}).pop("edit", None)
    if listing.status == ListingState.PENDING_REVIEW:  # it was live and moderation is on
        return Next.end(Reply(_(BACK_TO_REVIEW)))
    return Next(state="preview", replies=[Reply(_("✅ Saved."))], remember=False)


async def _open_existing(ctx: Ctx) -> Next | None:
    """`@go:listing:<id>` opens one's own listing at the preview (from My listings); a new
    listing starts from what Agora knows, in one form where the channel shows forms."""
    state = Listing.of(ctx)
    listing_id = parse_id(state.args)
    if listing_id is None or ctx.account is None:
        assert ctx.account is not None
        state.start = await listings.starting_values(ctx.uow, ctx.account)
        if ctx.forms_at_once:
            _seed(ctx, "all")
            return Next(state="all", remember=False)
        return None
    try:
        listing = await listings.own_card(ctx.uow, listing_id, ctx.account.id)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"))
    state.listing_id, state.type, state.opened = listing.id, listing.product, True
    return Next(state="preview", remember=False)


async def _discard(ctx: Ctx) -> str:
    """A draft made in this flow is deleted; an existing listing keeps the edits already saved."""
    state = Listing.of(ctx)
    if not state.listing_id:
        return _("Nothing from it was saved.")
    if state.opened:
        return _("Edits you already saved (✅) stay; nothing else changed.")
    assert ctx.account is not None
    await lifecycle.act(ctx.uow, state.listing_id, ctx.account.id, "close")
    return _("The draft was deleted.")


listing_flow = Flow(
    name="listing",
    title=N_("a new listing"),
    first="type",
    commands=("sell", "newlisting"),
    summary=N_("List a bioenergy product"), menu=(MenuEntry(N_("➕ New listing"), ("seller",), 10),),
    help=N_("Create a listing: product type, details, photos and documents, then a preview where "
            "you can change any field before publishing."),
    on_start=_open_existing,
    on_discard=_discard,
    state_model=Listing,
    states={
        "type": FormState(form=TYPE_FORM, done=_typed,
                          intro=N_("Let's list your product: a few quick questions, then a preview "
                                   "where you can add details.")),
        "details": FormState(form=_details, done=_drafted),
        "all": FormState(form=_everything, done=_drafted),
        "media": Ask(prompt=_media_prompt, on=_on_media),
        "preview": Ask(prompt=_preview, on=_on_preview),
        "pick": Ask(prompt=_pick_prompt, on=_on_pick, cancel_to="preview"),
        "edit": FormState(form=_edit_form, done=_edited, cancel_to="preview"),
    },
)
