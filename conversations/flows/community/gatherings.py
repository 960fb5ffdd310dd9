"""Webinars and events in chat (`/events`): what is coming, times in the reader's own zone;
register for a webinar or answer going / maybe / not for an event, with a calendar invite;
the publisher (or an admin) adds a webinar's recording afterwards."""

from __future__ import annotations

from datetime import timedelta

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next
from conversations.messages import Button, Choice, FileReply, Inbound, Outbound, Reply, Text, rows
from core.clock import local_time
from core.i18n import N_, _, n_
from core.ids import parse_id
from core.learning import gatherings, invites
from core.learning.gatherings import GatheringCard
from core.learning.intents import LearningIntent
from core.learning.rules import ANSWERS, KINDS
from core.operators.roles import is_admin


def _zone(ctx: Ctx) -> str:
    return (ctx.account.timezone if ctx.account else None) or "UTC"


def _line(ctx: Ctx, c: GatheringCard) -> str:
    g = c.gathering
    where = g.place or _("online")
    counts = (n_("{n} going", "{n} going", c.going) if g.kind == "webinar"
              else _("{going} going, {maybe} maybe", going=c.going, maybe=c.maybe))
    mine = " · " + _("you: {answer}", answer=_(ANSWERS[c.mine])) if c.mine else ""
    return f"{_(KINDS[g.kind])} “{g.title}” — {local_time(g.starts_at, _zone(ctx))}, {where} " \
           f"({counts}){mine}"


class Attending(FlowState):
    """What /events keeps: the webinar or event open."""

    gathering_id: int


async def _start(ctx: Ctx) -> Next | None:
    """"" lists; `id` opens one; `rsvp:id:answer` answers from a notice."""
    arg = Attending.of(ctx).args.strip()
    if not arg:
        return None
    verb, __, rest = arg.partition(":")
    if verb == "rsvp":
        number_text, __, answer = rest.partition(":")
        number = parse_id(number_text)
        if number is None:
            return Next.end(Reply(_("Which one? Type /events to see them."), kind="error"))
        Attending.of(ctx).gathering_id = number
        return await _answer(ctx, answer)
    number = parse_id(arg)
    if number is None:
        return Next.end(Reply(_("Which one? Type /events to see them."), kind="error"))
    await gatherings.get(ctx.uow, number)
    Attending.of(ctx).gathering_id = number
    return Next(state="card", remember=False)


async def _list(ctx: Ctx) -> list[Outbound]:
    found = await gatherings.listed(ctx.uow, ctx.account_id)
    if not found:
        return [Reply(_("📅 No webinars or events are planned yet."), rows((_("✔ Done"), "done")))]
    buttons = tuple((Button(f"{KINDS[c.gathering.kind].split(' ')[0]} {c.gathering.title[:40]}",
                            f"g:{c.gathering.id}"),) for c in found)
    return [Reply(_("📅 Webinars and events (times in your zone):") + "\n\n"
                  + "\n".join(_line(ctx, c) for c in found),
                  (*buttons, (Button(_("✔ Done"), "done"),)))]


async def _on_list(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "done":
        return Next.end()
    if data.startswith("g:") and (number := parse_id(data[2:])) is not None:
        await gatherings.get(ctx.uow, number)
        Attending.of(ctx).gathering_id = number
        return Next(state="card")
    return Next.stay(Reply(_("Tap one to open it."), kind="error"))


async def _card(ctx: Ctx) -> list[Outbound]:
    c = await gatherings.card(ctx.uow, Attending.of(ctx).gathering_id, ctx.account_id)
    g = c.gathering
    over = g.starts_at + timedelta(minutes=g.minutes) <= ctx.uow.clock.now()
    text = [_line(ctx, c), n_("{n} minutes.", "{n} minutes.", g.minutes) if g.minutes < 600 else ""]
    if g.description:
        text.append(g.description)
    if g.recording_url:
        text.append(_("🎥 Recording: {url}", url=g.recording_url))
    elif g.kind == "webinar" and not over:
        text.append(_("The join link comes here at the start time to everyone registered; "
                      "reminders go 24 h and 15 min before."))
    buttons: list[tuple[str, str]] = []
    if not over:
        if g.kind == "webinar":
            buttons.append((_("✖ Cancel my registration"), "a:not") if c.mine == "going"
                           else (_("✅ Register"), "a:going"))
        else:
            buttons += [(_(label), f"a:{answer}") for answer, label in ANSWERS.items()
                        if answer != c.mine]
        if c.mine in ("going", "maybe"):
            buttons.append((_("📅 Calendar invite"), "ics"))
    if g.kind == "webinar" and g.starts_at <= ctx.uow.clock.now() and ctx.account_id and (
            ctx.account_id == g.publisher_id or await is_admin(ctx.uow, ctx.account_id)):
        buttons.append((_("🎥 Add the recording"), "recording"))
    return [Reply("\n\n".join(t for t in text if t),
                  (*rows(*buttons, per_row=2), *rows((_("◀ All"), "list"), per_row=1)))]


async def _answer(ctx: Ctx, answer: str) -> Next:
    g = await gatherings.rsvp(ctx.uow, ctx.account_id, Attending.of(ctx).gathering_id, answer)
    replies: list[Outbound] = []
    if answer == "not":
        replies.append(Reply(_("Noted — you're not on the list.") if g.kind == "webinar" else
                             _("Noted: not going.")))
    else:
        said = (_("✅ You're registered. Reminders come 24 h and 15 min before, and the join link "
                  "arrives here at the start.") if g.kind == "webinar" else
                _("Noted: {answer}. Reminders come 24 h and 15 min before.",
                  answer=_(ANSWERS[answer]).split(" ", 1)[1].lower()))
        replies += [Reply(said), await _invite(ctx)]
    return Next(state="card", remember=False, replies=replies)


async def _invite(ctx: Ctx) -> FileReply:
    assert ctx.account_id is not None
    name, data = await invites.invite(ctx.uow, Attending.of(ctx).gathering_id, ctx.account_id)
    return FileReply(name, data, "text/calendar", _("📅 Add it to your calendar"))


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    if data.startswith("a:"):
        return await _answer(ctx, data[2:])
    if data == "ics":
        return Next(state="", reprompt=False, replies=[await _invite(ctx)])
    if data == "recording":
        return Next(state="recording")
    if data == "list":
        return Next(state="list", remember=False)
    return Next.stay(Reply(_("Tap one of the buttons."), kind="error"))


async def _recording_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("The recording's link (https://…)? Everyone registered is told."))]


async def _on_recording(ctx: Ctx, msg: Inbound) -> Next:
    if not isinstance(msg, Text):
        return Next.stay(Reply(_("Please type the link."), kind="error"))
    await gatherings.add_recording(ctx.uow, ctx.account_id, Attending.of(ctx).gathering_id, msg.text)
    return Next(state="card", remember=False,
                replies=[Reply(_("🎥 Added; the registrants are told."))])


events_flow = Flow(
    name="events", title=N_("webinars and events"), first="list", on_start=_start,
    state_model=Attending,
    commands=("events", "webinars"), summary=N_("Webinars, trade shows and meetups: register"),
    menu=(MenuEntry(N_("📅 Events"), ("member",), 852, row="community"),),
    intents={LearningIntent.VIEW_GATHERING: "{arg}"},
    help=N_("Webinars, trade shows and meetups: times in your zone; register or answer going / "
            "maybe / not, with a calendar invite and reminders 24 h and 15 min before; a webinar's "
            "join link comes at the start and its recording afterwards."),
    states={"list": Ask(prompt=_list, on=_on_list),
            "card": Ask(prompt=_card, on=_on_card),
            "recording": Ask(prompt=_recording_prompt, on=_on_recording, cancel_to="card")},
)
