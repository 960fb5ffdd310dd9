"""A consultant's page and booking one: bio, expertise, rate, reviews and the next free times in
the seeker's zone, with Talk now and Book a time; booking picks a free slot (or proposes up to
three times) and sends the request. The directory (/consultants) opens it and books through
the same steps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conversations import confirmations
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, Next
from conversations.flows.consulting.booking_fields import times_form, to_times
from conversations.flows.consulting.consultant_fields import served_line
from conversations.messages import (
    Button,
    Choice,
    Inbound,
    Outbound,
    Reply,
    Text,
    action_button,
    go,
    rows,
)
from core.consulting import views
from core.consulting.bookings import service as bookings
from core.consulting.intents import ConsultingIntent
from core.errors import DomainError
from core.i18n import N_, _, n_
from core.i18n.dates import shown
from core.ids import parse_id


class Finding(FlowState):
    """What finding a consultant and booking one keeps between questions."""

    q: dict[str, Any]  # the directory search: consultant_query's words and filters, and "page"
    consultant_id: int  # the consultant opened
    topic: str | None = None  # carried from a message ("Ask a consultant about this")
    minutes: int | None = None  # the session's length, the shortest the consultant offers
    starts: int  # the picked slot, in seconds since the epoch


def _zone(ctx: Ctx) -> str:
    return (ctx.account.timezone if ctx.account is not None else None) or "UTC"


async def consultant_card(ctx: Ctx, consultant_id: int, topic: bool = False) -> Reply:
    """A consultant's page: bio, expertise, rate, reviews, the next free times, and the steps
    (with a topic carried: talk now if online, or book, both keeping the topic)."""
    page = await views.consultant_view(ctx.uow, consultant_id, ctx.account_id, _zone(ctx))
    lines = [f"🧑‍💼 {page.name}" + (" · " + _("🟢 online now") if page.online else ""), page.headline,
             page.bio, _("Expertise: {expertise}", expertise=", ".join(page.expertise)),
             _("Languages: {languages}", languages=", ".join(page.languages)),
             _("Rate: {rate}", rate=page.rate), served_line(page.countries_served),
             n_("{rating} · {n} session", "{rating} · {n} sessions", page.sessions, rating=page.rating)]
    if page.slots:
        lines.append(_("Next free ({zone}): {times}", zone=_zone(ctx),
                       times=", ".join(shown(s, "MMMEdHm") for s in page.slots[:4])))
    buttons = tuple(tuple(action_button(a) for a in row) for row in page.steps)
    if topic:
        buttons = ((Button(_("⚡ Talk now"), "now"),),) if page.online else ()
        buttons += ((Button(_("📅 Book a time"), "book"),),)
    return Reply("\n".join(line for line in lines if line), buttons)




async def _consultant_start(ctx: Ctx) -> Next | None:
    """`ID` shows the page; `now:ID` asks to talk now; `book:ID` shows the free slots."""
    assert ctx.account is not None
    state = Finding.of(ctx)
    verb, __, number = state.args.rpartition(":")
    consultant_id = parse_id(number)
    if consultant_id is None or verb not in ("", "now", "book"):
        return Next.end(Reply(_("Open a consultant from the directory."), kind="error"))
    state.consultant_id = consultant_id
    if verb == "now":
        asked = await bookings.ask_now(ctx.uow, ctx.account.id, consultant_id)
        return Next.end(_asked_now(asked), menu=False)
    return Next(state="slots" if verb == "book" else "page", remember=False)


def _asked_now(asked: bookings.Requested) -> Reply:
    text = (_("⚡ Asked: the consultant has a couple of minutes to accept. You'll be told here; "
              "the session is prepaid from your package.") if asked.prepaid else
            _("⚡ Asked: the consultant has a couple of minutes to accept. You'll be told "
              "here, and asked to authorise the payment (nothing is charged for the free "
              "minutes)."))
    return Reply(text, ((Button(_("📅 The request"), go("booking", asked.booking_id)),),))


async def _page(ctx: Ctx) -> list[Outbound]:
    return [await consultant_card(ctx, Finding.of(ctx).consultant_id)]


async def _slots(ctx: Ctx) -> list[Outbound]:
    state = Finding.of(ctx)
    page = await views.consultant_view(ctx.uow, state.consultant_id, ctx.account_id,
                                       _zone(ctx), days=7, shown=8)
    options = [(("⚠ " if s in page.late else "") + shown(s, "MMMEdHm"), f"t:{int(s.timestamp())}")
               for s in page.slots]
    state.minutes = min(page.lengths)
    text = (_("📅 Free times with {name} ({minutes} min, {zone}):", name=page.name,
              minutes=state.minutes, zone=_zone(ctx)) if options
            else _("{name} has no free time in the next 7 days.", name=page.name))
    if page.late:
        text += "\n" + page.late_text
    return [Reply(text, rows(*options, (_("🕑 Propose other times"), "propose"), per_row=2))]


async def _on_slot(ctx: Ctx, msg: Inbound) -> Next:
    """A picked slot is requested at once; or propose up to three times."""
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "propose":
        return Next(state="times")
    if not data.startswith("t:") or not data[2:].isdigit():
        return Next.stay(Reply(_("Tap a time, or propose other times."), kind="error"))
    state = Finding.of(ctx)
    state.starts = int(data[2:])
    if state.topic:
        return await _request(ctx, state.topic)
    return Next(state="topic")


async def _topic_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("💬 What would you like to discuss? A line helps the consultant prepare "
                    "(optional)."), rows((_("Skip"), "skip")))]


async def _on_topic(ctx: Ctx, msg: Inbound) -> Next:
    """The picked slot is requested, with the topic if one was typed."""
    assert ctx.account is not None
    return await _request(ctx, msg.text if isinstance(msg, Text) else None)


async def _request(ctx: Ctx, topic: str | None) -> Next:
    assert ctx.account is not None
    state = Finding.of(ctx)
    starts = datetime.fromtimestamp(state.starts, UTC)
    asked = await bookings.ask_slot(ctx.uow, ctx.account.id, state.consultant_id,
                                    starts, state.minutes, topic)
    return Next.end(_requested(asked), menu=False)


def _requested(asked: bookings.Requested) -> Reply:
    return confirmations.booking_requested(asked.booking_id, asked.free_minutes,
                                           asked.prepaid).reply()


async def _proposed(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    times = to_times(values, _zone(ctx))
    if not times:
        raise DomainError(_("Propose at least one time."))
    state = Finding.of(ctx)
    asked = await bookings.ask_times(ctx.uow, ctx.account.id, state.consultant_id,
                                     times, state.minutes)
    return Next.end(_requested(asked), menu=False)


def _times(ctx: Ctx) -> Any:
    return times_form(ctx.local_now().date())


consultant_flow = Flow(
    name="consultant", title=N_("a consultant"), first="page", on_start=_consultant_start,
    state_model=Finding,
    intents={ConsultingIntent.VIEW_CONSULTANT: "{arg}"},
    help=N_("A consultant's page: talk now if they are online, or book one of their free times."),
    states={"page": Ask(prompt=_page, on=lambda ctx, msg: _end(ctx)),
            "slots": Ask(prompt=_slots, on=_on_slot),
            "topic": Ask(prompt=_topic_prompt, on=_on_topic),
            "times": FormState(form=_times, done=_proposed, cancel_to="slots")},
)


async def _end(ctx: Ctx) -> Next:
    return Next.end(menu=False)
