"""Buyers' search: free text (typos forgiven), filters, sorts, pages, a card, saving the search."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from conversations.flow import Ask, Ctx, Flow, FormState, MenuEntry, Next
from conversations.flows.market import search_fields as sf
from conversations.flows.market.listing_card import summary
from conversations.flows.market.listing_view import Viewing, view_answer, view_prompt
from conversations.forms import Form
from conversations.messages import Button, Choice, Inbound, ListItem, ListPage, Outbound, Reply, rows
from core.catalog import alerts, gazetteer, query_text
from core.catalog.listing_card import cards_by_ids
from core.catalog.query import SORTED, SORTS, SearchQuery
from core.catalog.search import Catalog, log_search
from core.errors import DomainError
from core.i18n import N_, _, n_
from core.ids import parse_id


class Searching(Viewing):
    """What a search keeps: the query, the page, notes about what was typed; a card opened."""

    q: dict[str, Any] = {}  # SearchQuery.as_dict()
    page: int = 0
    notes: list[str] = []  # said once above the next results (a filter that was dropped)


def _catalog(ctx: Ctx) -> Catalog:
    catalog = ctx.services.catalog
    assert catalog is not None  # search runs only where a catalog is wired
    return catalog


def _origin(ctx: Ctx) -> tuple[float, float] | None:
    """The buyer's own location: shared coordinates, or the profile's city in the gazetteer."""
    account = ctx.account
    if account is None:
        return None
    if account.latitude is not None and account.longitude is not None:
        return account.latitude, account.longitude
    place, __ = gazetteer.resolve(account.city, account.country) if account.city else (None, [])
    return (place.lat, place.lon) if place else None


def _query(ctx: Ctx) -> SearchQuery:
    return SearchQuery.from_dict(Searching.of(ctx).q)


def _first_form(ctx: Ctx) -> Form:
    return sf.FULL_FORM if ctx.forms_at_once else sf.TEXT_FORM


def _one_line(ctx: Ctx, text: str) -> tuple[SearchQuery, list[str]]:
    """Words and filters from one line; distance counts from the buyer's place if none named."""
    currency = ctx.account.currency if ctx.account and ctx.account.currency else "EUR"
    query, notes = query_text.parse(text, currency)
    if query.max_km and query.lat is None:
        origin = _origin(ctx)
        if origin is None:
            notes.append(_("I don't know where you are, so the distance filter is off; add "
                           "“near <city>”."))
            query = query_text.without(query, "max_km")
        else:
            query = replace(query, lat=origin[0], lon=origin[1])
    return query, notes


async def _asked(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Run a new search: one line of words and filters (plus a whole form's own filters)."""
    line = str(values.get("text") or "")
    parsed, notes = _one_line(ctx, line)
    if line.strip() and not parsed.text and not parsed.filters() and parsed.lat is None:
        raise DomainError(_("Type a word to search for, like “pellets” — symbols and emoji alone "
                            "match nothing."))
    query = sf.query_from({k: v for k, v in values.items() if k != "text"}, parsed, _origin(ctx))
    state = Searching.of(ctx)
    state.q, state.page, state.notes = query.as_dict(), 0, notes
    await log_search(ctx.uow, ctx.account_id, query,
                     ctx.account.country if ctx.account else None)
    ctx.data.pop("_forms", None)
    return Next(state="results", remember=False)


async def _results(ctx: Ctx) -> list[Outbound]:
    query = _query(ctx)
    state = Searching.of(ctx)
    found = await _catalog(ctx).search(ctx.uow, query, state.page)
    state.page = found.page
    cards = await cards_by_ids(ctx.uow, [h.listing_id for h in found.hits], ctx.account_id)
    items = tuple(ListItem(cards[h.listing_id].title, summary(cards[h.listing_id], h.km),
                           Button(_("View"), f"v:{h.listing_id}"))
                  for h in found.hits if h.listing_id in cards)
    title = n_("🔎 {n} result(s) for {query} · {order}",
               "🔎 {n} result(s) for {query} · {order}", found.total,
               query=query.describe(), order=_(SORTED.get(query.sort, query.sort)))
    nav = rows((_("◀ Previous"), "prev"), (_("Next ▶"), "next"), per_row=2) if found.pages > 1 else ()
    page = ListPage(title, items, found.page + 1, found.pages, nav)
    notes = [Reply(note, kind="notice") for note in state.notes]
    del state.notes  # said once
    chips = rows(*((f"✕ {label}"[:40], f"x:{name}") for label, name in query.filters()), per_row=2)
    actions = Reply(_("Refine or keep this search (✕ removes a filter):") if items else
                    _("Nothing matches yet. Try fewer words or filters — or save the search to "
                      "hear when something appears."),
                    (*chips, *rows((_("⚙ More filters"), "filters"), (_("↕ Sort"), "sort"),
                                   (_("🔔 Save search"), "save"), (_("🔎 New search"), "new"),
                                   per_row=2)))
    return [*notes, page, actions]


async def _on_results(ctx: Ctx, msg: Inbound) -> Next:
    """Page, open a card, filter, sort, save, or start again."""
    data, state = msg.data if isinstance(msg, Choice) else "", Searching.of(ctx)
    if data in ("prev", "next"):
        return await _turn(ctx, data)
    if data.startswith("x:"):
        state.q, state.page = query_text.without(_query(ctx), data[2:]).as_dict(), 0
        return Next.stay()
    if data.startswith("v:") and (listing_id := parse_id(data[2:])):
        state.listing_id, state.from_list = listing_id, True
        return Next(state="view")
    targets = {"filters": "filters", "sort": "sort", "save": "save", "new": "ask"}
    if data in targets:
        ctx.data.pop("_forms", None)
        return Next(state=targets[data])
    return Next.stay(Reply(_("Use the buttons to page, open a listing or refine the search."),
                           kind="error"))


async def _turn(ctx: Ctx, direction: str) -> Next:
    state = Searching.of(ctx)
    found = await _catalog(ctx).search(ctx.uow, _query(ctx), state.page)
    page = found.page + (1 if direction == "next" else -1)
    if page >= found.pages:
        return Next.stay(Reply(_("That was the last page."), kind="notice"))
    if page < 0:
        return Next.stay(Reply(_("This is the first page."), kind="notice"))
    state.page = page
    return Next.stay()


async def _filtered(ctx: Ctx, values: dict[str, Any]) -> Next:
    """Apply the filters to the current text."""
    query = sf.query_from(values, _query(ctx), _origin(ctx))
    state = Searching.of(ctx)
    state.q, state.page = query.as_dict(), 0
    ctx.data.pop("_forms", None)
    return Next(state="results", remember=False)


async def _sort_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Sort results by:"), rows(*((_(label), key) for key, label in SORTS.items()),
                                              per_row=2))]


async def _on_sort(ctx: Ctx, msg: Inbound) -> Next:
    """Re-sort the current results."""
    data = msg.data if isinstance(msg, Choice) else ""
    if data not in SORTS:
        return Next.stay(Reply(_("Choose a sort order."), kind="error"))
    state = Searching.of(ctx)
    state.q, state.page = {**state.q, "sort": data}, 0
    return Next(state="results", remember=False)


async def _save_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Save the search {query}. How should I tell you about new matches?",
                    query=_query(ctx).describe()),
                  rows((_("🔔 At once"), "instant"), (_("📰 Daily digest"), "digest"), per_row=2))]


async def _on_save(ctx: Ctx, msg: Inbound) -> Next:
    """Keep the search for alerts."""
    assert ctx.account is not None
    mode = msg.data if isinstance(msg, Choice) else ""
    if mode not in ("instant", "digest"):
        return Next.stay(Reply(_("Choose “At once” or “Daily digest”."), kind="error"))
    await alerts.save_search(ctx.uow, ctx.account.id, _query(ctx), mode)
    saved = (_("🔔 Saved. I'll tell you as soon as a match is published; every alert has an "
               "Unsubscribe button.") if mode == "instant" else
             _("🔔 Saved. I'll tell you once a day; every alert has an Unsubscribe button."))
    return Next(state="results", replies=[Reply(saved)], remember=False)


async def _on_view(ctx: Ctx, msg: Inbound) -> Next:
    return await view_answer(ctx, msg) or Next(state="results", remember=False)


search = Flow(
    name="search", title=N_("a search"), first="ask", commands=("search", "find"),
    state_model=Searching,
    summary=N_("Search bioenergy listings"), menu=(MenuEntry(N_("🔎 Search bioenergy"), ("buyer",), 10),),
    help=N_("Type what you need; typos and word order don't matter. Then filter, sort, page "
            "through results, open a listing, or save the search for alerts."),
    states={
        "ask": FormState(form=_first_form, done=_asked),
        "results": Ask(prompt=_results, on=_on_results),
        "filters": FormState(form=sf.FILTER_FORM, done=_filtered),
        "sort": Ask(prompt=_sort_prompt, on=_on_sort),
        "save": Ask(prompt=_save_prompt, on=_on_save),
        "view": Ask(prompt=view_prompt, on=_on_view),
    },
)


async def _search_now(ctx: Ctx) -> Next | None:
    """`/search pellets riga` searches at once."""
    state = Searching.of(ctx)
    if state.q:  # a saved search, run again
        return Next(state="results", remember=False)
    text = state.args.strip()
    if not text:
        return None
    return await _asked(ctx, {"text": text[:200]})


search.on_start = _search_now
