"""A consultant's promotions, on plain values (no database): the packages and what each costs,
who may be featured where, the payment reference that names a promotion bought, and where the
featured consultants stand on the directory's pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from core.errors import DomainError
from core.i18n import _
from core.money.model import Money

PACKAGES = (7, 30)  # days a promotion runs for
PRICES = {7: "19.00", 30: "59.00"}  # what each package costs, in EUR (charged through the money layer)
CURRENCY = "EUR"


def price(days: int) -> Money:
    """What featuring for `days` costs."""
    return Money.parse(PRICES[days], CURRENCY)


def check_package(days: int) -> None:
    """A promotion runs for one of the PACKAGES' days."""
    if days not in PACKAGES:
        raise DomainError(_("A promotion runs {days} days.", days=" or ".join(map(str, PACKAGES))))


def check_featured_in(category: str, own_categories: Iterable[str]) -> None:
    """A consultant is featured only in a category of their own expertise."""
    if category not in set(own_categories):
        raise DomainError(_("A consultant is featured only in a field of their own expertise."))


def check_may_buy(live: bool) -> None:
    """A consultant buys a promotion once live in the directory (where it would show)."""
    if not live:
        raise DomainError(_("Go live in the directory first; then you can be featured."))


def ends_at(starts_at: datetime, days: int) -> datetime:
    """A promotion features its consultant until this moment (not at it)."""
    return starts_at + timedelta(days=days)


def reference(consultant_id: int, category: str, days: int, at: datetime) -> str:
    """The payment reference of a promotion asked for at `at` (a new one for each asking)."""
    return f"promotion:{consultant_id}:{category}:{days}:{int(at.timestamp())}"


def bought(reference: str) -> tuple[int, str, int] | None:
    """(consultant, category, days) a paid promotion's reference names, if it names one."""
    parts = reference.split(":")
    if len(parts) != 5 or parts[0] != "promotion" or not parts[1].isdigit() \
            or not parts[3].isdigit():
        return None
    return int(parts[1]), parts[2], int(parts[3])


FEATURED_PER_PAGE = 2


def directory_page(ordered: list[int], featured: list[int], page: int, per_page: int
                   ) -> tuple[list[int], list[int]]:
    """The ids of one page (counted from 0) and which of them are featured: each page opens
    with up to FEATURED_PER_PAGE featured consultants, in rank order, then the others; when the
    others run out the featured fill the page; everyone appears once."""
    rest = [i for i in ordered if i not in set(featured)]
    pages: list[tuple[list[int], list[int]]] = []
    f = r = 0
    while f < len(featured) or r < len(rest):
        top = featured[f:f + FEATURED_PER_PAGE]
        f += len(top)
        fill = rest[r:r + per_page - len(top)]
        r += len(fill)
        if len(top) + len(fill) < per_page and f < len(featured):  # the others ran out
            more = featured[f:f + per_page - len(top) - len(fill)]
            f += len(more)
            fill += more
        pages.append((top + fill, top))
        if len(pages) > page:
            break
    return pages[page] if page < len(pages) else ([], [])
