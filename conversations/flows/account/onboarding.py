"""The onboarding tour by role, then notification preferences (also reachable from the menu)."""

from __future__ import annotations

from typing import Any

from conversations import form_runner
from conversations import profile_fields as fields
from conversations.fields import ChoiceField
from conversations.flow import Ctx, Flow, FormState, MenuEntry, Next, OneStepCommand
from conversations.flows.account.registration import Joining
from conversations.forms import Form
from conversations.messages import Button, Reply, go
from core.accounts import member as members
from core.accounts import service as accounts
from core.i18n import N_, _
from core.money.reading import read_for

TOUR_PAGES = {
    # Only what is built today.
    "seller": N_("📦 As a seller you list pellets, chips, biogas or biofuels in a few taps, answer "
                 "buyers' questions and offers, and are paid from escrow once delivery is confirmed."),
    "buyer": N_("🔎 As a buyer you search in one line with typos forgiven, ask sellers, make offers "
                "and counter-offers, pay into escrow, and release the money once the goods arrive as "
                "agreed."),
    "consultant": N_("🎓 As a consultant you publish a profile with your rates and weekly hours, "
                     "accept sessions now or at booked times, and are paid after each session minus "
                     "commission."),
    "seeker": N_("🧑‍💼 As a seeker you find consultants by what you need, talk now or book a time; "
                 "the first minutes are free and ending early costs nothing."),
    "admin": N_("🛡 As an admin you review listings waiting for moderation and decide disputes."),
}


def _pages(ctx: Ctx) -> list[str]:
    return [_(TOUR_PAGES[r]) for r in TOUR_PAGES if r in ctx.roles] or [_(TOUR_PAGES["buyer"])]


async def _all_set(ctx: Ctx) -> Next:
    """The tour in one message, then the menu: nothing more is asked. The settings keep the
    defaults Agora already knows (notifications here, time zone and currency from the
    country) and are offered with one tap."""
    assert ctx.account is not None
    await accounts.mark_onboarded(ctx.uow, ctx.account.id)
    account = ctx.account
    tour = "\n".join(_pages(ctx))
    done = Next.end(Reply(
        f"{tour}\n\n" + _("✅ You're all set! Notifications come here on {channel}; times are "
                          "shown in {timezone} and prices default to {currency}.",
                          channel=ctx.env.channel, timezone=account.timezone or "UTC",
                          currency=account.currency),
        ((Button(_("🔔 Change notification settings"), go("notifications")),),)))
    done.follow = Joining.of(ctx).ref  # the deep link that brought a newcomer here
    return done


def _preferences_form(ctx: Ctx) -> Form:
    channels = [(c, c.capitalize()) for c in ("telegram", "slack", "terminal")]
    if ctx.account and ctx.account.email_verified_at:
        channels.append(("email", N_("Email")))
    return Form(
        id="preferences",
        title=N_("Notifications"),
        submit_label=N_("Save"),
        fields=[
            ChoiceField("notify_channel", N_("Where should we notify you"), choices=channels,
                        hint=_("You are on {channel} now.", channel=ctx.env.channel)),
            fields.quiet_hours_field(),
            fields.timezone_field(),
            fields.currency_field(),
            fields.language_field(),
            ChoiceField("weekly_picks", N_("A weekly message of picks for you"),
                        choices=[("yes", N_("Yes, on Monday mornings")), ("no", N_("No"))]),
            ChoiceField("carbon_public", N_("Show the CO₂e your deals avoided on your public "
                                            "profile"),
                        choices=[("no", N_("No")), ("yes", N_("Yes, on my listings' pages"))]),
        ],
    )


async def _save_preferences(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    quiet = values.get("quiet_hours")
    start, end = quiet.split("-") if quiet else (None, None)
    ctx.account = await members.update(
        ctx.uow, ctx.account.id, notify_channel=values["notify_channel"], quiet_start=start,
        quiet_end=end, timezone=values["timezone"], currency=values["currency"],
        language=values["language"],
        **({"weekly_picks": values["weekly_picks"] == "yes"} if values.get("weekly_picks") else {}),
        **({"carbon_public": values["carbon_public"] == "yes"}
           if values.get("carbon_public") else {}),
    )
    await accounts.mark_onboarded(ctx.uow, ctx.account.id)
    read_for(ctx.account)  # a new language is spoken from this answer on
    done = Next.end(Reply(_("✅ Preferences saved. You're all set!")))
    done.follow = Joining.of(ctx).ref  # the deep link that brought a newcomer here
    return done


def _preferences_state() -> FormState:
    return FormState(form=_preferences_form, done=_save_preferences,
                     help=N_("Choose where notifications go and when to keep quiet."))


async def _prefill(ctx: Ctx) -> Next | None:
    account = ctx.account
    if account is not None:
        quiet = f"{account.quiet_start}-{account.quiet_end}" if account.quiet_start else None
        form_runner.prefill(ctx, "preferences", {
            "notify_channel": account.notify_channel or ctx.env.channel, "quiet_hours": quiet,
            "timezone": account.timezone, "currency": account.currency,
            "language": account.language,
            "weekly_picks": "yes" if account.weekly_picks is not False else "no",
            "carbon_public": "yes" if account.carbon_public else "no"})
    return None


onboarding = OneStepCommand(name="onboarding", title=N_("the welcome tour"), run=_all_set,
                            help=N_("What you can do here."))

notifications = Flow(
    name="notifications",
    title=N_("notification settings"),
    first="preferences",
    commands=("notifications", "settings"), summary=N_("Where and when to notify you"),
    menu=(MenuEntry(N_("🔔 Notifications"), ("member",), 920),),
    states={"preferences": _preferences_state()},
    on_start=_prefill,
    state_model=Joining,
)
