"""What the seeker of a booking is told of its payment's steps, which are not transitions: the
ask to authorise the session's maximum (again, when a saved card was declined), to save a card
for a session days away, the card saved, and the maximum authorised on it 24 h before (the
consultant hears that too). Event handlers declared in core.consulting.wiring; each writes to
the outbox in the emitting transaction."""

from __future__ import annotations

from core.actions import Action
from core.clock import local_time
from core.consulting.bookings.moves import booking_of
from core.consulting.bookings.notices.parties import People, _amount, people, view
from core.consulting.events import AuthorisationOpened, AuthorisedOnSavedCard, CardRequested
from core.consulting.tables import Booking
from core.i18n import N_, _
from core.money.events import MethodSaved
from core.money.intents import MoneyIntent
from core.notifications.outbox import addressed_to, notify
from core.process.bookings import AUTHORISE_BEFORE, RELEASE_UNPAID_BEFORE
from core.storage.uow import UnitOfWork


def _authorise_text(booking: Booking, p: People, me: int, declined: str | None) -> str:
    """The ask to authorise (again, when the saved card was `declined`), and when it is needed:
    a “talk now” before joining; a scheduled session before the unpaid time is released."""
    amount, name = _amount(booking), p.names[booking.consultant_id]
    if booking.kind == "instant":
        if declined:
            return _("❌ The card you saved was declined ({reason}). Please authorise again: "
                     "authorise up to {amount} for your session with {name} now. Nothing is "
                     "charged now; once it is authorised you can join the session.",
                     reason=declined, amount=amount, name=name)
        return _("💳 Authorise up to {amount} for your session with {name} now. Nothing is "
                 "charged now; once it is authorised you can join the session.", amount=amount,
                 name=name)
    hours = int(RELEASE_UNPAID_BEFORE.total_seconds() // 3600)
    if declined:
        return _("❌ The card you saved was declined ({reason}). Please authorise again: "
                 "authorise up to {amount} for your session with {name} on {when}. Nothing is "
                 "charged now; if it is not authorised {hours} hours before, the time is "
                 "released.", reason=declined, amount=amount, name=name, when=p.when(me),
                 hours=hours)
    return _("💳 Authorise up to {amount} for your session with {name} on {when}. Nothing is "
             "charged now; if it is not authorised {hours} hours before, the time is released.",
             amount=amount, name=name, when=p.when(me), hours=hours)


async def on_authorisation_opened(uow: UnitOfWork, event: AuthorisationOpened) -> None:
    """The seeker authorises the maximum: nothing is charged now (asked again when the card
    saved at booking was declined)."""
    booking = await uow.get(Booking, event.booking_id)
    if booking is None or booking.starts_at is None:
        return
    me = booking.seeker_id
    async with addressed_to(uow, me):
        p = await people(uow, booking)
        declined = event.declined.rstrip(".") if event.declined else None
        await notify(uow, me, _authorise_text(booking, p, me, declined),
                     urgent=booking.kind == "instant" or bool(event.declined),
                     buttons=[[Action(MoneyIntent.PAY, N_("💳 Authorise"), str(event.escrow_id))],
                              [view(booking.id)]])


async def on_card_requested(uow: UnitOfWork, event: CardRequested) -> None:
    """A session more than five days away: the seeker saves a card now, nothing charged."""
    booking = await uow.get(Booking, event.booking_id)
    if booking is None or booking.starts_at is None:
        return
    me = booking.seeker_id
    async with addressed_to(uow, me):
        p = await people(uow, booking)
        at = local_time(booking.starts_at - AUTHORISE_BEFORE, p.zones[me])
        await notify(uow, me, _("💳 Save a card for your session with {name} on {when}. Nothing "
                                "is charged now; the session's maximum is authorised 24 h before, "
                                "on the card you save at booking: up to {amount} on {at}, and "
                                "nothing more is needed from you then. Without a saved card you "
                                "are asked to authorise it then.",
                                name=p.names[booking.consultant_id], when=p.when(me),
                                amount=_amount(booking), at=at),
                     buttons=[[Action(MoneyIntent.SAVE_CARD, N_("💳 Save a card"), str(event.saved_id))],
                              [view(booking.id)]])


async def on_method_saved(uow: UnitOfWork, event: MethodSaved) -> None:
    """The seeker saved the card for a booking: told when it will be used."""
    booking_id = booking_of(event.reference)
    booking = await uow.get(Booking, booking_id) if booking_id is not None else None
    if booking is None or booking.starts_at is None:
        return
    me = booking.seeker_id
    async with addressed_to(uow, me):
        p = await people(uow, booking)
        at = local_time(booking.starts_at - AUTHORISE_BEFORE, p.zones[me])
        values = {"name": p.names[booking.consultant_id], "when": p.when(me),
                  "amount": _amount(booking), "at": at}
        text = (_("✅ Card •••• {last4} saved for your session with {name} on {when}. Nothing is "
                  "charged now; up to {amount} is authorised on it on {at}.", last4=event.last4,
                  **values) if event.last4 else
                _("✅ Your card saved for your session with {name} on {when}. Nothing is "
                  "charged now; up to {amount} is authorised on it on {at}.", **values))
        await notify(uow, me, text, buttons=[[view(booking.id)]])


async def on_authorised_on_saved_card(uow: UnitOfWork, event: AuthorisedOnSavedCard) -> None:
    """24 h before: authorised on the saved card; both hear nothing more is needed."""
    booking = await uow.get(Booking, event.booking_id)
    if booking is None or booking.starts_at is None:
        return
    p = await people(uow, booking)
    seeker, consultant = booking.seeker_id, booking.consultant_id
    async with addressed_to(uow, seeker):
        await notify(uow, seeker, _("✅ Up to {amount} for your session with {name} on {when} is "
                                    "authorised on the card you saved. Nothing more is needed; "
                                    "nothing is charged before the session.",
                                    amount=_amount(booking), name=p.names[consultant],
                                    when=p.when(seeker)), buttons=[[view(booking.id)]])
    async with addressed_to(uow, consultant):
        await notify(uow, consultant, _("✅ {name}'s session on {when} is authorised. Nothing "
                                        "more is needed.", name=p.names[seeker],
                                        when=p.when(consultant)),
                     buttons=[[view(booking.id)]])
