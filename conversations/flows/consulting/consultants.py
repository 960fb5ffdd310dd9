"""Finding a consultant: one-line typo-tolerant search with filters and sorts, result cards with
the next free slot in the seeker's zone, a profile page with Talk now and Book a time; booking
picks a free slot (or proposes up to three times) and sends the request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conversations import confirmations
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, MenuEntry, Next
from conversations.flows.consulting import consultant_query
from conversations.flows.consulting.booking_fields import times_form, to_times
from conversations.messages import (
    Button,
    Choice,
    Inbound,
    ListItem,
    ListPage,
    Outbound,
    Reply,
    Text,
    action_button,
    go,
    rows,
)
from core.actions import Intent
from core.consulting import views
from core.consulting.bookings import service as bookings
from core.consulting.bookings.service import TOPIC_MAX
from core.consulting.profiles.directory import DirectoryQuery
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


SORTS = (("relevance", N_("Best match")), ("rating", N_("★ Rating")), ("price", N_("€ Price")))


def _zone(ctx: Ctx) -> str:
    return (ctx.account.timezone if ctx.account is not None else None) or "UTC"


async def _search_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("🧑‍💼 What do you need help with? A few words, and filters if you like: "
                    "“pellet audits in latvian under 120 eur online 4+ stars free within 3 days”."),
                  rows((_("🟢 Online now"), "online"), (_("📋 Everyone"), "all"), per_row=2))]


async def _on_search(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    state = Finding.of(ctx)
    if isinstance(msg, Text):
        state.q = consultant_query.parse(msg.text)
    elif data in ("online", "all"):
        state.q = {"online_now": data == "online"}
    else:
        return Next.stay(Reply(_("Type a few words, or tap a filter."), kind="error"))
    state.q["page"] = 0
    return Next(state="results")


async def _results(ctx: Ctx) -> list[Outbound]:
    assert ctx.services.directory is not None
    saved = Finding.of(ctx).q
    query = DirectoryQuery(**consultant_query.to_query(saved))
    page = await ctx.services.directory.search(ctx.uow, query, _zone(ctx))
    if not page.cards:
        chips = [(label, f"x:{name}") for label, name in consultant_query.chips(saved)]
        return [Reply(_("No consultant matches that yet. Remove a filter, try other words, or "
                        "see everyone."), rows(*chips, (_("📋 Everyone"), "all"), (_("🔎 New search"), "new"),
                                               per_row=2))]
    items = tuple(ListItem((_("⭐ Featured") + " · " if c.featured else "") + f"{c.name} — {c.headline}",
                           _subtitle(c), Button(_("View"), f"v:{c.consultant_id}"))
                  for c in page.cards)
    more = [(_("▶ More"), "more")] if page.page + 1 < page.pages else []
    chips = [(label, f"x:{name}") for label, name in consultant_query.chips(saved)]
    return [ListPage(_("🧑‍💼 Consultants ({total})", total=page.total), items, page.page + 1, page.pages),
            Reply(_("Open one, sort, remove a filter, or search again."),
                  rows(*chips, *((_(label), f"sort:{key}") for key, label in SORTS), *more,
                       (_("🔎 New search"), "new"), per_row=3))]


def _subtitle(card: Any) -> str:
    rating = f"★ {card.rating} ({card.ratings})" if card.rating is not None else _("new")
    free = (" · " + _("next free {when}", when=shown(card.next_free, "MMMEdHm"))
            if card.next_free else "")
    online = " · " + _("🟢 online") if card.online else ""
    return f"{card.rate} · {rating} · {', '.join(card.expertise[:2])}{free}{online}"


async def _on_results(ctx: Ctx, msg: Inbound) -> Next:
    data, state = msg.data if isinstance(msg, Choice) else "", Finding.of(ctx)
    if data.startswith("v:") and (number := parse_id(data[2:])) is not None:
        state.consultant_id = number
        return Next(state="card")
    if data.startswith("x:"):
        state.q.pop(data[2:], None)
        state.q["page"] = 0
        return Next(state="results", remember=False)
    if data.startswith("sort:"):
        state.q.update(sort=data[5:], page=0)
        return Next(state="results", remember=False)
    if data == "more":
        state.q["page"] += 1
        return Next(state="results", remember=False)
    if data == "all":
        state.q = {"page": 0}
        return Next(state="results", remember=False)
    if isinstance(msg, Text):
        return await _on_search(ctx, msg)
    return Next(state="search", remember=False)


async def consultant_card(ctx: Ctx, consultant_id: int, topic: bool = False) -> Reply:
    """A consultant's page: bio, expertise, rate, reviews, the next free times, and the steps
    (with a topic carried: talk now if online, or book, both keeping the topic)."""
    page = await views.consultant_view(ctx.uow, consultant_id, ctx.account_id, _zone(ctx))
    lines = [f"🧑‍💼 {page.name}" + (" · " + _("🟢 online now") if page.online else ""), page.headline,
             page.bio, _("Expertise: {expertise}", expertise=", ".join(page.expertise)),
             _("Languages: {languages}", languages=", ".join(page.languages)),
             _("Rate: {rate}", rate=page.rate),
             n_("{rating} · {n} session", "{rating} · {n} sessions", page.sessions, rating=page.rating)]
    if page.slots:
        lines.append(_("Next free ({zone}): {times}", zone=_zone(ctx),
                       times=", ".join(shown(s, "MMMEdHm") for s in page.slots[:4])))
    buttons = tuple(tuple(action_button(a) for a in row) for row in page.steps)
    if topic:
        buttons = ((Button(_("⚡ Talk now"), "now"),),) if page.online else ()
        buttons += ((Button(_("📅 Book a time"), "book"),),)
    return Reply("\n".join(line for line in lines if line), buttons)


async def _card(ctx: Ctx) -> list[Outbound]:
    # asked about a message: talking now or booking here keeps it as the topic
    state = Finding.of(ctx)
    card = await consultant_card(ctx, state.consultant_id, bool(state.topic))
    return [card, Reply(_("Or back to the results."), rows((_("◀ Results"), "back")))]


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    state = Finding.of(ctx)
    if isinstance(msg, Choice) and msg.data == "book" and state.topic:
        return Next(state="slots")
    if isinstance(msg, Choice) and msg.data == "now" and state.topic:
        assert ctx.account is not None
        asked = await bookings.ask_now(ctx.uow, ctx.account.id, state.consultant_id,
                                       topic=state.topic)
        return Next.end(_asked_now(asked), menu=False)
    return Next(state="results", remember=False)


async def _directory_start(ctx: Ctx) -> Next | None:
    """`/agora consultants <what you need>` (Slack's "Ask a consultant about this" passes the
    message): the directory searched for it at once, and it is kept as the topic of a booking
    requested from there."""
    state = Finding.of(ctx)
    topic = " ".join(state.args.split())
    if not topic:
        return None
    state.topic, state.q = topic[:TOPIC_MAX], {**consultant_query.parse(topic), "page": 0}
    return Next(state="results", remember=False)




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
    intents={Intent.VIEW_CONSULTANT: "{arg}"},
    help=N_("A consultant's page: talk now if they are online, or book one of their free times."),
    states={"page": Ask(prompt=_page, on=lambda ctx, msg: _end(ctx)),
            "slots": Ask(prompt=_slots, on=_on_slot),
            "topic": Ask(prompt=_topic_prompt, on=_on_topic),
            "times": FormState(form=_times, done=_proposed, cancel_to="slots")},
)


async def _end(ctx: Ctx) -> Next:
    return Next.end(menu=False)


consultants_flow = Flow(
    name="consultants", title=N_("finding a consultant"), first="search",
    on_start=_directory_start, state_model=Finding,
    commands=("consultants",), summary=N_("Find a consultant and book a session"),
    menu=(MenuEntry(N_("🧑‍💼 Find a consultant"), ("seeker", "buyer"), 70),),
    help=N_("Search consultants by what you need; filter by who is online; open one to talk now or "
            "book a time. The first minutes of a session are free."),
    states={"search": Ask(prompt=_search_prompt, on=_on_search),
            "results": Ask(prompt=_results, on=_on_results),
            "card": Ask(prompt=_card, on=_on_card),
            # booking from the directory itself when a topic is carried (as consultant_flow)
            "slots": Ask(prompt=_slots, on=_on_slot),
            "times": FormState(form=_times, done=_proposed, cancel_to="slots")},
)
