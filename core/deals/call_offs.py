"""A framework contract's schedule: how many call-offs, how often, and the date of each — the
same words on the offer card, in the frozen terms and on the contract card."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from core.errors import DomainError
from core.i18n import N_, _, n_
from core.indices.definitions import INDICES
from core.money.model import Money

# How often, as the offer form offers it and the cards say it (the frozen terms keep the English).
EVERY = {"week": N_("weekly"), "2weeks": N_("every 2 weeks"), "month": N_("monthly"),
         "quarter": N_("quarterly")}
MOST = 24  # call-offs in one contract
LEAST = 2


def check(call_offs: int | None, every: str | None) -> None:
    """A schedule both parties can agree: 2 to 24 call-offs at a known interval (or none)."""
    if call_offs is None:
        return
    if not LEAST <= call_offs <= MOST:
        raise DomainError(_("A contract has {least} to {most} call-offs.", least=LEAST, most=MOST))
    if every not in EVERY:
        raise DomainError(_("Choose how often: weekly, every 2 weeks, monthly or quarterly."))


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def date_of(first: date, every: str, number: int) -> date:
    """The date of call-off `number` (from 1): `every` times (number - 1) after the first."""
    steps = number - 1
    if every == "week":
        return first + timedelta(weeks=steps)
    if every == "2weeks":
        return first + timedelta(weeks=2 * steps)
    return _add_months(first, steps * (3 if every == "quarter" else 1))


def due_at(first: date, every: str, number: int) -> datetime:
    """When the system calls off `number`: the start of its date (UTC)."""
    return datetime.combine(date_of(first, every, number), time(0), tzinfo=UTC)


def words(call_offs: int, every: str) -> str:
    """“3 call-offs, monthly”."""
    return n_("{n} call-off, {every}", "{n} call-offs, {every}", call_offs,
              every=_(EVERY[every]) if every in EVERY else every)


def frozen(call_offs: int, every: str, first: date, each: Decimal, unit: str = ""
           ) -> dict[str, Any]:
    """The schedule as the frozen terms state it: count, interval, each and in all, the dates."""
    return {"call_offs": call_offs, "every": EVERY.get(every, every),
            "each": f"{each.normalize():f} {unit}".strip(),
            "in_all": f"{(each * call_offs).normalize():f} {unit}".strip(),
            "dates": [date_of(first, every, n).isoformat() for n in range(1, call_offs + 1)]}


# An indexed contract (its price follows one of Agora's price indices, core.indices): the
# index must be of the listing's product and currency, its unit the tonne the index is in.
def check_indexed(price_index: str | None, call_offs: int | None, product_type: str, unit: str,
                  currency: str) -> None:
    """An index only for a contract, on goods the index prices (its product, per tonne, its
    currency); none at all is always fine."""
    if not price_index:
        return
    index = INDICES.get(price_index)
    if index is None:
        raise DomainError(_("There is no such index."))
    if not call_offs:
        raise DomainError(_("Only a contract (call-offs) can be indexed."))
    if index.product_type != product_type or unit != "t" or currency != index.currency:
        raise DomainError(_("{index} does not price this listing's goods.",
                            index=index.name()))


def indexed_price(reference: Money | None, premium: Money, agreed: Money) -> Money:
    """A call-off's price per tonne: the index's value plus the premium; the agreed price when
    the index has published no week yet, or when the premium would take it to nothing."""
    if reference is None:
        return agreed
    price = reference + premium
    return price if price.amount > 0 else agreed


def index_words(price_index: str, premium: Money) -> str:
    """“indexed to Wood pellets ENplus A1, Baltic, FCA + €5.00/t”."""
    name = INDICES[price_index].name() if price_index in INDICES else price_index
    if premium.amount < 0:
        return _("indexed to {index} − {premium}/t", index=name, premium=str(-premium))
    return _("indexed to {index} + {premium}/t", index=name, premium=str(premium))


def frozen_index(price_index: str, premium: Money) -> str:
    """The price rule as the frozen terms state it (in English, as the schedule is)."""
    index = INDICES.get(price_index)
    name = f"{index.product_type} {index.grade or ''} {index.region} {index.basis}".split() \
        if index else [price_index]
    return (f"Agora price index {price_index} ({' '.join(name)}) plus a premium of "
            f"{premium.plain()} per tonne: each call-off is priced when it is made at the "
            "index's latest published week plus the premium; at the unit price above while the "
            "index has published none.")


def index_rule(price_index: str, premium: Money) -> str:
    """The rule on the offer's and the contract's card, in the reader's words."""
    return _("📈 Price {indexed}: each call-off at the index's latest published week (the "
             "price above until one is published).",
             indexed=index_words(price_index, premium))
