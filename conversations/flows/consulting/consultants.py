"""Finding a consultant: one-line typo-tolerant search with filters and sorts, result cards with
the next free slot in the seeker's zone, and a consultant's card with Talk now and Book a time
(the page and booking are conversations.flows.consulting.consultant_page's)."""

from __future__ import annotations

from typing import Any

from conversations.flow import Ask, Ctx, Flow, FormState, MenuEntry, Next
from conversations.flows.consulting import consultant_query
from conversations.flows.consulting.consultant_page import (
    Finding,
    _asked_now,
    _on_slot,
    _proposed,
    _slots,
    _times,
    _zone,
    consultant_card,
)
from conversations.messages import (
    Button,
    Choice,
    Inbound,
    ListItem,
    ListPage,
    Outbound,
    Reply,
    Text,
    rows,
)
from core.consulting.bookings import service as bookings
from core.consulting.bookings.service import TOPIC_MAX
from core.consulting.profiles.directory import DirectoryQuery
from core.i18n import N_, _
from core.i18n.dates import shown
from core.ids import parse_id

SORTS = (("relevance", N_("Best match")), ("rating", N_("★ Rating")), ("price", N_("€ Price")))


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
