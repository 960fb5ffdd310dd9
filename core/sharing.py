"""What a person may share into a team's channel, as a read-only card: a published listing
(public already), or a deal they are a party to (its goods, quantity, price and where it
stands — for colleagues who follow the purchase). Anyone else's deal is not found."""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog.taxonomy import UNITS, product
from core.deals import cards
from core.deals.views import deal_view
from core.errors import NotFound
from core.i18n import N_, _, present
from core.ids import parse_id
from core.money.model import Money
from core.process.deals import STATE_LABELS
from core.public import listings as public
from core.storage.uow import UnitOfWork

NOTHING = N_("There is nothing to share there: open a listing or one of your deals and tap "
             "📣 Share.")


@dataclass(frozen=True)
class SharedCard:
    """A card to post where others read it: its words, the deep link that opens the object in
    Agora (each reader's own rights apply there), and its public page if it has one."""

    title: str
    lines: tuple[str, ...]
    open_payload: str  # "view-42", "deal-7"
    page: str = ""  # "/listings/42"


async def shared_card(uow: UnitOfWork, key: str, account_id: int | None) -> SharedCard:
    """The card of `key` ("listing:42", "deal:7") that `account_id` may share."""
    kind, __, number = key.partition(":")
    object_id = parse_id(number)
    if object_id is None or kind not in ("listing", "deal"):
        raise NotFound(_(NOTHING))
    if kind == "listing":
        return await _listing(uow, object_id)
    return await _deal(uow, object_id, account_id)


async def _listing(uow: UnitOfWork, listing_id: int) -> SharedCard:
    row = await public.published(uow, listing_id)
    unit = _(UNITS.get(row.unit, row.unit))
    price = _("{price} per {unit}", price=Money(row.price_minor, row.currency), unit=unit)
    lines = [f"{_(product(row.product_type).label)} · {price}",
             cards.quantity(row.quantity_milli, row.unit)]
    return SharedCard(row.title, tuple(lines), f"view-{listing_id}", f"/listings/{listing_id}")


async def _deal(uow: UnitOfWork, deal_id: int, account_id: int | None) -> SharedCard:
    view = await deal_view(uow, deal_id, account_id)  # NotFound for anyone but its parties
    if view.role not in ("buyer", "seller"):
        raise NotFound(_(NOTHING))
    deal = view.deal
    status = STATE_LABELS.get(deal.status)
    lines = [f"{present.quantity(deal.quantity, deal.unit)} × {deal.price} = {deal.total}",
             _("Status: {status}", status=_(status) if status else deal.status)]
    return SharedCard(_("🤝 Deal #{id}: {title}", id=deal.id, title=view.title), tuple(lines),
                      f"deal-{deal_id}")
