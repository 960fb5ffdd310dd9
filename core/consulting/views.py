"""What a booking card and a consultant's profile page show, for the conversation layer: read
in one place, with the times in the reader's zone and the next steps as actions taken from the
booking process — so a card, a notice and the service never disagree about who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.actions import Action, ActionRows
from core.clock import local_time
from core.consulting.bookings import service as bookings
from core.consulting.bookings import slots
from core.consulting.bookings.changes import max_amount
from core.consulting.bookings.diary import Diary
from core.consulting.bookings.moves import authorised_later, role_of
from core.consulting.bookings.notices.parties import answer, view
from core.consulting.bookings.rules import free_cancel_passed, may_move, policy_text, share
from core.consulting.bookings.sql_diary import diary_of
from core.consulting.intents import ConsultingIntent
from core.consulting.packages import balances as package_balances
from core.consulting.packages import view as package_view
from core.consulting.profiles import service as profiles
from core.consulting.profiles.listing import listing_of
from core.consulting.profiles.taxonomy import label, language_name
from core.consulting.sessions import reviews
from core.consulting.sessions.from_booking import free_minutes_of
from core.consulting.sessions.lifecycle import ENDED
from core.consulting.sessions.logbook import Logbook
from core.consulting.sessions.sql_logbook import logbook_of
from core.consulting.sessions.tables import ConsultSession
from core.consulting.tables import Booking, ConsultantProfile
from core.deals.ratings.reputation import stars_text
from core.disclosure import public_text
from core.errors import NotFound
from core.i18n import N_, _
from core.process.bookings import BOOKING_PROCESS, MEETS, PARTY, SEEKER, STATE_LABELS, BookingState
from core.storage.uow import UnitOfWork

# How each step a person may take is offered: the answer's verb (None: not a button here).
VERBS = {"accept-request": "accept", "propose-times": "propose", "decline-request": "decline",
         "accept-proposal": None, "counter-times": "propose", "withdraw-request": "withdraw",
         "propose-reschedule": "reschedule-propose", "accept-reschedule": None,
         "decline-reschedule": "keep", "cancel": "cancel", "seeker-no-show": "no-show",
         "move": "move",
         "charge-no-show-fee": "charge-fee", "waive-no-show-fee": "waive-fee"}


@dataclass(frozen=True)
class BookingCard:
    booking_id: int
    role: str  # consultant | seeker | admin
    status: str
    status_text: str
    other_name: str
    starts: str | None  # in the reader's zone
    minutes: int
    amount: str  # the most it can cost
    policy: str
    proposals: list[tuple[int, str]]  # (proposal id, time in the reader's zone)
    steps: ActionRows
    topic: str | None = None  # what the seeker wants to discuss, as typed
    meeting_url: str | None = None  # where the parties meet: theirs alone (never an admin's)
    package: str | None = None  # drawn from a session package: its balance, instead of a hold


async def booking_card(uow: UnitOfWork, booking_id: int, actor_id: int) -> BookingCard:
    """A booking as its reader sees it (parties and admins only), read from the bookings'
    diary and the sessions' logbook of `uow` (a test's engine in memory may hold the fakes)."""
    diary = diary_of(uow)
    booking = await bookings.get(diary, booking_id, actor_id)
    role = await role_of(diary, booking, actor_id) or ""
    zone = await _reader_zone(diary, booking, actor_id)
    names = await diary.names({booking.seeker_id, booking.consultant_id})
    seeker = names.get(booking.seeker_id) or _("the seeker")
    consultant = names.get(booking.consultant_id) or _("the consultant")
    other = {booking.seeker_id: consultant, booking.consultant_id: seeker}.get(actor_id) or \
        _("{seeker} and {consultant}", seeker=seeker, consultant=consultant)
    times = [(t.id, local_time(t.starts_at, zone))
             for t in await bookings.proposals(diary, booking.id, actor_id)
             if booking.proposed_by and booking.status in (
                 BookingState.REQUESTED, BookingState.PROPOSED, BookingState.RESCHEDULE_PROPOSED)]
    policy, book = diary.policy(), logbook_of(uow)
    session = await book.of_booking(booking.id)
    return BookingCard(booking.id, role, booking.status, _(STATE_LABELS[booking.status]), other,
                       local_time(booking.starts_at, zone) if booking.starts_at else None,
                       booking.minutes, str(max_amount(booking)),
                       policy_text(policy, max_amount(booking), booking.starts_at,
                                   zone, authorised_later(booking), booking.kind == "instant",
                                   free_minutes=await free_minutes_of(book, booking)),
                       times, [*_join(booking, session, role),
                               *await _after(book, booking, session, actor_id),
                               *next_steps(booking, role, times, movable=may_move(
                                   policy, booking.starts_at, diary.now()))],
                       booking.topic, meeting_url(booking, role),
                       await _package_line(uow, booking))


async def _reader_zone(diary: Diary, booking: Booking, actor_id: int) -> str:
    """The reader's zone: the consultant's profile's, anyone else's own."""
    if actor_id == booking.consultant_id:
        return (await diary.profile(booking.consultant_id)).timezone
    return await diary.zone_of(actor_id)


async def _package_line(uow: UnitOfWork, booking: Booking) -> str | None:
    if booking.package_purchase_id is None:
        return None
    balance = await package_balances.balance(uow, booking.package_purchase_id, booking.seeker_id)
    hours = int(uow.policy.booking.free_cancel.total_seconds() // 3600)
    return package_view.prepaid_line(balance) + "\n" + package_view.prepaid_policy(hours)


def meeting_url(booking: Booking, role: str) -> str | None:
    """Where the booking's parties meet, for the two of them only, while it is still ahead."""
    return booking.meeting_url if role in PARTY and booking.status in MEETS else None


def _join(booking: Booking, session: ConsultSession | None, role: str) -> ActionRows:
    """Join, once the session is open — for the seeker only once it is authorised (a “talk
    now” seeker authorises first, from the Authorise notice)."""
    if booking.status not in (BookingState.STARTING, BookingState.IN_SESSION):
        return []
    if session is None or (role == SEEKER and not session.authorised_minor):
        return []
    return [[Action(ConsultingIntent.JOIN_SESSION, N_("▶ Join"), str(session.id))]]


async def _after(book: Logbook, booking: Booking, session: ConsultSession | None,
                 actor_id: int) -> ActionRows:
    """Once its session took place: the seeker's review, while they may still give it
    (core.consulting.sessions.reviews decides, as when it is given), and the recap — the
    seeker's to get, the consultant's notes to write."""
    if booking.status != BOOKING_PROCESS.transition("complete-session").target:
        return []  # its session did not take place (yet)
    if session is None or session.status not in ENDED:
        return []
    rows: ActionRows = []
    if await reviews.reviewable(book, session, actor_id):
        rows.append([Action(ConsultingIntent.REVIEW_SESSION, N_("⭐ Review the session"), str(session.id))])
    if actor_id == session.seeker_id:
        rows.append([Action(ConsultingIntent.SESSION_RECAP, N_("📄 Get the recap"), f"get:{session.id}")])
    elif actor_id == session.consultant_id:
        rows.append([Action(ConsultingIntent.SESSION_RECAP, N_("📝 Write recap notes"),
                            f"notes:{session.id}")])
    return rows


def next_steps(booking: Booking, role: str, times: list[tuple[int, str]], *,
               movable: bool = False) -> ActionRows:
    """The buttons of this reader now: the process's steps for their role, a button per
    proposed time they may choose, then the booking itself. `movable`: the seeker may still
    move it by themselves (`rules.may_move`)."""
    rows: ActionRows = []
    theirs = booking.proposed_by not in (None, role)
    if theirs and booking.status in (BookingState.REQUESTED, BookingState.PROPOSED):
        rows += [[answer("accept", booking.id, text, pid)] for pid, text in times]
    if theirs and booking.status == BookingState.RESCHEDULE_PROPOSED:
        rows += [[answer("reschedule", booking.id, text, pid)] for pid, text in times]
    for step in BOOKING_PROCESS.next_actions(booking.status, role):
        verb = VERBS.get(step.name)
        if verb is None or (verb == "accept" and booking.starts_at is None):
            continue
        if step.name == "seeker-no-show" and booking.consultant_joined_at is None:
            continue
        if step.name == "move" and (not movable or booking.kind == "instant"):
            continue
        rows.append([answer(verb, booking.id, step.label)])
    return [*rows, [view(booking.id, N_("📅 Open the booking"))]]


@dataclass(frozen=True)
class ConsultantView:
    consultant_id: int
    name: str
    headline: str
    bio: str
    expertise: list[str]
    keywords: list[str]
    languages: list[str]
    rate: str
    lengths: tuple[int, ...]
    rating: str  # “★ 4.0 from 1 review”, or “No reviews yet”
    ratings: int
    sessions: int
    online: bool
    photo_path: str | None
    slots: list[datetime]  # the next free starts, in the viewer's zone
    steps: ActionRows
    late: frozenset[datetime] = frozenset()  # slots already past free cancellation
    late_text: str = ""  # what cancelling one of those costs
    free_minutes: int = 0  # what a session booked now by the viewer starts free
    countries_served: tuple[str, ...] = ()  # where an inspector samples (ISO codes)


async def consultant_view(uow: UnitOfWork, consultant_id: int, viewer_id: int | None,
                          seeker_zone: str, days: int = 7, shown: int = 6) -> ConsultantView:
    """A live consultant's profile page (the consultant sees theirs live or not); a view by
    someone else counts for their running promotions. Read from the bookings' diary, the
    sessions' logbook and the directory's listing of `uow`."""
    diary = diary_of(uow)
    profile = await diary.profile(consultant_id)
    name = (await diary.names([consultant_id])).get(consultant_id)
    if name is None or (not profile.live and viewer_id != consultant_id):
        raise NotFound(_("That consultant is not in the directory."))
    if viewer_id != consultant_id:
        await listing_of(uow).viewed(consultant_id)
    length = min(profiles.lengths(profile))
    free = await slots.open_slots(diary, consultant_id, length, days, seeker_zone) \
        if profile.weekly_hours else []
    online = profiles.is_online(profile, diary.now())
    steps: ActionRows = []
    if viewer_id != consultant_id:
        view = ConsultingIntent.VIEW_CONSULTANT
        if online:
            steps.append([Action(view, N_("⚡ Talk now"), f"now:{consultant_id}")])
        steps.append([Action(view, N_("📅 Book a time"), f"book:{consultant_id}")])
        if await diary.offers_packages(consultant_id):
            steps.append([Action(ConsultingIntent.PACKAGES, N_("📦 Session packages"), str(consultant_id))])
    # Contact details stay in the session, as on the website and in deal threads: others see
    # the bio and headline masked (the consultant sees their own as written).
    told = (lambda text: text or "") if viewer_id == consultant_id else public_text
    return ConsultantView(
        consultant_id, name, told(profile.headline), told(profile.bio),
        [label(c) for c in profile.categories], list(profile.keywords),
        [language_name(c) for c in profile.languages], profiles.rate_text(profile),
        profiles.lengths(profile), stars_text(profile.stars_total, profile.ratings, "review"),
        profile.ratings, profile.sessions_completed, online, profile.photo_path,
        free[:shown], steps, *_late(diary, profile, free[:shown]),
        await logbook_of(uow).free_minutes(viewer_id, consultant_id),
        tuple(profile.countries_served or ()))


def _late(diary: Diary, profile: ConsultantProfile, free: list[datetime]
          ) -> tuple[frozenset[datetime], str]:
    """The slots booked too close for free cancellation, and what cancelling one costs."""
    policy, now = diary.policy(), diary.now()
    late = frozenset(s for s in free if free_cancel_passed(policy, s, now))
    fee = share(profiles.price_for(profile, min(profiles.lengths(profile))),
                policy.late_fee_percent)
    return late, _("⚠ Less than {hours} hours away: free cancellation has already passed for "
                   "these times; cancelling one costs a late-cancellation fee of {percent}% ({fee}).",
                   hours=int(policy.free_cancel.total_seconds() // 3600),
                   percent=policy.late_fee_percent, fee=fee)

