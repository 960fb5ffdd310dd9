"""`/bookings`: a consultant's and a seeker's bookings and sessions — awaiting an answer,
upcoming, recent — each with the one next step it needs; opening one shows its card with
its buttons. The same list is a home section (the Slack App Home's, beside the deals)."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, MenuEntry, Next
from conversations.messages import Button, Choice, Inbound, ListItem, ListPage, Outbound, Reply, rows
from core.consulting.bookings.agenda import AgendaLine, agenda
from core.ids import parse_id

GROUPS = {"awaiting": "⏳ Awaiting", "upcoming": "📅 Upcoming", "past": "🗂 Past"}


def _line(b: AgendaLine) -> str:
    return (f"#{b.booking_id} with {b.other} — {b.when} · {b.minutes} min · {b.status} · "
            f"next: {b.next_step}")


async def bookings_text(ctx: Ctx) -> str:
    """Every booking with its next step, grouped (a home section); nothing without any."""
    assert ctx.account is not None
    lines = await agenda(ctx.uow, ctx.account.id)
    if not lines:
        return ""
    text = ["📅 Your bookings"]
    for group, title in GROUPS.items():
        text += [f"{title}:", *(f"  {_line(b)}" for b in lines if b.group == group)] \
            if any(b.group == group for b in lines) else []
    return "\n".join(text)


async def _list(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    lines = await agenda(ctx.uow, ctx.account.id)
    if not lines:
        return [Reply("No bookings yet. Find a consultant with /consultants and book a time.",
                      rows(("🧑‍💼 Find a consultant", "@go:consultants"), ("✔ Done", "done")))]
    items = tuple(ListItem(f"{GROUPS[b.group]} · #{b.booking_id} with {b.other} · {b.when}",
                           f"{b.status} · next: {b.next_step}"
                           + (f" · topic: {b.topic}" if b.topic else ""),
                           Button("Open", f"b:{b.booking_id}")) for b in lines)
    return [ListPage("📅 Your bookings and sessions", items, 1, 1),
            Reply("Open one, or Done.", rows(("✔ Done", "done")))]


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    number = parse_id(data[2:]) if data.startswith("b:") else None
    if number is not None:
        return Next(state="", start="booking", start_data={"args": str(number)})
    return Next.end(menu=False)


bookings_flow = Flow(
    name="bookings", title="your bookings", first="list", commands=("bookings",),
    summary="Your bookings and sessions, with what each needs",
    menu=(MenuEntry("📅 My bookings", ("consultant", "seeker"), 26),),
    help="Every booking and session, awaiting, upcoming and past, with the one next step each "
         "needs.",
    states={"list": Ask(prompt=_list, on=_on_list)},
)
