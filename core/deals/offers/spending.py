"""Company buyers' spending limits as the deal rules see them: whether a purchase (an offer,
a counter-offer, an acceptance or Buy now, in all its call-offs) needs an approver first, and
the guard that refuses one made without an approval (`refuse_above_limit`)."""

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
    return held_by(await seat_of(uow, buyer_id), total)


def held_by(seat: Seat | None, total: Money) -> Seat | None:
    """`seat` when a purchase of `total` must wait for an approver in it, else None; refused
    when the seat's role does not include buying."""
    if seat is None:
        return None
    if not seat.may("buy"):
        raise NotAllowed(_("Your role in {company} does not include buying; ask an admin.",
                           company=seat.company.name))
    return seat if needs_approval(seat.limit, total) else None


def refuse_above_limit(seat: Seat | None, total: Money, approved: bool) -> None:
    """Refuse a purchase of `total` above the limit of the buyer's `seat` unless an approver
    said yes."""
    holding = held_by(seat, total)
    if holding is not None and not approved:
        raise NotAllowed(_("That is above your spending limit of {limit}: it needs an "
                           "approver in {company} first.", limit=holding.limit,
                           company=holding.company.name))
