"""What works everywhere: /start, /menu, /help, /cancel, back, resume, stale buttons.

Each function decides and returns a `Next` (or changes only the conversation's own position,
as back and resume do); the engine carries it out. Nothing here asks a question itself."""

from __future__ import annotations

from typing import Any

from conversations.context import Ctx, Next, copy_json
from conversations.flow import Flow
from conversations.form_runner import answers_given
from conversations.menu import help_text
from conversations.messages import Button, Command, Inbound, Reply
from conversations.registry import DEEP_LINK, Registry
from core.conversation_store import ChatState
from core.i18n import N_, _, n_

BACK, CANCEL, RESUME, RESTART = "^back", "^cancel", "^resume", "^restart"
DISCARD, KEEP_DRAFT = "^discard", "^keepdraft"
# A flow's saved state that no longer fits the flow (`conversations.flow_state`).
CHANGED = N_("Agora was updated in the meantime, so {title} starts again from the beginning "
             "— sorry for the extra taps.")
RESERVED = {BACK, CANCEL, RESUME, RESTART, DISCARD, KEEP_DRAFT}
STALE = N_("That button is no longer active (it is from an earlier message, or it belongs to "
           "someone else). Here is where you are now:")


def command(reg: Registry, ctx: Ctx, conv: ChatState, cmd: Command) -> Next:
    """A typed command: navigation's own, or one that opens an entry."""
    name = cmd.name
    if name == "start":
        return _start(reg, ctx, conv, cmd.args)
    if name == "menu":
        return Next.menu()
    if name == "help":
        return help_for(reg, ctx, conv)
    if name in ("cancel", "back"):
        return reserved(reg, ctx, conv, CANCEL if name == "cancel" else BACK)
    if name in reg.commands:
        return Next(state="", start=reg.commands[name], start_data={"args": cmd.args.strip()})
    unknown = _("I don't know the command /{name}.", name=name[:30])
    return Next.stay(Reply(f"{unknown}{_where(reg, conv)} " + _("Type /help to see what I can do."),
                           kind="error"))


def global_action(reg: Registry, ctx: Ctx, conv: ChatState, action: str) -> Next:
    """Buttons that work from any message: menu entries, notification actions, help."""
    verb, __, arg = action.partition(":")
    head, __, rest = arg.partition(":")
    if verb == "menu":
        return Next.menu()
    if verb == "do" and (target := reg.target(head, rest)):
        return Next(state="", start=target[0], start_data=target[1])
    if verb == "go" and head in reg:
        # go(flow) or go(flow, arg) (conversations.messages): a menu entry, or a flow's own button.
        return Next(state="", start=head, start_data={"args": rest} if rest else None)
    if verb == "resume":
        return resume(reg, ctx, conv)
    if verb == "help":
        return help_for(reg, ctx, conv)
    return stale()


def reserved(reg: Registry, ctx: Ctx, conv: ChatState, data: str) -> Next:
    """Back, cancel, resume and restart: the buttons every question carries."""
    if data == CANCEL:
        return _cancel(reg, ctx, conv)
    if data == DISCARD and conv.flow:
        return Next(state=None, discard=True, show_menu=True)
    if data == KEEP_DRAFT and conv.flow:
        return Next.menu(Reply(_("Kept. Tap “↩ Continue: {title}” in the menu to pick up where you "
                                 "left off.", title=_title(reg, conv)), kind="notice"))
    if data == BACK:
        return _back(reg, ctx, conv)
    if data == RESUME:
        return Next.stay()
    if data == RESTART and conv.flow:
        return Next(state=None, start=conv.flow)
    return stale()


def _cancel(reg: Registry, ctx: Ctx, conv: ChatState) -> Next:
    """Cancel asks before it throws answers away; inside an edit it returns to where it began."""
    if not conv.flow:
        _drop_suspended(conv)
        return Next.end(Reply(_("There was nothing to cancel."), kind="notice"))
    flow = reg.flow(conv.flow)
    state = flow.states.get(conv.state or "") if flow else None
    if state is not None and state.cancel_to:
        ctx.data.get("_forms", {}).pop(conv.state, None)
        if state.cancel_to in conv.history:
            conv.history = conv.history[:len(conv.history) - conv.history[::-1].index(state.cancel_to) - 1]
        return Next(state=state.cancel_to, remember=False,
                    replies=[Reply(_("Edit cancelled — nothing changed."), kind="notice")])
    given = answers_given(ctx)
    if not given:
        return Next(state=None, discard=True, show_menu=True)
    return Next(state="", reprompt=False, replies=[Reply(
        n_("Discard {n} answer in {title}?", "Discard {n} answers in {title}?", given,
           title=_title(reg, conv)),
        ((Button(_("💾 Keep as draft"), KEEP_DRAFT),), (Button(_("🗑 Discard"), DISCARD),),
         (Button(_("↩ Continue"), RESUME),)))])


def stale() -> Next:
    return Next.stay(Reply(_(STALE), kind="notice"))


def idle(reg: Registry, ctx: Ctx, conv: ChatState, msg: Inbound) -> Next:
    """A message outside any flow: newcomers are invited to register, others get the menu."""
    if ctx.account is None:
        if suspended(conv):
            return resume(reg, ctx, conv)
        return Next(state="", start="registration")
    return Next(state="", replies=[Reply(_("I didn't catch that. Choose from the menu, or type /help."))],
                show_menu=True, reprompt=False)


def help_for(reg: Registry, ctx: Ctx, conv: ChatState) -> Next:
    """Help for the current step, then what can be typed anywhere."""
    flow = reg.flow(conv.flow)
    state = flow.states.get(conv.state or "") if flow else None
    specific = _((state.help if state else "") or (flow.help if flow else ""))
    general = help_text(reg, ctx.env.command_prefix)
    return Next.stay(Reply(f"{specific}\n\n{general}" if specific else general, kind="notice"))


# --- parking: “continue where you left off” ------------------------------------------------


def end(conv: ChatState, ctx: Ctx) -> None:
    conv.flow, conv.state, conv.history = None, None, []
    ctx.data.clear()


def finish(conv: ChatState, ctx: Ctx, completed: bool = True) -> None:
    """End the open flow; one `completed` also retires a parked copy of itself (the same flow
    for the same thing: settings saved, a payment made), so no “Continue” is left for it."""
    parked = suspended(conv)
    if completed and parked and conv.flow and parked["flow"] == conv.flow \
            and _args(parked["data"]) == _args(ctx.data):
        _drop_suspended(conv)
    end(conv, ctx)


def _args(data: dict[str, Any]) -> str:
    return str(data.get("args") or "")


def suspend(conv: ChatState, ctx: Ctx) -> None:
    """Park the current flow so the menu can offer “continue where you left off”."""
    if not conv.flow:
        return
    data = dict(conv.data or {})
    data["suspended"] = {"flow": conv.flow, "state": conv.state, "history": conv.history,
                         "data": copy_json(ctx.data)}
    conv.data = data
    end(conv, ctx)


def suspended(conv: ChatState) -> dict[str, Any] | None:
    return (conv.data or {}).get("suspended")


def suspended_title(reg: Registry, conv: ChatState) -> str | None:
    parked = suspended(conv)
    entry = reg.get(parked["flow"]) if parked else None
    return _(entry.title) if entry else None


def resume(reg: Registry, ctx: Ctx, conv: ChatState) -> Next:
    """Bring back the parked flow where it was."""
    parked = suspended(conv)
    if not parked or reg.flow(parked["flow"]) is None:
        return Next.end(Reply(_("There is nothing to continue."), kind="notice"))
    flow = reg.flow(parked["flow"])
    if flow is not None and not flow.fits(parked["data"]):
        _drop_suspended(conv)
        return changed(flow, parked["data"])
    end(conv, ctx)  # a flow open now gives way to the parked one
    _drop_suspended(conv)
    conv.flow, conv.state, conv.history = parked["flow"], parked["state"], parked["history"]
    ctx.data.clear()
    ctx.data.update(parked["data"])
    return Next.stay(Reply(_("Welcome back — continuing {title}.", title=_title(reg, conv))))


def changed(flow: Flow, data: dict[str, Any]) -> Next:
    """Saved data that no longer fits its flow (a newer release changed the flow's state):
    the flow opens again, on the same argument (the same listing, deal, consultant)."""
    args = _args(data)
    return Next(state=None, start=flow.name, start_data={"args": args} if args else None,
                replies=[Reply(_(CHANGED, title=_(flow.title)), kind="notice")])


def _drop_suspended(conv: ChatState) -> None:
    data = dict(conv.data or {})
    data.pop("suspended", None)
    conv.data = data


# --- /start and deep links ---------------------------------------------------------------


def _start(reg: Registry, ctx: Ctx, conv: ChatState, payload: str) -> Next:
    target = reg.deep_link(payload)
    if ctx.account is None:
        # The payload is kept as "ref" in registration's data; a link to a flow is followed
        # when onboarding ends (other payloads, e.g. a referral code, are only kept).
        ref = payload.strip() if DEEP_LINK.fullmatch(payload.strip()) else ""
        if conv.flow == "registration" or _suspended_flow(conv) == "registration":
            if target is not None:
                _keep_ref(conv, ctx, ref)
        elif not (conv.flow or suspended(conv)):
            return Next(state="", start="registration", start_data={"ref": ref})
    elif target is not None:
        return Next(state="", start=target[0], start_data=target[1])
    if conv.flow or suspended(conv):
        title = _title(reg, conv) if conv.flow else suspended_title(reg, conv)
        return Next(state="", park=True, reprompt=False, replies=[Reply(
            _("Welcome back! You were in the middle of {title}.", title=title),
            ((Button(_("↩ Continue where I left off"), "@resume"),),
             (Button(_("☰ Main menu"), "@menu"),)))])
    return Next.menu()


def _suspended_flow(conv: ChatState) -> str | None:
    parked = suspended(conv)
    return parked["flow"] if parked else None


def _keep_ref(conv: ChatState, ctx: Ctx, ref: str) -> None:
    """A deep link followed mid-registration: remember it for the end of onboarding."""
    if conv.flow == "registration":
        ctx.data["ref"] = ref
        return
    data = copy_json(conv.data or {})
    data["suspended"]["data"]["ref"] = ref
    conv.data = data


def _back(reg: Registry, ctx: Ctx, conv: ChatState) -> Next:
    flow = reg.flow(conv.flow)
    state = flow.states.get(conv.state or "") if flow else None
    if state is not None and state.back(ctx, conv.state or ""):
        return Next.stay()
    if not conv.history:
        return Next.stay(Reply(_("You are at the first question already."), kind="notice"))
    *earlier, previous = conv.history
    conv.history, conv.state = earlier, previous
    return Next.stay()


def _title(reg: Registry, conv: ChatState) -> str:
    entry = reg.get(conv.flow)
    return _(entry.title) if entry else _("that")


def _where(reg: Registry, conv: ChatState) -> str:
    entry = reg.get(conv.flow)
    return " " + _("You are in {title}; answer the question below or type /cancel.",
                   title=_(entry.title)) if entry else ""
