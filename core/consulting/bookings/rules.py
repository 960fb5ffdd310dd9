"""The booking policy: the join window of a “talk now” request, free cancellation up to a notice
and a late fee after it, what a no-show costs, how long “online now” lasts — and the same rules
as the sentence a booking card states up front."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from core.clock import local_time
from core.i18n import _, n_
from core.money.model import Money
from core.policy import BookingPolicy
from core.process.bookings import AUTHORISE_AHEAD, CONSULTANT_GRACE, SEEKER

ROOM_PREFIX = "Agora-"  # a generated room's name: this, then a random token


def meeting_room(base: str, token: str) -> str:
    """A room on the meeting server (`AGORA_MEETING_BASE`), named by a random token so nobody
    can guess it: `https://meet.jit.si/Agora-<token>`."""
    return f"{base.rstrip('/')}/{ROOM_PREFIX}{token}"


def meeting_link(own: str | None, base: str, token: str) -> str:
    """Where a booking's parties meet: the consultant's own link when they set one, else a
    room of its own on the meeting server."""
    return own.strip() if own and own.strip() else meeting_room(base, token)


def may_move(policy: BookingPolicy, starts_at: datetime | None, now: datetime) -> bool:
    """Whether the seeker may move a confirmed session to another free time by themselves:
    while cancelling it would still be free (after that, the consultant consents: a proposal)."""
    return starts_at is not None and not free_cancel_passed(policy, starts_at, now)


def share(amount: Money, percent: int) -> Money:
    """`percent` of an amount, rounded half up to the minor unit."""
    fraction = Decimal(percent).scaleb(-2)  # a percentage as a fraction: 50 → 0.50
    minor = (Decimal(amount.amount) * fraction).quantize(Decimal(1), ROUND_HALF_UP)
    return Money(int(minor), amount.currency)


def cancellation_fee(policy: BookingPolicy, amount: Money, starts_at: datetime, now: datetime,
                     by: str) -> Money:
    """What a cancellation costs the seeker: nothing when the consultant (or an admin) cancels
    or when it comes before the notice; the late fee after it."""
    if by != SEEKER or not free_cancel_passed(policy, starts_at, now):
        return Money(0, amount.currency)
    return share(amount, policy.late_fee_percent)


def no_show_fee(policy: BookingPolicy, amount: Money) -> Money:
    """What a consultant may charge a seeker who did not come."""
    return share(amount, policy.no_show_fee_percent)


def authorised_at_confirmation(starts_at: datetime | None, confirmed_at: datetime | None
                               ) -> bool:
    """The payment timing rule: the maximum is authorised at confirmation, unless the session
    was then more than AUTHORISE_AHEAD away (then 24 h before it)."""
    if starts_at is None or confirmed_at is None:
        return True
    return starts_at - confirmed_at <= AUTHORISE_AHEAD


def _cancelling(policy: BookingPolicy, late: Money, starts_at: datetime | None,
                zone: str | None, instant: bool) -> str:
    percent = policy.late_fee_percent
    if instant:
        return _("A “talk now” begins at once, so cancelling it once confirmed costs a "
                 "late-cancellation fee of {percent}% ({fee}).", percent=percent, fee=late)
    hours = int(policy.free_cancel.total_seconds() // 3600)
    if starts_at is None:
        return n_("Free cancellation up to {n} hour before the start; after that a "
                  "late-cancellation fee of {percent}% ({fee}).",
                  "Free cancellation up to {n} hours before the start; after that a "
                  "late-cancellation fee of {percent}% ({fee}).", hours, percent=percent, fee=late)
    until = local_time(starts_at - policy.free_cancel, zone)
    return n_("Free cancellation up to {n} hour before the start (until {until}); after that a "
              "late-cancellation fee of {percent}% ({fee}).",
              "Free cancellation up to {n} hours before the start (until {until}); after that a "
              "late-cancellation fee of {percent}% ({fee}).", hours, until=until, percent=percent,
              fee=late)


def free_cancel_passed(policy: BookingPolicy, starts_at: datetime, now: datetime) -> bool:
    """A time this close costs the late fee from the moment it is booked (as cancellation_fee)."""
    return starts_at - now < policy.free_cancel


def policy_text(policy: BookingPolicy, amount: Money, starts_at: datetime | None,
                zone: str | None, later: bool = False, instant: bool = False, *,
                free_minutes: int) -> str:
    """The policy as a booking card states it, with times in the reader's zone (`later`: a
    session booked more than five days ahead, authorised 24 h before on a saved card;
    `instant`: a “talk now”, which starts at once, so it has no free-cancellation window;
    `free_minutes`: what this session starts free, core.consulting.sessions.money)."""
    late, no_show = share(amount, policy.late_fee_percent), no_show_fee(policy, amount)
    grace = int(CONSULTANT_GRACE.total_seconds() // 60)
    held = (_("At most {amount}. Nothing is charged now; the session's maximum is authorised "
              "24 h before, on the card you save at booking; nothing is charged before the "
              "session.", amount=amount) if later
            else _("At most {amount}, held on the card once authorised; nothing is charged "
                   "before the session.", amount=amount))
    free = (_("The first {free_minutes} minutes are free, and ending by then costs nothing.",
              free_minutes=free_minutes) if free_minutes
            else _("The session is paid from its first minute."))
    absent = _("If the consultant has not joined {grace} minutes after the start, nothing is "
               "charged and you can rebook. If the seeker does not come, the consultant may charge "
               "{percent}% ({fee}). A consultant's cancellation is always free.", grace=grace,
               percent=policy.no_show_fee_percent, fee=no_show)
    return " ".join((held, free, _cancelling(policy, late, starts_at, zone, instant), absent))
