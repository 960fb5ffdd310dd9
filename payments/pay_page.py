"""What the pay page says a payment is for: the goods (quantity and listing) or the session, and
who is paid. Read for the page only; the amount and every rule stay the escrow's."""

from __future__ import annotations

from dataclasses import dataclass

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.clock import local_time
from core.consulting.bookings.moves import booking_of
from core.consulting.tables import Booking
from core.deals import cards, deals
from core.deals.tables import Deal
from core.deals.views import name_of
from core.i18n import N_, _
from core.money.model import described
from core.payments_port import EscrowView
from core.storage.uow import UnitOfWork

# A payment's or card request's state as its page says it.
STATE_WORDS = {"held": N_("held"), "released": N_("released"), "refunded": N_("refunded"),
               "paid": N_("paid"), "authorised": N_("authorised"), "saved": N_("saved"),
               "failed": N_("failed"), "void": N_("cancelled"), "settling": N_("settling"),
               "awaiting_payment": N_("awaiting payment"), "awaiting_method": N_("awaiting a card"),
               "awaiting_authorisation": N_("awaiting authorisation")}


async def payer(uow: UnitOfWork, payer_id: int) -> Account | None:
    """The account a pay page is written for."""
    return await uow.get(Account, payer_id)


@dataclass(frozen=True)
class Subject:
    what: str  # “100 t of “ENplus A1 wood pellets” (deal #12)”
    payee: str  # “Sam (Baltic Pellets)”; Agora itself for a platform charge


async def subject(uow: UnitOfWork, view: EscrowView) -> Subject:
    """The goods or session an escrow pays for, in the payer's words, and the payee's name."""
    payee = await name_of(uow, view.payee_id) if view.payee_id is not None else "Agora"
    return Subject(await _what(uow, view), payee)


async def _what(uow: UnitOfWork, view: EscrowView) -> str:
    said = described(view.reference)
    deal_id, booking_id = deals.deal_of(view.reference), booking_of(view.reference)
    if deal_id is not None and (deal := await uow.get(Deal, deal_id)) is not None:
        listing = await uow.get(Listing, deal.listing_id)
        if listing is not None:
            return _("{quantity} of “{title}” ({reference})",
                     quantity=cards.quantity(deal.quantity_milli, listing.unit),
                     title=listing.title, reference=said)
    if booking_id is not None and (booking := await uow.get(Booking, booking_id)):
        payer = await uow.get(Account, view.payer_id)
        if booking.starts_at:
            return _("a {minutes}-minute consulting session on {when} ({reference})",
                     minutes=booking.minutes, reference=said,
                     when=local_time(booking.starts_at, payer.timezone if payer else None))
        return _("a {minutes}-minute consulting session ({reference})", minutes=booking.minutes,
                 reference=said)
    return said
