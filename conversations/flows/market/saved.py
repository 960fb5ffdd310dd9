"""Saved searches: list, run, switch instant/digest, delete; and the alerts' Unsubscribe."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next, OneStepCommand
from conversations.messages import Button, Choice, Inbound, ListItem, ListPage, Outbound, Reply, go, rows
from core.accounts.intents import AccountIntent
from core.catalog import alerts
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id


class Managing(FlowState):
    """What the saved searches keep: the one being managed."""

    saved_id: int


async def _list(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    searches = await alerts.saved_searches(ctx.uow, ctx.account.id)
    if not searches:
        return [Reply(_("No saved searches yet. Search, then tap “🔔 Save search”."),
                      rows((_("🔎 Search"), go("search")), (_("Done"), "done")))]
    items = tuple(ListItem(s.query.describe(),
                           _("at once") if s.mode == "instant" else _("daily digest"),
                           Button(_("Manage"), f"m:{s.id}")) for s in searches)
    return [ListPage(_("🔔 Saved searches"), items, 1, 1), Reply(_("Manage one, or Done."),
                                                             rows((_("Done"), "done")))]


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    """Open a saved search."""
    data = msg.data if isinstance(msg, Choice) else ""
    if data.startswith("m:") and (saved_id := parse_id(data[2:])):
        Managing.of(ctx).saved_id = saved_id
        return Next(state="manage")
    return Next.end()


async def _manage(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    try:
        search = await alerts.own_search(ctx.uow, ctx.account.id, Managing.of(ctx).saved_id)
    except DomainError as exc:
        return [Reply(str(exc), rows((_("◀ Saved searches"), "list")))]
    other = "digest" if search.mode == "instant" else "instant"
    label = _("Switch to daily digest") if other == "digest" else _("Switch to alerts at once")
    return [Reply(f"🔔 {search.query.describe()}",
                  rows((_("🔎 Run it"), "run"), (label, other), (_("🗑 Delete"), "delete"),
                       (_("◀ Saved searches"), "list"), per_row=2))]


async def _on_manage(ctx: Ctx, msg: Inbound) -> Next:
    """Run, switch mode or delete a saved search."""
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "list":
        return Next(state="list", remember=False)
    search = await alerts.own_search(ctx.uow, ctx.account.id, Managing.of(ctx).saved_id)
    if data == "run":
        return Next(state=None, start="search", start_data={"q": search.query.as_dict()})
    if data in ("instant", "digest"):
        await alerts.set_mode(ctx.uow, ctx.account.id, search.id, data)
        return Next.stay(Reply(_("Updated.")))
    if data == "delete":
        await alerts.unsubscribe(ctx.uow, ctx.account.id, search.id)
        return Next(state="list", replies=[Reply(_("Deleted."))], remember=False)
    return Next(state="list", remember=False)


saved = Flow(
    name="saved", title=N_("saved searches"), first="list", commands=("saved", "alerts"),
    state_model=Managing,
    summary=N_("Your saved searches and alerts"),
    menu=(MenuEntry(N_("🔔 Saved searches"), ("buyer",), 20),),
    help=N_("Searches you saved. Alerts come at once or in a daily digest; delete to stop them."),
    states={"list": Ask(prompt=_list, on=_on_list), "manage": Ask(prompt=_manage, on=_on_manage)},
)


async def _unsubscribe(ctx: Ctx) -> Next:
    """The Unsubscribe button on an alert."""
    saved_id = parse_id(FlowState.of(ctx).args)
    if saved_id is None or ctx.account is None:
        return Next.end()
    try:
        stopped = await alerts.unsubscribe(ctx.uow, ctx.account.id, saved_id)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"))
    what = stopped.query.describe()
    return Next.end(Reply(_("🔕 Unsubscribed: no more alerts for {what}.", what=what)))


unsubscribe = OneStepCommand(name="unsubscribe", title=N_("unsubscribing"), run=_unsubscribe,
                             intents={AccountIntent.UNSUBSCRIBE: "{arg}"})
