"""Flows as data: entry commands, states (questions or forms), and how each is offered — menu
entry, command summary, the intents it carries out. A command that asks nothing and answers at
once is a `OneStepCommand`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from conversations.context import Ctx, Next, Services, copy_json
from conversations.flow_state import FlowState
from conversations.form_runner import FormState
from conversations.messages import Inbound, Outbound
from core.actions import Intent

__all__ = ["Ask", "Ctx", "Entry", "Flow", "FlowState", "FormState", "MenuEntry", "Next", "OneStepCommand",
           "Services", "State", "copy_json"]

Step = Callable[[Ctx, Inbound], Awaitable[Next]]
Prompt = Callable[[Ctx], Awaitable[list[Outbound]]]


@dataclass
class Ask:
    """A state that shows `prompt` and hands the answer to `on`."""

    prompt: Prompt
    on: Step
    help: str = ""
    cancel_to: str = ""  # a sub-step (an edit): Cancel returns to this state instead of ending

    async def ask(self, ctx: Ctx, key: str) -> list[Outbound]:
        return await self.prompt(ctx)

    async def answer(self, ctx: Ctx, key: str, msg: Inbound) -> Next:
        return await self.on(ctx, msg)

    def back(self, ctx: Ctx, key: str) -> bool:
        return False

    def in_progress(self, ctx: Ctx, key: str) -> bool:
        return False


State = Ask | FormState


@dataclass(frozen=True)
class MenuEntry:
    """Where an entry sits in the main menu: for which roles ("member": anyone registered,
    "guest": not registered yet), in what order, and sharing a row with entries of the same
    `row` name; `when` hides it unless true for this user."""

    label: str
    roles: tuple[str, ...]
    order: int
    row: str = ""
    when: Callable[[Ctx], bool] | None = None


@dataclass(kw_only=True)
class Entry:
    """What flows and one-step commands share: names, how people reach them, help."""

    name: str
    title: str
    commands: tuple[str, ...] = ()
    summary: str = ""  # one line for command menus and /help; required with commands
    menu: tuple[MenuEntry, ...] = ()  # usually one; guests and members may see it differently
    # Intents carried out here, each with how its argument becomes this entry's "args".
    intents: dict[Intent, str] = field(default_factory=dict)
    needs_account: bool = True
    help: str = ""
    # Run when the person discards the flow: undoes what it saved (e.g. deletes its draft) and
    # says truthfully what is left; without it, nothing was saved.
    on_discard: Callable[[Ctx], Awaitable[str]] | None = None
    # Error replies of this entry carry a "🆘 Support" button (not in support's own flows).
    support_on_errors: bool = True
    # Put aside for “continue where you left off” when the person goes elsewhere. A short
    # detour (support) says False: it simply ends, so what was put aside before it stays.
    parks: bool = True


@dataclass(kw_only=True)
class Flow(Entry):
    """A conversation: questions (states) asked one after another."""

    states: dict[str, State]
    first: str
    on_start: Callable[[Ctx], Awaitable[Next | None]] | None = None
    # The typed state its steps read and write (`conversations.flow_state`); None: `ctx.data`.
    state_model: type[FlowState] | None = None

    def stamp(self, data: dict[str, Any]) -> None:
        """Mark data this release's steps wrote with the version of its state (a step may
        have cleared the mark: it is stamped again whenever the data is kept)."""
        if self.state_model is not None:
            self.state_model.stamp(data)

    def fits(self, data: dict[str, Any]) -> bool:
        """Whether saved data can carry on in this flow (brought to its version in place)."""
        return self.state_model is None or self.state_model.fit(data)


@dataclass(kw_only=True)
class OneStepCommand(Entry):
    """A command that answers at once and asks nothing (a wallet, a receipt, a one-tap choice)."""

    run: Callable[[Ctx], Awaitable[Next]]
