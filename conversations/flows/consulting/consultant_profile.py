"""A consultant's own profile: the essentials asked once (one Slack modal), a preview that says
plainly what still keeps it out of the directory, then details, a photo, going live and the
“online now” switch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conversations import form_runner
from conversations.flow import Ask, Ctx, Flow, FormState, MenuEntry, Next
from conversations.flows import deal_billing
from conversations.flows.consulting import consultant_fields as cf
from conversations.messages import Choice, FileUpload, Inbound, Outbound, Reply, go, rows
from core.consulting.intents import ConsultingIntent
from core.consulting.profiles import promotions
from core.consulting.profiles import service as profiles
from core.consulting.profiles.taxonomy import CATEGORIES, label, language_name
from core.consulting.profiles.view import ProfileView
from core.errors import DomainError, NotFound
from core.i18n import N_, _, n_, present


async def _start(ctx: Ctx) -> Next | None:
    """An existing profile opens at its preview; a new one asks the essentials."""
    try:
        await profiles.own_profile(ctx.uow, ctx.account_id or 0)
    except NotFound:
        return Next(state="essentials", remember=False)
    wanted = "promote" if ctx.data.get("args") == "promote" else "preview"
    return Next(state=wanted, remember=False)


async def _saved(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Keep the answers (every rule is checked again in core) and show the preview."""
    assert ctx.account is not None
    changes = {k: v for k, v in values.items() if v is not None}
    if "session_minutes" in changes:
        changes["session_minutes"] = int(changes["session_minutes"])
    for name in ("notice_minutes", "buffer_minutes", "daily_max", "horizon_days", "slot_minutes"):
        if name in changes:
            changes[name] = int(Decimal(str(changes[name])))
    await profiles.save(ctx.uow, ctx.account.id, **changes)
    ctx.data.get("_forms", {}).clear()
    return Next(state="preview", remember=False, replies=[Reply(_("✅ Saved."))])


def profile_text(profile: ProfileView) -> str:
    """The profile as seekers read it."""
    rate = str(profile.rate)
    if profile.rate is None:
        rate_line = _("Rate: —")
    elif profile.rate_kind == "session":
        rate_line = _("Rate: {rate} per {minutes}-minute session", rate=rate,
                      minutes=profile.session_minutes)
    else:
        rate_line = _("Rate: {rate} per minute", rate=rate)
    return "\n".join([
        f"🎓 {profile.headline or _('(no headline yet)')}",
        profile.bio or _("(no bio yet)"),
        _("Expertise: {expertise}",
          expertise=", ".join(CATEGORIES.get(c, c) for c in profile.categories) or "—"),
        _("Languages: {languages}",
          languages=", ".join(language_name(c) for c in profile.languages) or "—"),
        rate_line,
        *filter(None, [cf.served_line(profile.countries_served)]),
        _("Hours ({zone}): {hours}", zone=profile.timezone,
          hours=cf.week_text(profile.weekly_hours) or "—")])


async def _preview(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None and ctx.services.payments is not None
    profile = await profiles.own_profile(ctx.uow, ctx.account.id)
    wallet = await ctx.services.payments.wallet(ctx.account.id, ctx.uow)
    missing = profiles.what_is_missing(profile, wallet.payouts_ready)
    state = (_("🟢 Live in the directory") + (" · " + _("online now") if profiles.is_online(
        profile, ctx.uow.clock.now()) else "")) if profile.live else \
        (_("Not live yet. Still needed: {missing}", missing="; ".join(missing)) if missing
         else _("Complete: tap Go live to appear in the directory."))
    options = [(_("✏ Change essentials"), "essentials"), (_("➕ Details"), "details"),
               (_("📷 Photo"), "photo")]
    if profile.live:
        online = profiles.is_online(profile, ctx.uow.clock.now())
        options += [(_("⚪ Go offline") if online else _("🟢 Online now"), "online"),
                    (_("⭐ Be featured"), "promote"), (_("⏸ Leave the directory"), "leave")]
        state += await _promotions_text(ctx)
    elif not missing:
        options.append((_("🚀 Go live"), "live"))
    if any("payouts" in m for m in missing):
        options.append((_("💶 Set up payouts"), go("payouts")))
    return [Reply(profile_text(profile) + "\n\n" + state, rows(*options, (_("✔ Done"), "done"),
                                                               per_row=2))]


async def _on_preview(ctx: Ctx, msg: Inbound) -> Next:
    """Change, add a photo, go live or online, or leave."""
    assert ctx.account is not None and ctx.services.payments is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data in ("essentials", "details"):
        _seed(ctx, data, await profiles.own_profile(ctx.uow, ctx.account.id))
        return Next(state=data)
    if data == "photo":
        return Next(state="photo")
    if data == "promote":
        return Next(state="promote")
    if data == "live":
        if await deal_billing.needed(ctx):  # asked here, where they are needed: once
            deal_billing.seed(ctx, "billing")  # seeded, so the form says no intro itself
            return Next(state="billing", replies=[Reply(_(BILLING_INTRO))])
        return await _go_live(ctx)
    if data == "online":
        now = ctx.uow.clock.now()
        online = profiles.is_online(await profiles.own_profile(ctx.uow, ctx.account.id), now)
        await profiles.set_online(ctx.uow, ctx.account.id, not online)
        return Next(state="preview", remember=False, replies=[Reply(
            _("⚪ Offline.") if online else _("🟢 Online: seekers can ask to talk now. It switches "
                                            "itself off after a while without activity."))])
    if data == "leave":
        await profiles.leave_directory(ctx.uow, ctx.account.id)
        return Next(state="preview", remember=False, replies=[Reply(_("⏸ Out of the directory."))])
    return Next.end()


async def _go_live(ctx: Ctx) -> Next:
    assert ctx.account is not None and ctx.services.payments is not None
    missing = await profiles.go_live(ctx.uow, ctx.account.id, ctx.services.payments)
    note = _("🚀 Live: seekers can find and book you.") if not missing else \
        _("Not yet: {missing}", missing="; ".join(missing))
    return Next(state="preview", remember=False, replies=[Reply(note)])


async def _billed(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Billing details kept; on to going live."""
    await deal_billing.save(ctx, values)
    return await _go_live(ctx)


def _seed(ctx: Ctx, key: str, profile: ProfileView) -> None:
    # A form's values are what a conversation keeps (JSON): lists and a plain dict.
    known = {"headline": profile.headline, "bio": profile.bio,
             "categories": list(profile.categories), "languages": list(profile.languages),
             "rate_kind": profile.rate_kind,
             "session_minutes": str(profile.session_minutes) if profile.session_minutes else None,
             "price": str(profile.rate.decimal) if profile.rate else None,
             "inspection_fee": str(profile.inspection_fee.decimal)
             if profile.inspection_fee else None,
             "countries_served": list(profile.countries_served),
             "weekly_hours": dict(profile.weekly_hours) or None,
             "keywords": list(profile.keywords), "notice_minutes": str(profile.notice_minutes),
             "buffer_minutes": str(profile.buffer_minutes), "daily_max": str(profile.daily_max),
             "meeting_url": profile.meeting_url, "days_off": list(profile.days_off),
             "horizon_days": str(profile.horizon_days), "slot_minutes": str(profile.slot_minutes)}
    values = {k: v for k, v in known.items() if v not in (None, "", [], {})}
    form_runner.seed(ctx, key, values)


async def _promotions_text(ctx: Ctx) -> str:
    """Running and past promotions with what they brought."""
    found = await promotions.report(ctx.uow, ctx.account_id or 0)
    now = ctx.uow.clock.now()
    lines: list[str] = []
    for p in found[:3]:
        facts = {"category": label(p.category), "date": present.day(p.ends_at),
                 "impressions": present.count(p.impressions), "views": present.count(p.profile_views)}
        lines.append("\n" + (
            _("⭐ {category}: until {date} · {impressions} impressions · {views} profile views", **facts)
            if p.ends_at > now else
            _("⭐ {category}: ended {date} · {impressions} impressions · {views} profile views", **facts)))
    return "".join(lines)


async def _promote_prompt(ctx: Ctx) -> list[Outbound]:
    profile = await profiles.own_profile(ctx.uow, ctx.account_id or 0)
    options = [(n_("{category} · {n} days · {price}", "{category} · {n} days · {price}", days,
                   category=label(c), price=promotions.price(days)), f"p:{c}:{days}")
               for c in profile.categories for days in promotions.PACKAGES]
    return [Reply(_("⭐ Be featured at the top of a category's results (at most two a page), with "
                    "impressions and profile views reported. Choose:"),
                  rows(*options, (_("Cancel"), "no")))]


async def _on_promote(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    __, __, rest = data.partition(":")
    category, __, days = rest.partition(":")
    if not data.startswith("p:") or not days.isdigit():
        return Next(state="preview", remember=False)
    cost = await promotions.buy(ctx.uow, ctx.account.id, category, int(days))
    return Next(state="preview", remember=False, replies=[Reply(
        _("⭐ {cost}: pay when the payment notice comes, and the promotion starts at once.", cost=cost))])


async def _photo_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Send a photo of yourself (JPEG or PNG, up to 10 MB)."), rows((_("Cancel"), "back")))]


async def _on_photo(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if not isinstance(msg, FileUpload):
        return Next(state="preview", remember=False)
    fetcher = ctx.services.fetchers.get(ctx.env.channel)
    if fetcher is None or ctx.services.files is None:
        raise DomainError(_("Photos can't be received on this channel yet."))
    data = await fetcher.fetch(msg.file_id)
    await profiles.set_photo(ctx.uow, ctx.account.id, ctx.services.files, msg.file_name,
                             msg.mime_type, data)
    return Next(state="preview", remember=False, replies=[Reply(_("📷 Photo saved."))])


BILLING_INTRO = N_("🧾 Once per account: your billing details, for the receipts of your "
                   "sessions (shown only on documents for your clients).")

consultant_profile = Flow(
    name="consultant_profile", title=N_("your consultant profile"), first="essentials",
    on_start=_start, commands=("consultant",), intents={ConsultingIntent.PROMOTE: "promote"},
    summary=N_("Your consultant profile, rates and hours"),
    menu=(MenuEntry(N_("🎓 My consultant profile"), ("consultant",), 60),),
    help=N_("Your profile as seekers see it: bio, expertise, languages, rate and weekly hours; it "
            "goes live once complete and payouts are set up."),
    states={"essentials": FormState(form=cf.short_form(), done=_saved,
                                    intro=N_("Your consultant profile: a few questions, then a "
                                             "preview.")),
            "details": FormState(form=cf.details_form(), done=_saved, cancel_to="preview"),
            "preview": Ask(prompt=_preview, on=_on_preview),
            "billing": FormState(form=deal_billing.billing_form(), done=_billed,
                                 cancel_to="preview"),
            "photo": Ask(prompt=_photo_prompt, on=_on_photo, cancel_to="preview"),
            "promote": Ask(prompt=_promote_prompt, on=_on_promote, cancel_to="preview")},
)


async def still_active(ctx: Ctx) -> None:
    """After every turn of a consultant in any chat: the activity keeps them “online now” a
    while longer (one guarded UPDATE, nothing when they are not online), so it lapses only
    after they have been inactive for the policy's while."""
    if ctx.account is not None and "consultant" in ctx.roles:
        await profiles.touch_online(ctx.uow, ctx.account.id)
