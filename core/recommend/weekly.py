"""The weekly message of picks (Monday morning in each person's own zone, once a week), the
“Not interested” that is remembered for good, and the opt-out kept on the account."""

from __future__ import annotations

from functools import partial

from core.actions import Action, ActionRows
from core.catalog.intents import ListingIntent
from core.consulting.intents import ConsultingIntent
from core.i18n import _
from core.recommend.intents import PickIntent
from core.recommend.picks import Pick, recommend
from core.recommend.rules import declined_item, is_due, week_of
from core.recommend.sources import Composed, Sources
from core.recommend.sql_sources import sources_of
from core.storage.uow import UnitOfWork


async def send_weekly(uow: UnitOfWork | Sources) -> int:
    """Send this week's picks to everyone for whom it is Monday morning now and who has not
    opted out; each person at most once a week, however often or wherever this runs (run it
    hourly): the sources claim the person's week before anything is picked. Returns how many
    messages were written."""
    sources = sources_of(uow)
    now = sources.now()
    sent = 0
    for account_id, zone in await sources.subscribers():
        week, local = week_of(now, zone)
        if is_due(local) and await sources.weekly(account_id, week,
                                                  partial(_compose, sources, account_id)):
            sent += 1
    return sent


async def _compose(sources: Sources, account_id: int) -> Composed:
    """The person's picks now, and the message telling them (None: nothing to pick)."""
    picks = await recommend(sources, account_id)  # (its reasons in words, for the recipient)
    return [p.key for p in picks], message(picks, weekly=True) if picks else None


def message(picks: list[Pick], *, weekly: bool) -> tuple[str, ActionRows]:
    """The picks as text (each with its reasons) and rows of buttons: open it, Not interested;
    Stop these messages at the end."""
    head = _("✨ Picked for you this week") if weekly else _("✨ Picked for you")
    lines = [head]
    rows: ActionRows = []
    for n, pick in enumerate(picks, 1):
        icon = "📦" if pick.kind == "listing" else "🎓"
        why = "; ".join(pick.reasons)
        lines.append(_("{n}. {icon} {title}\n   because {why}", n=n, icon=icon, title=pick.title, why=why)
                     if why else f"{n}. {icon} {pick.title}")
        view = ListingIntent.VIEW_LISTING if pick.kind == "listing" else ConsultingIntent.VIEW_CONSULTANT
        rows.append([Action(view, _("{n}. Open {title}", n=n, title=pick.title[:24]), str(pick.item_id)),
                     Action(PickIntent.DECLINE_PICK, _("{n}. 🚫 Not interested", n=n), pick.key)])
    lines.append(_("Not for you? “Not interested” hides it for good."))
    if weekly:
        rows.append([Action(PickIntent.STOP_PICKS, _("🔕 Stop these messages"))])
    return "\n".join(lines), rows


async def decline(uow: UnitOfWork | Sources, account_id: int, key: str) -> bool:
    """Never recommend this listing or consultant (“listing:42”) to the person again; True if
    newly declined, False if it was already (or at the same moment elsewhere)."""
    kind, item_id = declined_item(key)
    return await sources_of(uow).decline(account_id, kind, item_id)


async def set_weekly(uow: UnitOfWork | Sources, account_id: int, on: bool) -> None:
    """Turn the weekly message on or off (also on the notification settings)."""
    await sources_of(uow).set_weekly(account_id, on)
