"""The weekly message of picks (Monday morning in each person's own zone, once a week), the
“Not interested” that is remembered for good, and the opt-out kept on the account."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.accounts import service as accounts
from core.accounts.tables import Account
from core.actions import Action, ActionRows
from core.catalog.intents import ListingIntent
from core.consulting.intents import ConsultingIntent
from core.i18n import _
from core.notifications.outbox import addressed_to, notify
from core.recommend.intents import PickIntent
from core.recommend.picks import Pick, recommend
from core.recommend.rules import declined_item, is_due, week_of
from core.recommend.tables import PickDeclined, WeeklyPicks
from core.storage.uow import UnitOfWork


async def send_weekly(uow: UnitOfWork) -> int:
    """Send this week's picks to everyone for whom it is Monday morning now and who has not
    opted out; each person at most once a week, however often or wherever this runs (run it
    hourly). Returns how many messages were written."""
    now = uow.clock.now()
    rows = await uow.session.execute(select(Account.id, Account.timezone)
                                     .where(Account.weekly_picks.is_(True)).order_by(Account.id))
    sent = 0
    for account_id, zone in rows.all():
        week, local = week_of(now, zone)
        if not is_due(local):
            continue
        try:
            async with uow.nested():
                if await _send_one(uow, account_id, week):
                    sent += 1
                await uow.flush()
        except IntegrityError:
            continue  # another worker (or an earlier run) has this person's week
    return sent


async def _send_one(uow: UnitOfWork, account_id: int, week: str) -> bool:
    claim = WeeklyPicks(account_id=account_id, week=week, items=[], created_at=uow.clock.now())
    uow.add(claim)
    await uow.session.flush()  # the claim first: a second sender stops here
    async with addressed_to(uow, account_id):
        picks = await recommend(uow, account_id)  # (its reasons in words, for the recipient)
        claim.items = [p.key for p in picks]
        if not picks:
            return False
        text, buttons = message(picks, weekly=True)
        await notify(uow, account_id, text, buttons=buttons, dedupe_key=f"picks:{account_id}:{week}")
    return True


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


async def decline(uow: UnitOfWork, account_id: int, key: str) -> bool:
    """Never recommend this listing or consultant (“listing:42”) to the person again; True if
    newly declined, False if it was already."""
    kind, item_id = declined_item(key)
    if await uow.get(PickDeclined, (account_id, kind, item_id)) is not None:
        return False
    try:
        async with uow.nested():
            uow.add(PickDeclined(account_id=account_id, kind=kind, item_id=item_id,
                                 created_at=uow.clock.now()))
            await uow.session.flush()
    except IntegrityError:
        return False  # declined at the same moment elsewhere
    return True


async def set_weekly(uow: UnitOfWork, account_id: int, on: bool) -> None:
    """Turn the weekly message on or off (also on the notification settings)."""
    await accounts.update_profile(uow, account_id, weekly_picks=on)


