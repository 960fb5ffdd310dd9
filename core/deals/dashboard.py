"""A person's deals and open offers, each with the one next step it needs from them (the
`/deals` dashboard and the Slack App Home)."""

from __future__ import annotations

from dataclasses import dataclass

from core.deals.cards import quantity
from core.deals.deal_book import DealBook, deal_book_of
from core.deals.deals import payable, total
from core.deals.folder import DealFolder, folder_of
from core.deals.steps import MORE, possible_now
from core.deals.tables import Deal
from core.i18n import N_, _
from core.process.deals import BUYER, SELLER, DealState, state_words
from core.storage.uow import UnitOfWork

WAITING_ON_OTHERS = N_("nothing for you now")


@dataclass(frozen=True)
class DealRow:
    id: int
    title: str
    role: str
    status: str
    status_label: str  # in the reader's language
    total: str
    counterpart: str
    next_step: str  # what this person should do now, or WAITING_ON_OTHERS (in their language)


@dataclass(frozen=True)
class OfferRow:
    id: int
    title: str
    text: str  # “100 t at 220.00 EUR”
    yours: bool  # True: you made it and wait; False: it waits for your answer


async def my_deals(uow: UnitOfWork | DealBook, account_id: int, limit: int = 20
                   ) -> list[DealRow]:
    """This person's deals, newest first, with the next step each needs from them."""
    book = deal_book_of(uow)
    rows = await book.mine(account_id, limit)
    stars = await book.stars([deal.id for deal, __, __ in rows
                              if deal.status == DealState.COMPLETED], account_id)
    return [DealRow(deal.id, title, role := (BUYER if deal.buyer_id == account_id else SELLER),
                    deal.status, status_words(deal, stars.get(deal.id, {})),
                    str(payable(deal)),  # with any VAT fixed
                    name, next_step(deal, role, "given" in stars.get(deal.id, {})))
            for deal, title, name in rows]


def status_words(deal: Deal, stars: dict[str, int]) -> str:
    """Where a deal stands for this person; a completed one by its ratings: to give, awaited,
    or both given (then shown, no longer blind)."""
    if deal.status != DealState.COMPLETED or "given" not in stars:
        return state_words(deal.status, bool(deal.payment_days))
    if "got" not in stars:
        return _("completed — waiting for the other party's rating")
    return _("completed — you gave {given} ★, you got {got} ★", given=stars["given"],
             got=stars["got"])


def next_step(deal: Deal, role: str, rated: bool) -> str:
    """The one thing this party should do now: the first of their next steps (the card's
    rarer steps aside), or waiting on others."""
    steps = [t for t in possible_now(deal, role, rated) if t.name not in MORE]
    return _(steps[0].label) if steps else _(WAITING_ON_OTHERS)


async def open_offers(uow: UnitOfWork | DealFolder, account_id: int) -> list[OfferRow]:
    """Open offers this person made or must answer."""
    found = []
    for offer, title, unit in await folder_of(uow).open_offers(account_id, 20):
        mine = (offer.made_by == BUYER) == (offer.buyer_id == account_id)
        found.append(OfferRow(offer.id, title, _(
            "{quantity} at {total}", quantity=quantity(offer.quantity_milli, unit),
            total=total(offer)), mine))  # type: ignore[arg-type]
    return found
