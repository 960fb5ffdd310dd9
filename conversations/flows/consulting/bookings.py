"""`/bookings`: a consultant's and a seeker's bookings and sessions — awaiting an answer,
upcoming, recent — each with the one next step it needs (and, while the two are still to meet,
where); opening one shows its card with its buttons. The same list is a home section (the
Slack App Home's, beside the deals)."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, MenuEntry, Next
from conversations.flows.consulting.packages import balances_text
from conversations.messages import Button, Choice, Inbound, ListItem, ListPage, Outbound, Reply, go, rows
from core.consulting.bookings.agenda import AgendaLine, agenda
from core.consulting.bookings.notices.parties import meeting_line
from core.i18n import N_, _
from core.ids import parse_id

GROUPS = {"awaiting": N_("⏳ Awaiting"), "upcoming": N_("📅 Upcoming"), "past": N_("🗂 Past")}


def _line(b: AgendaLine) -> str:
    line = _("#{id} with {other} — {when} · {minutes} min · {status} · next: {next_step}",
             id=b.booking_id, other=b.other, when=b.when, minutes=b.minutes, status=b.status,
             next_step=b.next_step)
    return line + ("\n    " + meeting_line(b.meeting_url) if b.meeting_url else "")


async def bookings_text(ctx: Ctx) -> str:
    """Every booking with its next step, grouped (a home section); nothing without any."""
    assert ctx.account is not None
    lines = await agenda(ctx.uow, ctx.account.id)
    held = await balances_text(ctx)  # the session packages running, and what is left of each
    if not lines:
        return held
    text = [_("📅 Your bookings"), *([held] if held else [])]
    for group, title in GROUPS.items():
        text += [f"{_(title)}:", *(f"  {_line(b)}" for b in lines if b.group == group)] \
            if any(b.group == group for b in lines) else []
    return "\n".join(text)


async def _list(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    lines = await agenda(ctx.uow, ctx.account.id)
    if not lines:
        return [Reply(_("No bookings yet. Find a consultant with /consultants and book a time."),
                      rows((_("🧑‍💼 Find a consultant"), go("consultants")), (_("✔ Done"), "done")))]
    items = tuple(ListItem(_("{group} · #{id} with {other} · {when}", group=_(GROUPS[b.group]),
                             id=b.booking_id, other=b.other, when=b.when),
                           _("{status} · next: {next_step}", status=b.status, next_step=b.next_step)
                           + (" · " + _("topic: {topic}", topic=b.topic) if b.topic else "")
                           + ("\n" + meeting_line(b.meeting_url) if b.meeting_url else ""),
                           Button(_("Open"), f"b:{b.booking_id}")) for b in lines)
    held = await balances_text(ctx)
    return [ListPage(_("📅 Your bookings and sessions"), items, 1, 1),
            Reply((held + "\n\n" if held else "") + _("Open one, or Done."),
                  rows((_("✔ Done"), "done")))]


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    number = parse_id(data[2:]) if data.startswith("b:") else None
    if number is not None:
        return Next(state="", start="booking", start_data={"args": str(number)})
    return Next.end(menu=False)


bookings_flow = Flow(
    name="bookings", title=N_("your bookings"), first="list", commands=("bookings",),
    summary=N_("Your bookings and sessions, with what each needs"),
    menu=(MenuEntry(N_("📅 My bookings"), ("consultant", "seeker"), 26),),
    help=N_("Every booking and session, awaiting, upcoming and past, with the one next step each "
            "needs."),
    states={"list": Ask(prompt=_list, on=_on_list)},
)
