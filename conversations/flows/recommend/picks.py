"""Recommendations in chat: /foryou shows the current picks with their reasons; the buttons of
the weekly message (“Not interested”, “Stop these messages”) land here too."""

from __future__ import annotations

from conversations.flow import Ctx, MenuEntry, Next, OneStepCommand
from conversations.messages import Button, Reply, action_button, go
from core.i18n import N_, _
from core.recommend import weekly
from core.recommend.intents import PickIntent
from core.recommend.picks import recommend


async def _for_you(ctx: Ctx) -> Next:
    """The picks now, each with why and its buttons; the weekly message's state underneath."""
    assert ctx.account is not None
    picks = await recommend(ctx.uow, ctx.account.id)
    on = ctx.account.weekly_picks
    switch = (Button(_("🔕 Stop the weekly message"), "@do:stop_picks:off") if on
              else Button(_("🔔 Send me these weekly"), "@do:stop_picks:on"))
    footer = (_("They also come every Monday morning, your time.") if on
              else _("The weekly message is off."))
    if not picks:
        return Next.end(Reply(_("✨ Nothing to pick for you yet: search, save a search, watch a "
                                "listing or make a deal, and I'll learn what you like. {footer}",
                                footer=footer),
                              ((switch,),)))
    text, rows = weekly.message(picks, weekly=False)
    buttons = tuple(tuple(action_button(a) for a in row) for row in rows)
    return Next.end(Reply(f"{text}\n{footer}", (*buttons, (switch,))))


async def _decline(ctx: Ctx) -> Next:
    """“Not interested”: never recommended again."""
    assert ctx.account is not None
    await weekly.decline(ctx.uow, ctx.account.id, str(ctx.data.get("args") or ""))
    return Next.end(Reply(_("🚫 Noted: I won't recommend that to you again."),
                          ((Button(_("✨ Other picks"), go("foryou")),),)))


async def _switch(ctx: Ctx) -> Next:
    """Stop the weekly message (or turn it back on with “on”)."""
    assert ctx.account is not None
    on = str(ctx.data.get("args") or "") == "on"
    await weekly.set_weekly(ctx.uow, ctx.account.id, on)
    if on:
        return Next.end(Reply(_("🔔 Weekly picks are on: every Monday morning, your time.")))
    return Next.end(Reply(_("🔕 No more weekly picks. /foryou still shows them when you ask; "
                            "turn them back on in /settings."),
                          ((Button(_("🔔 Turn them back on"), "@do:stop_picks:on"),),)))


foryou = OneStepCommand(name="foryou", title=N_("your picks"), run=_for_you,
                        commands=("foryou", "picks"),
                        summary=N_("Listings and consultants picked for you"),
                        menu=(MenuEntry(N_("✨ For you"), ("member",), 25),),
                        intents={PickIntent.PICKS: "{arg}"},
                        help=N_("Picked from your deals, searches, saved searches, watchlist and "
                                "sessions, each with the reason."))
decline_pick = OneStepCommand(name="decline_pick", title=N_("not interested"), run=_decline,
                              intents={PickIntent.DECLINE_PICK: "{arg}"})
stop_picks = OneStepCommand(name="stop_picks", title=N_("weekly picks"), run=_switch,
                            intents={PickIntent.STOP_PICKS: "{arg}"})
