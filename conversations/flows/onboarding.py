"""The onboarding tour by role, then notification preferences (also reachable from the menu)."""

from __future__ import annotations

from typing import Any

from conversations import profile_fields as fields
from conversations.fields import ChoiceField
from conversations.flow import Ask, Ctx, Flow, FormState, MenuEntry, Next
from conversations.forms import Form
from conversations.messages import Button, Choice, Inbound, Outbound, Reply
from core.accounts import service as accounts

TOUR_PAGES = {
    # Only what is built today: offers, deals and the consultant market are still coming.
    "seller": "📦 As a seller you list pellets, chips, biogas or biofuels in a few taps, see "
    "what buyers search for in your region, and renew or edit listings from My listings.",
    "buyer": "🔎 As a buyer you search in one line with typos forgiven, filter by price per MWh, "
    "distance and certification, keep a watchlist, and save searches to get alerts.",
    "consultant": "🎓 The consultant marketplace is being built: your profile, rates and "
    "bookings arrive in a coming release.",
    "seeker": "🧑‍💼 Finding and booking consultants is being built and arrives in a coming "
    "release.",
    "admin": "🛡 As an admin you review listings waiting for moderation.",
}
NEXT, SKIP_TOUR = "next", "skip_tour"


def _pages(ctx: Ctx) -> list[str]:
    return [TOUR_PAGES[r] for r in TOUR_PAGES if r in ctx.roles] or [TOUR_PAGES["buyer"]]


async def _tour_prompt(ctx: Ctx) -> list[Outbound]:
    pages = _pages(ctx)
    index = min(ctx.data.get("page", 0), len(pages) - 1)
    return [Reply(f"Quick tour {index + 1}/{len(pages)}\n{pages[index]}",
                  ((Button("Next ▶", NEXT), Button("Skip the tour", SKIP_TOUR)),))]


async def _tour_answer(ctx: Ctx, msg: Inbound) -> Next:
    if not isinstance(msg, Choice):
        return Next.stay(Reply("Tap “Next ▶” to continue the tour or “Skip the tour”."))
    if msg.data == NEXT and ctx.data.get("page", 0) + 1 < len(_pages(ctx)):
        ctx.data["page"] = ctx.data.get("page", 0) + 1
        return Next.stay()
    return await _all_set(ctx)


async def _all_set(ctx: Ctx) -> Next:
    """Onboarding ends with the defaults Agora already knows; the settings are offered, not
    asked (notifications here, time zone and currency from the country)."""
    assert ctx.account is not None
    await accounts.mark_onboarded(ctx.uow, ctx.account.id)
    account = ctx.account
    done = Next.end(Reply(
        f"✅ You're all set! Notifications come here on {ctx.env.channel}; times are shown in "
        f"{account.timezone or 'UTC'} and prices default to {account.currency}.",
        ((Button("🔔 Change notification settings", "@go:notifications"),),)))
    done.follow = str(ctx.data.get("ref") or "")  # the deep link that brought a newcomer here
    return done


def _preferences_form(ctx: Ctx) -> Form:
    channels = [(c, c.capitalize()) for c in ("telegram", "slack", "terminal")]
    if ctx.account and ctx.account.email_verified_at:
        channels.append(("email", "Email"))
    return Form(
        id="preferences",
        title="Notifications",
        submit_label="Save",
        fields=[
            ChoiceField("notify_channel", "Where should we notify you", choices=channels,
                        hint=f"You are on {ctx.env.channel} now."),
            fields.quiet_hours_field(),
            fields.timezone_field(),
            fields.currency_field(),
            fields.language_field(),
        ],
    )


async def _save_preferences(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    quiet = values.get("quiet_hours")
    start, end = quiet.split("-") if quiet else (None, None)
    await accounts.update_profile(
        ctx.uow, ctx.account.id, notify_channel=values["notify_channel"], quiet_start=start,
        quiet_end=end, timezone=values["timezone"], currency=values["currency"],
        language=values["language"],
    )
    await accounts.mark_onboarded(ctx.uow, ctx.account.id)
    done = Next.end(Reply("✅ Preferences saved. You're all set!"))
    done.follow = str(ctx.data.get("ref") or "")  # the deep link that brought a newcomer here
    return done


def _preferences_state() -> FormState:
    return FormState(form=_preferences_form, done=_save_preferences,
                     help="Choose where notifications go and when to keep quiet.")


async def _prefill(ctx: Ctx) -> Next | None:
    account = ctx.account
    if account is not None:
        quiet = f"{account.quiet_start}-{account.quiet_end}" if account.quiet_start else None
        ctx.data["_forms"] = {"preferences": {"i": 0, "values": {
            "notify_channel": account.notify_channel or ctx.env.channel, "quiet_hours": quiet,
            "timezone": account.timezone, "currency": account.currency,
            "language": account.language}}}
    return None


onboarding = Flow(
    name="onboarding",
    title="the welcome tour",
    first="tour",
    help="A short tour of what you can do here.",
    states={"tour": Ask(prompt=_tour_prompt, on=_tour_answer)},
    on_start=_prefill,
)

notifications = Flow(
    name="notifications",
    title="notification settings",
    first="preferences",
    commands=("notifications", "settings"), summary="Where and when to notify you",
    menu=(MenuEntry("🔔 Notifications", ("member",), 920),),
    states={"preferences": _preferences_state()},
    on_start=_prefill,
)
