"""Company buyers' spending limits as the deal rules see them: whether a purchase (an offer,
a counter-offer, an acceptance or Buy now, in all its call-offs) needs an approver first, and
the guard that refuses one made without an approval."""

from __future__ import annotations

from decimal import Decimal

from core.companies.rules import needs_approval
from core.companies.seats import Seat, seat_of
from core.deals.rules import contract_total
from core.errors import NotAllowed
from core.i18n import _
from core.money.model import Money
from core.storage.uow import UnitOfWork


def commitment(price: Money, quantity: Decimal | int, call_offs: int | None) -> Money:
    """What a purchase commits the buyer to in all: each delivery's total, every call-off
    (`quantity` in the listing's unit, or in thousandths when an int)."""
    milli = quantity if isinstance(quantity, int) else int(quantity * 1000)
    return contract_total(price, milli, call_offs or 1)


async def holding_seat(uow: UnitOfWork, buyer_id: int, total: Money) -> Seat | None:
    """The buyer's company seat when this purchase must wait for an approver, else None."""
    seat = await seat_of(uow, buyer_id)
    if seat is None:
        return None
    if not seat.may("buy"):
        raise NotAllowed(_("Your role in {company} does not include buying; ask an admin.",
                           company=seat.company.name))
    return seat if needs_approval(seat.limit, total) else None


async def check_within_limit(uow: UnitOfWork, buyer_id: int, total: Money,
                             approved: bool) -> None:
    """Refuse a company buyer's purchase above her limit unless an approver said yes."""
    seat = await holding_seat(uow, buyer_id, total)
    if seat is not None and not approved:
        raise NotAllowed(_("That is above your spending limit of {limit}: it needs an "
                           "approver in {company} first.", limit=seat.limit,
                           company=seat.company.name))
