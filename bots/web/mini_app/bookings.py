"""The Mini App's bookings: a person's bookings and sessions (the chat's `/bookings`), and one
booking as its card reads in the chat — when, how long, where the two meet, the most it can
cost, the policy and where it stands. Its steps are taken in the chat (a deep link opens the
booking there); both screens draw from core's read models, so the parties alone see the link.
Here too: a consultant's free time requested from their calendar, which leaves in the person's
chat what the chat would have said."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.deps import ContainerDep
from bots.web.mini_app.actions import tell_chat
from bots.web.mini_app.auth import MemberDep, mini_app_person
from bots.web.mini_app.views import part
from conversations import confirmations
from conversations.flows.consulting.bookings import GROUPS
from core.consulting import views
from core.consulting.bookings import service as bookings
from core.consulting.bookings.agenda import agenda
from core.consulting.sessions.from_booking import free_minutes_of
from core.errors import DomainError, NotFound
from core.i18n import _
from core.ids import parse_id

router = APIRouter(prefix="/app/part", include_in_schema=False,
                   dependencies=[Depends(mini_app_person)])


@router.get("/bookings", response_class=HTMLResponse)
async def my_bookings(request: Request, container: ContainerDep, person: MemberDep) -> Response:
    """Every booking of the person, awaiting first, each with its next step (and, while the
    two are still to meet, where)."""
    async with container.uow() as uow:
        lines = await agenda(uow, person.account.id)
    groups = [(_(title), [b for b in lines if b.group == group])
              for group, title in GROUPS.items()]
    return part(request, "app/bookings.html", groups=[g for g in groups if g[1]])


@router.get("/bookings/{booking_id}", response_class=HTMLResponse)
async def booking(request: Request, container: ContainerDep, person: MemberDep,
                  booking_id: str) -> Response:
    """One booking as its reader sees it; anyone but its parties (and admins) finds nothing."""
    number = parse_id(booking_id)
    try:
        if number is None:
            raise NotFound(_("That booking doesn't exist."))
        async with container.uow() as uow:
            card = await views.booking_card(uow, number, person.account.id)
    except NotFound as exc:
        return part(request, "app/message.html", status_code=404, message=str(exc))
    return part(request, "app/booking.html", card=card,
                bot=container.settings.telegram_bot_username)


# --- a consultant's free time requested ---------------------------------------------------

@router.post("/consultants/{consultant_id}/book", response_class=HTMLResponse)
async def book(request: Request, container: ContainerDep, person: MemberDep,
               consultant_id: str) -> Response:
    """Request one free time from the calendar, with what to discuss if given."""
    posted = await request.form()
    number, starts = parse_id(consultant_id), str(posted.get("starts") or "")
    topic = str(posted.get("topic") or "").strip()[:300] or None
    when = _instant(starts)
    if number is None or when is None:
        return part(request, "app/message.html", status_code=400,
                    message=_("Tap a time, or propose other times."))
    try:
        async with container.uow() as uow:
            booking = await bookings.request_slot(uow, person.account.id, number, when, None,
                                                  topic)
            said = confirmations.booking_requested(booking.id,
                                                   await free_minutes_of(uow, booking),
                                                   booking.package_purchase_id is not None)
            await tell_chat(uow, person.account.id, said)
            await uow.commit()
    except DomainError as exc:
        return part(request, "app/message.html", status_code=400, message=str(exc))
    return part(request, "app/done.html", location="/app/consultants", said=said.text,
                view=None, more=None)


def _instant(posted: str) -> datetime | None:
    """A start posted as POSIX seconds, or None when it is not one a calendar can hold
    (core then checks it against the consultant's hours, notice, horizon and grid)."""
    if not posted.isdigit() or len(posted) > 12:
        return None
    try:
        return datetime.fromtimestamp(int(posted), UTC)
    except (OverflowError, OSError, ValueError):
        return None
