"""What works everywhere: /start, /menu, /help, /cancel, back, resume, stale buttons, the menu."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from conversations import form_runner
from conversations.flow import Ctx, FormState, copy_json
from conversations.menu import COMING_SOON, main_menu
from conversations.messages import Button, Command, Inbound, Outbound, Reply
from core.storage.tables import Conversation

if TYPE_CHECKING:
    from conversations.engine import Engine

BACK, CANCEL, RESUME, RESTART = "^back", "^cancel", "^resume", "^restart"
RESERVED = {BACK, CANCEL, RESUME, RESTART}
DEEP_LINK = re.compile(r"[A-Za-z0-9_-]{1,64}")

GENERAL_HELP = (
    "Agora is a marketplace in chat.\n"
    "/menu — main menu · /profile — your profile · /link — connect another chat account\n"
    "/cancel — stop what you are doing · /help — this help\n"
    "Buttons: ◀ Back goes to the previous question; ✖ Cancel stops the current step."
)


def end(conv: Conversation, ctx: Ctx) -> None:
    conv.flow, conv.state, conv.history = None, None, []
    ctx.data.clear()


def menu(engine: Engine, ctx: Ctx, conv: Conversation) -> Reply:
    return main_menu(ctx, _suspended_title(engine, conv))


async def command(engine: Engine, ctx: Ctx, conv: Conversation, cmd: Command) -> list[Outbound]:
    name = cmd.name
    if name == "start":
        return await _start(engine, ctx, conv, cmd.args)
    if name == "menu":
        suspend(conv, ctx)
        return [menu(engine, ctx, conv)]
    if name == "help":
        return await _help(engine, ctx, conv)
    if name == "cancel":
        return await reserved(engine, ctx, conv, CANCEL)
    if name == "back":
        return await reserved(engine, ctx, conv, BACK)
    if name in engine.commands:
        return await engine.start(ctx, conv, engine.commands[name], {"args": cmd.args.strip()})
    where = _where(engine, conv)
    return [Reply(f"I don't know the command /{name[:30]}.{where} Type /help to see what I can do.",
                  kind="error"), *(await _reask(engine, ctx, conv))]


async def global_action(engine: Engine, ctx: Ctx, conv: Conversation, action: str
                        ) -> list[Outbound]:
    """Buttons that work from any message: menu entries and notification buttons."""
    verb, _, arg = action.partition(":")
    if verb == "menu":
        suspend(conv, ctx)
        return [menu(engine, ctx, conv)]
    flow, _, flow_arg = arg.partition(":")
    if verb == "go" and flow in engine.flows:
        # "@go:flow" or "@go:flow:arg" — e.g. a notification's "View offer 42" button.
        return await engine.start(ctx, conv, flow, {"args": flow_arg} if flow_arg else None)
    if verb == "soon":
        label = COMING_SOON.get(arg, "That feature")
        return [Reply(f"{label} isn't available yet — it is being built and will arrive in a "
                      "coming release. Nothing was lost.", kind="notice"), menu(engine, ctx, conv)]
    if verb == "resume":
        return await _resume(engine, ctx, conv)
    if verb == "help":
        return await _help(engine, ctx, conv)
    return await stale(engine, ctx, conv)


async def reserved(engine: Engine, ctx: Ctx, conv: Conversation, data: str) -> list[Outbound]:
    if data == CANCEL:
        title = _title(engine, conv)
        if conv.flow:
            end(conv, ctx)
            text = f"Cancelled {title}. Nothing from it was saved."
        else:
            _drop_suspended(conv)
            text = "There was nothing to cancel."
        return [Reply(text, kind="notice"), menu(engine, ctx, conv)]
    if data == BACK:
        return await _back(engine, ctx, conv)
    if data == RESUME:
        return await engine.prompt(ctx, conv)
    if data == RESTART and conv.flow:
        return await engine.start(ctx, conv, conv.flow)
    return await stale(engine, ctx, conv)


async def stale(engine: Engine, ctx: Ctx, conv: Conversation) -> list[Outbound]:
    note = Reply("That button is no longer active (it is from an earlier message, or it belongs "
                 "to someone else). Here is where you are now:", kind="notice")
    return [note, *(await _reask(engine, ctx, conv))]


async def idle(engine: Engine, ctx: Ctx, conv: Conversation, msg: Inbound) -> list[Outbound]:
    """A message outside any flow: newcomers are invited to register, others get the menu."""
    if ctx.account is None:
        if _suspended(conv):
            return await _resume(engine, ctx, conv)
        return await engine.start(ctx, conv, "registration")
    return [Reply("I didn't catch that. Choose from the menu, or type /help."),
            menu(engine, ctx, conv)]


def suspend(conv: Conversation, ctx: Ctx) -> None:
    """Park the current flow so the menu can offer “continue where you left off”."""
    if not conv.flow:
        return
    data = dict(conv.data or {})
    data["suspended"] = {"flow": conv.flow, "state": conv.state, "history": conv.history,
                         "data": copy_json(ctx.data)}
    conv.data = data
    conv.flow, conv.state, conv.history = None, None, []
    ctx.data.clear()


def _suspended(conv: Conversation) -> dict[str, Any] | None:
    return (conv.data or {}).get("suspended")


def _drop_suspended(conv: Conversation) -> None:
    data = dict(conv.data or {})
    data.pop("suspended", None)
    conv.data = data


def _suspended_title(engine: Engine, conv: Conversation) -> str | None:
    parked = _suspended(conv)
    flow = engine.flows.get(parked["flow"]) if parked else None
    return flow.title if flow else None


async def _resume(engine: Engine, ctx: Ctx, conv: Conversation) -> list[Outbound]:
    parked = _suspended(conv)
    if not parked or parked["flow"] not in engine.flows:
        return [Reply("There is nothing to continue.", kind="notice"), menu(engine, ctx, conv)]
    if conv.flow:
        suspend(conv, ctx)
    _drop_suspended(conv)
    conv.flow, conv.state, conv.history = parked["flow"], parked["state"], parked["history"]
    ctx.data.clear()
    ctx.data.update(parked["data"])
    return [Reply(f"Welcome back — continuing {_title(engine, conv)}."),
            *(await engine.prompt(ctx, conv))]


def deep_link(engine: Engine, payload: str) -> tuple[str, dict[str, Any] | None] | None:
    """The flow a `/start` payload opens: `<flow>` or `go_<flow>`, or `<flow>-<arg>` (e.g.
    `view-42`) giving the flow {"args": arg}; `<flow>` may also be a command's name.
    Telegram allows A-Za-z0-9_- and at most 64 characters; anything else opens nothing."""
    payload = payload.strip()
    if not DEEP_LINK.fullmatch(payload):
        return None
    head, dash, arg = payload.removeprefix("go_").partition("-")
    name = head if head in engine.flows else engine.commands.get(head)
    if name is None or name == "registration":
        return None
    return name, ({"args": arg} if dash else None)


async def follow(engine: Engine, ctx: Ctx, conv: Conversation, payload: str) -> list[Outbound]:
    """Open what a deep link points at, or the menu when it points at nothing."""
    target = deep_link(engine, payload)
    if target is None:
        return [menu(engine, ctx, conv)]
    return await engine.start(ctx, conv, *target)


async def _start(engine: Engine, ctx: Ctx, conv: Conversation, payload: str) -> list[Outbound]:
    target = deep_link(engine, payload)
    if ctx.account is None:
        # The payload is kept as "ref" in registration's data; a link to a flow is followed
        # when onboarding ends (other payloads, e.g. a referral code, are only kept).
        ref = payload.strip() if DEEP_LINK.fullmatch(payload.strip()) else ""
        if conv.flow == "registration" or _suspended_flow(conv) == "registration":
            if target is not None:
                _keep_ref(conv, ctx, ref)
        elif not (conv.flow or _suspended(conv)):
            return await engine.start(ctx, conv, "registration", {"ref": ref})
    elif target is not None:
        return await engine.start(ctx, conv, *target)
    if conv.flow or _suspended(conv):
        suspend(conv, ctx)
        title = _suspended_title(engine, conv)
        return [Reply(f"Welcome back! You were in the middle of {title}.",
                      ((Button("↩ Continue where I left off", "@resume"),),
                       (Button("☰ Main menu", "@menu"),)))]
    return [menu(engine, ctx, conv)]


def _suspended_flow(conv: Conversation) -> str | None:
    parked = _suspended(conv)
    return parked["flow"] if parked else None


def _keep_ref(conv: Conversation, ctx: Ctx, ref: str) -> None:
    """A deep link followed mid-registration: remember it for the end of onboarding."""
    if conv.flow == "registration":
        ctx.data["ref"] = ref
        return
    data = copy_json(conv.data or {})
    data["suspended"]["data"]["ref"] = ref
    conv.data = data


async def _back(engine: Engine, ctx: Ctx, conv: Conversation) -> list[Outbound]:
    state = engine.state_of(conv)
    if isinstance(state, FormState) and not ctx.forms_at_once:
        if form_runner.step_back(ctx, conv.state or ""):
            return await engine.prompt(ctx, conv)
    if not conv.history:
        return [Reply("You are at the first question already.", kind="notice"),
                *(await engine.prompt(ctx, conv))]
    *earlier, previous = conv.history
    conv.history, conv.state = earlier, previous
    return await engine.prompt(ctx, conv)


async def _help(engine: Engine, ctx: Ctx, conv: Conversation) -> list[Outbound]:
    state = engine.state_of(conv)
    flow = engine.flow_of(conv)
    specific = (state.help if state else "") or (flow.help if flow else "")
    text = f"{specific}\n\n{GENERAL_HELP}" if specific else GENERAL_HELP
    return [Reply(text, kind="notice"), *(await _reask(engine, ctx, conv))]


async def _reask(engine: Engine, ctx: Ctx, conv: Conversation) -> list[Outbound]:
    if conv.flow:
        return await engine.prompt(ctx, conv)
    return [menu(engine, ctx, conv)]


def _title(engine: Engine, conv: Conversation) -> str:
    flow = engine.flow_of(conv)
    return flow.title if flow else "that"


def _where(engine: Engine, conv: Conversation) -> str:
    flow = engine.flow_of(conv)
    return f" You are in {flow.title}; answer the question below or type /cancel." if flow else ""
