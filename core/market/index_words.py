"""The price indices in words, for every face (chat card and notice, site pages): a week's
value per tonne and per MWh, why a week is not published, the week itself and its change.
Amounts by `str(Money)` and figures by the presenter, in the current reader's conventions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.i18n import _, n_, present
from core.market.index_rules import Unpublished
from core.market.index_view import IndexView, IndexWeek


def week_words(monday: date) -> str:
    """“week of 16 Nov 2026”."""
    return _("week of {day}", day=present.day(monday))


def value_words(week: IndexWeek) -> str:
    """“€215.40/t · €44.88/MWh”, “€61.00/t (no energy figure)”, or why there is no number."""
    if week.per_t is None:
        return not_published(week.unpublished)
    if week.per_mwh is None:
        return _("{per_t}/t (per MWh not published: no energy figure)", per_t=str(week.per_t))
    return _("{per_t}/t · {per_mwh}/MWh", per_t=str(week.per_t), per_mwh=str(week.per_mwh))


def not_published(reason: Unpublished | None) -> str:
    if reason == Unpublished.NO_TRADES:
        return _("not published — no trades")
    return _("not published — too few parties")


def change_words(change: Decimal | None) -> str:
    """“+2.1 % on the week before”, or that there is no week before to compare."""
    if change is None:
        return _("no published week just before to compare")
    sign = "+" if change > 0 else ""
    return _("{change} on the week before", change=sign + present.share(change, places=1))


def volume_words(week: IndexWeek) -> str:
    """“1 234 t in 9 trades”."""
    return n_("{tonnes} in {n} trade", "{tonnes} in {n} trades", week.deals,
              tonnes=present.quantity(week.tonnes, "t"))


def weekly_notice(view: IndexView) -> str:
    """What a follower is told when a week is published."""
    latest = view.latest
    assert latest is not None  # told only of a published week
    return _("📈 {name}, {week}: {value}; {change}. {volume}.", name=view.index.name(),
             week=week_words(latest.week), value=value_words(latest),
             change=change_words(view.change), volume=volume_words(latest))
