"""A live consultant session in chat: join, then everything typed or sent (texts, voice notes,
photos, files) is relayed to the other party with the visible clock; end (free in the first
minutes), extend, a call link; afterwards the seeker's review and the consultant's reply."""

from __future__ import annotations

from typing import Any

from conversations.fields import ChoiceField, TextField
from conversations.flow import Ask, Ctx, Flow, FlowState, FormState, Next
from conversations.flows.opening import STARS, quote_allowed, quote_field
from conversations.flows.uploads import stored_file
from conversations.forms import Form
from conversations.messages import Button, Choice, FileUpload, Inbound, Outbound, Reply, Text, go, rows
from core.consulting.intents import ConsultingIntent
from core.consulting.sessions import reviews
from core.consulting.sessions import service as sessions
from core.consulting.sessions.lifecycle import CLOSED, LIVE, SessionState
from core.consulting.sessions.notice_parts import elapsed, price_text
from core.consulting.sessions.notices import ended_text
from core.consulting.sessions.view import SessionView
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id


class InSession(FlowState):
    """What a session (its chat, or its review) keeps: the session, and whether the review
    step is the consultant's reply."""

    session_id: int
    reply: bool = False


async def _start(ctx: Ctx) -> Next | None:
    """`join:ID`, `end:ID`, `extend:ID:MINUTES` (from notices and the session's buttons)."""
    assert ctx.account is not None
    verb, __, rest = InSession.of(ctx).args.partition(":")
    number, __, minutes = rest.partition(":")
    session_id = parse_id(number)
    if verb not in ("join", "end", "extend") or session_id is None:
        return Next.end(Reply(_("Open a session from its notice or booking."), kind="error"))
    InSession.of(ctx).session_id = session_id
    if verb == "end":
        session = await _end(ctx, session_id)
        return Next.end(Reply(_ended(ctx, session), after(ctx, session)), menu=False)
    if verb == "extend":
        await sessions.extend(ctx.uow, session_id, ctx.account.id, int(minutes or 15))
        return Next.end(Reply(_("➕ Asked: authorise the extra time when the payment notice "
                                "comes; the session goes on meanwhile.")), menu=False)
    await sessions.join(ctx.uow, session_id, ctx.account.id)
    return None


async def _end(ctx: Ctx, session_id: int) -> SessionView:
    """End the session (a second tap ends nothing more) and read it as it ended."""
    assert ctx.account is not None
    await sessions.end(ctx.uow, session_id, ctx.account.id)
    return await sessions.seen(ctx.uow, session_id, ctx.account.id)


def _ended(ctx: Ctx, session: SessionView) -> str:
    return ended_text(session, ctx.account_id)


async def _chat_prompt(ctx: Ctx) -> list[Outbound]:
    session = await sessions.seen(ctx.uow, InSession.of(ctx).session_id, ctx.account_id)
    return [Reply(_status(ctx, session), _buttons(ctx, session))]


def _status(ctx: Ctx, session: SessionView) -> str:
    now = ctx.uow.clock.now()
    if session.status in CLOSED:
        return _ended(ctx, session) if session.status.startswith("ended") else _("This session is over.")
    if session.status == SessionState.WAITING:
        return _("⏳ Waiting for the other party to join ({price}). Type to write to them meanwhile.",
                 price=price_text(session))
    return _("🟢 In session — {elapsed} ({price}). Type, or send a voice note, photo or file: it goes "
             "to the other party.", elapsed=elapsed(session, now), price=price_text(session))


def after(ctx: Ctx, session: SessionView) -> tuple[tuple[Button, ...], ...]:
    """What an ended session offers: the recap (notes, or the PDF) and a review."""
    if not session.status.startswith("ended"):
        return rows((_("✔ Done"), "done"))
    if ctx.account_id == session.consultant_id:
        return rows((_("📝 Recap notes"), go("recap", "notes", session.id)), (_("✔ Done"), "done"))
    # Review names the session (a card's step, core.actions): it outlives the conversation.
    return rows((_("⭐ Review"), f"@do:{ConsultingIntent.REVIEW_SESSION.value}:{session.id}"),
                (_("📄 Get the recap"), go("recap", "get", session.id)), (_("✔ Done"), "done"),
                per_row=2)


def _buttons(ctx: Ctx, session: SessionView) -> tuple[tuple[Button, ...], ...]:
    if session.status in CLOSED:
        return after(ctx, session)
    options = []
    if session.status in LIVE:
        now = ctx.uow.clock.now()  # the free minutes end on time, before their timer has run
        free = session.status == SessionState.LIVE_FREE and (
            session.paid_from is None or now < session.paid_from)
        options.append((_("⏹ End now — free") if free else _("⏹ End the session"), "end"))
        if ctx.account_id == session.seeker_id and not free and not session.prepaid:
            options.append((_("➕ 15 more minutes"), "extend"))
    if ctx.account_id == session.consultant_id:
        options.append((_("📞 Share a call link"), "call"))
    return rows(*options, (_("⏸ Leave the chat (the session goes on)"), "leave"), per_row=2)


async def _on_chat(ctx: Ctx, msg: Inbound) -> Next:
    """Relay what is typed or sent; the buttons end, extend, share a call link or leave."""
    assert ctx.account is not None
    session_id, data = InSession.of(ctx).session_id, msg.data if isinstance(msg, Choice) else ""
    if data in ("leave", "done"):
        return Next.end(Reply(_("The session chat is closed here; rejoin from its notice.")))
    if data == "end":
        session = await _end(ctx, session_id)
        return Next.end(Reply(_ended(ctx, session), after(ctx, session)), menu=False)
    if data == "extend":
        await sessions.extend(ctx.uow, session_id, ctx.account.id, 15)
        return Next(state="", reprompt=False, replies=[Reply(
            _("➕ Asked for 15 more minutes: authorise them when the payment notice comes."))])
    if data == "call":
        await sessions.set_call_link(ctx.uow, session_id, ctx.account.id)
        return Next(state="", reprompt=False, replies=[Reply(_("📞 Call link sent; the chat "
                                                               "keeps time."))])
    if isinstance(msg, FileUpload):
        await sessions.post(ctx.uow, session_id, ctx.account.id, "", await stored_file(ctx, msg, voice=True))
    elif isinstance(msg, Text):
        await sessions.post(ctx.uow, session_id, ctx.account.id, msg.text)
    else:
        return Next.stay(Reply(_("Type a message or send a file."), kind="error"))
    session = await sessions.seen(ctx.uow, session_id, ctx.account.id)
    return Next(state="", reprompt=False,
                replies=[Reply(f"✓ {elapsed(session, ctx.uow.clock.now())}",
                               _buttons(ctx, session))])


session_flow = Flow(
    name="session", title=N_("a session"), first="chat", on_start=_start,
    state_model=InSession,
    intents={ConsultingIntent.JOIN_SESSION: "join:{arg}", ConsultingIntent.END_SESSION: "end:{arg}",
             ConsultingIntent.EXTEND_SESSION: "extend:{arg}"},
    help=N_("A live session: what you type or send goes to the other party, with the clock. The "
            "first minutes are free (when this pair still has them); ending then costs nothing."),
    states={"chat": Ask(prompt=_chat_prompt, on=_on_chat)},
)


async def _review_start(ctx: Ctx) -> Next | None:
    verb, __, number = InSession.of(ctx).args.rpartition(":")
    session_id = parse_id(number)
    if session_id is None:
        return Next.end(Reply(_("Review a session from its notice."), kind="error"))
    state = InSession.of(ctx)
    state.session_id, state.reply = session_id, verb == "reply"
    if verb == "reply":
        return Next(state="reply", remember=False)
    return None


def _review_form(ctx: Ctx) -> Form:
    return Form("session_review", N_("Review the session"), [
        ChoiceField("stars", N_("How was it"), choices=STARS),
        TextField("comment", N_("A comment (shown with your review)"), max_length=1000,
                  required=False, multiline=True), quote_field()], submit_label=N_("Send"))


async def _reviewed(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    await reviews.review(ctx.uow, InSession.of(ctx).session_id, ctx.account.id, int(values["stars"]),
                         values.get("comment"), quote_allowed(values))
    return Next.end(Reply(_("⭐ Thank you: your review is published.")))


def _reply_form(ctx: Ctx) -> Form:
    return Form("review_reply", N_("Reply to the review"), [TextField(
        "text", N_("Your reply (once, shown under the review)"), max_length=1000, multiline=True)],
        submit_label=N_("Reply"))


async def _replied(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    review_id = await reviews.of_session(ctx.uow, InSession.of(ctx).session_id, ctx.account.id)
    if review_id is None:
        raise DomainError(_("That session has no review to reply to."))
    await reviews.reply(ctx.uow, review_id, ctx.account.id, values["text"])
    return Next.end(Reply(_("↩ Your reply is published under the review.")))


review_flow = Flow(
    name="session_review", title=N_("a session review"), first="review", on_start=_review_start,
    state_model=InSession,
    intents={ConsultingIntent.REVIEW_SESSION: "{arg}"},
    help=N_("Rate a session 1–5 with a comment; the consultant may reply once."),
    states={"review": FormState(form=_review_form, done=_reviewed),
            "reply": FormState(form=_reply_form, done=_replied)},
)
