"""A booking in chat: its card (when, how long, where to meet, the most it can cost, the
cancellation policy up front, where it stands) with the steps of this reader, and the answers —
accept a time, decline, propose other times, withdraw, cancel, reschedule by consent, report a
no-show and charge or waive its fee."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, Next, OneStepCommand
from conversations.flows.consulting.booking_fields import times_form, to_times
from conversations.messages import Choice, Inbound, Outbound, Reply, action_button, go, rows
from core.consulting import views
from core.consulting.bookings import changes
from core.consulting.bookings import service as bookings
from core.consulting.bookings.notices.parties import meeting_line
from core.consulting.intents import ConsultingIntent
from core.errors import DomainError
from core.i18n import N_, _
from core.i18n.dates import shown
from core.ids import parse_id

SAID = {"accept": N_("✅ Confirmed. Both of you get a calendar invite and reminders."),
        "decline": N_("✖ Declined; the seeker is told."),
        "withdraw": N_("↩ Request withdrawn."),
        "cancel": N_("✖ Cancelled; the other party is told (any fee is as the policy says)."),
        "reschedule": N_("✅ New time agreed; the invite is updated."),
        "keep": N_("The booked time stays."),
        "no-show": N_("Recorded: the seeker did not come."),
        "charge-fee": N_("💶 The no-show fee is charged; the seeker is told."),
        "waive-fee": N_("The fee is waived and the authorisation voided; the seeker is told.")}
NEEDS_TIMES = {"propose": "propose", "reschedule-propose": "reschedule"}
MOVE_SHOWN = 8  # free times offered to move a session to


class AnsweringBooking(FlowState):
    """What answering a booking keeps: the booking, and the answer being given."""

    booking_id: int
    verb: str  # a key of SAID or NEEDS_TIMES, "move", or "reschedule-propose"


async def booking_text(ctx: Ctx, booking_id: int) -> Reply:
    card = await views.booking_card(ctx.uow, booking_id, ctx.account_id or 0)
    lines = [_("📅 Booking #{id} with {name}", id=card.booking_id, name=card.other_name),
             _("Status: {status}", status=card.status_text),
             (_("When: {starts} · {minutes} min", starts=card.starts, minutes=card.minutes)
              if card.starts
              else _("{minutes} min, time not agreed yet", minutes=card.minutes)),
             *([card.package] if card.package else
               [_("At most: {amount}", amount=card.amount), card.policy])]
    if card.meeting_url:  # the two parties' alone
        lines.insert(3, meeting_line(card.meeting_url))
    if card.topic:
        lines.insert(1, _("Topic: {topic}", topic=card.topic))
    # Its buttons are its next steps, and nothing else: the card is shown, not a question
    # (no Done, no Cancel beside "Cancel the booking"); the last row opens this card.
    buttons = tuple(tuple(action_button(a) for a in row) for row in card.steps[:-1])
    return Reply("\n".join(lines), buttons)


async def _open(ctx: Ctx) -> Next:
    """The booking's card, from its notice, /bookings or a deep link."""
    booking_id = parse_id(FlowState.of(ctx).args)
    if booking_id is None:
        return Next.end(Reply(_("Open a booking from its notice."), kind="error"))
    return Next.end(await booking_text(ctx, booking_id), menu=False)


booking_flow = OneStepCommand(
    name="booking", title=N_("a booking"), run=_open,
    intents={ConsultingIntent.VIEW_BOOKING: "{arg}"},
    help=N_("A booking: when, the most it can cost, the cancellation policy, and your next steps."),
)


async def _answer_start(ctx: Ctx) -> Next | None:
    """`verb:booking[:proposal]` from a booking's buttons."""
    assert ctx.account is not None
    state = AnsweringBooking.of(ctx)
    verb, __, rest = state.args.partition(":")
    number, __, proposal = rest.partition(":")
    booking_id = parse_id(number)
    if booking_id is None or verb not in (*SAID, *NEEDS_TIMES, "move"):
        return Next.end(Reply(_("Answer a booking from its buttons."), kind="error"))
    state.booking_id, state.verb = booking_id, verb
    if verb in NEEDS_TIMES:
        await views.booking_card(ctx.uow, booking_id, ctx.account.id)  # theirs to see, or not
        return Next(state="times", remember=False)
    if verb == "move":
        return Next(state="move", remember=False)
    await _answer(ctx, verb, booking_id, parse_id(proposal) if proposal else None)
    if verb == "no-show":  # the card offers what comes next: charge the fee or waive it
        return Next.end(Reply(_(SAID[verb])), await booking_text(ctx, booking_id), menu=False)
    return Next.end(Reply(_(SAID[verb]), rows((_("📅 The booking"), go("booking", booking_id)))),
                    menu=False)


async def _answer(ctx: Ctx, verb: str, booking_id: int, proposal: int | None) -> None:
    me = ctx.account_id or 0
    if verb == "accept":
        await bookings.accept(ctx.uow, booking_id, me, proposal, ctx.services.calendars)
    elif verb == "decline":
        await bookings.decline(ctx.uow, booking_id, me)
    elif verb == "withdraw":
        await bookings.withdraw(ctx.uow, booking_id, me)
    elif verb == "cancel":
        await changes.cancel(ctx.uow, booking_id, me)
    elif verb in ("reschedule", "keep"):
        if verb == "reschedule" and proposal is None:
            raise DomainError(_("Choose one of the proposed times."))
        await changes.answer_reschedule(ctx.uow, booking_id, me, proposal, ctx.services.calendars)
    elif verb == "no-show":
        await changes.report_no_show(ctx.uow, booking_id, me)
    elif verb in ("charge-fee", "waive-fee"):
        await changes.decide_no_show_fee(ctx.uow, booking_id, me, charge=verb == "charge-fee")


def _times(ctx: Ctx) -> Any:
    return times_form(ctx.local_now().date())


async def _times_given(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    zone = ctx.account.timezone or "UTC"
    times, booking_id = to_times(values, zone), AnsweringBooking.of(ctx).booking_id
    if AnsweringBooking.of(ctx).verb == "propose":
        await bookings.propose_times(ctx.uow, booking_id, ctx.account.id, times)
    else:
        await changes.propose_reschedule(ctx.uow, booking_id, ctx.account.id, times)
    return Next.end(Reply(_("🕑 Times sent; the other party chooses one."),
                          rows((_("📅 The booking"), go("booking", booking_id)))), menu=False)


async def _move_prompt(ctx: Ctx) -> list[Outbound]:
    """The consultant's free times to move the session to, in the seeker's zone."""
    assert ctx.account is not None
    zone = ctx.account.timezone or "UTC"
    free = await changes.move_choices(ctx.uow, AnsweringBooking.of(ctx).booking_id, ctx.account.id, zone)
    options = [(shown(t, "MMMEdHm"), f"t:{int(t.timestamp())}") for t in free[:MOVE_SHOWN]]
    text = (_("📅 Move the session to one of these free times ({zone}):", zone=zone) if options
            else _("No other free time in the next two weeks: propose a new time instead."))
    return [Reply(text, rows(*options, (_("🕑 Propose a new time"), "propose"), per_row=2))]


async def _on_move(ctx: Ctx, msg: Inbound) -> Next:
    """A tapped time moves the session at once; or propose times for the consultant to choose."""
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    booking_id = AnsweringBooking.of(ctx).booking_id
    if data == "propose":
        AnsweringBooking.of(ctx).verb = "reschedule-propose"
        return Next(state="times")
    if not data.startswith("t:") or not data[2:].isdigit():
        return Next.stay(Reply(_("Tap a time, or propose a new time."), kind="error"))
    await changes.move(ctx.uow, booking_id, ctx.account.id,
                       datetime.fromtimestamp(int(data[2:]), UTC), ctx.services.calendars)
    return Next.end(Reply(_("✅ Moved; the consultant is told and the invite is updated."),
                          rows((_("📅 The booking"), go("booking", booking_id)))), menu=False)


booking_answer = Flow(
    name="booking_answer", title=N_("an answer to a booking"), first="times",
    state_model=AnsweringBooking,
    on_start=_answer_start, intents={ConsultingIntent.ANSWER_BOOKING: "{arg}"},
    help=N_("Answer a booking: accept, decline, propose times, cancel or reschedule."),
    states={"times": FormState(form=_times, done=_times_given),
            "move": Ask(prompt=_move_prompt, on=_on_move)},
)
