"""Carrying out a step's decision (`Next`): move to the state it chose, end the flow or park it,
open another entry, come back to the flow a detour was opened over, then ask the next question
with back and cancel buttons around it. Every step runs in a savepoint (`_guarded`), so a broken
rule undoes its writes. The engine (`conversations.engine`) routes each message here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from conversations import navigation
from conversations.context import Ctx, Next, copy_json
from conversations.flow import Flow, OneStepCommand
from conversations.menu import main_menu
from conversations.messages import Button, Outbound, Reply, action_button, go
from conversations.registry import Registry
from conversations.whereabouts import whereabouts
from core.conversation_store import ChatState
from core.errors import DomainError
from core.i18n import _

# In a flow's data: when the flow ends, the flow it was opened over comes back (a detour, such as
# changing the language in the middle of registration, returns to the question it left).
RETURN_WHEN_DONE = "_return"


class NextSteps:
    """The engine's moves (`Engine` holds the registry)."""

    registry: Registry

    async def _guarded(self, ctx: Ctx, step: Callable[[], Any]) -> Any:
        """Run a step in a savepoint: a DomainError undoes its writes and its flow data."""
        savepoint = await ctx.uow.savepoint()
        snapshot, emitted = copy_json(ctx.data), len(ctx.uow.events)
        try:
            result = await step()
        except DomainError:
            await savepoint.rollback()
            del ctx.uow.events[emitted:]  # facts of the undone writes never happened
            ctx.data.clear()
            ctx.data.update(snapshot)
            raise
        await savepoint.commit()
        return result

    async def apply(self, ctx: Ctx, conv: ChatState, nxt: Next) -> list[Outbound]:
        """Move where a step chose, open what it asked for, and ask the next question."""
        replies = list(nxt.replies)
        returns = nxt.state is None and bool(ctx.data.get(RETURN_WHEN_DONE))
        if nxt.discard:
            replies.append(Reply(await self._discard(ctx, conv), kind="notice"))
        if nxt.park:
            self._put_aside(ctx, conv)
        if nxt.state is None:
            navigation.finish(conv, ctx, completed=not nxt.discard)
        elif nxt.state:
            if nxt.remember and conv.state:
                conv.history = [*conv.history, conv.state]
            conv.state = nxt.state
        target = (nxt.start, nxt.start_data) if nxt.start else None
        if nxt.follow and not target:
            target = self.registry.deep_link(nxt.follow)
        if target:
            return replies + await self.start(ctx, conv, *target)
        if returns and navigation.suspended(conv):
            return replies + await self.apply(ctx, conv, navigation.resume(self.registry, ctx, conv))
        if nxt.show_menu or (nxt.follow and nxt.state is None):
            return [*replies, self.menu(ctx, conv)]
        if nxt.state is None:
            return _with_a_way_on(replies)
        if not nxt.reprompt:
            return replies
        return replies + await self.prompt(ctx, conv)

    async def start(self, ctx: Ctx, conv: ChatState, name: str,
                    data: dict[str, Any] | None = None) -> list[Outbound]:
        """Open entry `name` (after a registration check), parking a different open flow."""
        entry = self.registry.get(name)
        if entry is None:
            return await self.apply(ctx, conv, navigation.stale())
        if entry.needs_account and ctx.account is None:
            return [Reply(_("Please register first — it takes a minute."),
                          ((Button(_("Register"), go("registration")),),))]
        found = whereabouts(self.registry, ctx, conv)
        if conv.flow and conv.flow != name:
            self._put_aside(ctx, conv)
        ctx.whereabouts = replace(found, resumable=navigation.suspended(conv) is not None)
        if isinstance(entry, OneStepCommand):
            return await self._run_one_step(ctx, conv, entry, data)
        assert isinstance(entry, Flow)
        conv.flow, conv.state, conv.history = name, entry.first, []
        ctx.data.clear()
        ctx.data.update(data or {})
        entry.stamp(ctx.data)
        if entry.on_start:
            try:
                nxt = await self._guarded(ctx, lambda: entry.on_start(ctx))  # type: ignore[misc]
            except DomainError as exc:
                nxt = Next.end(self.refusal(exc))
            if nxt is not None:
                return await self.apply(ctx, conv, nxt)
        return await self.prompt(ctx, conv)

    async def _run_one_step(self, ctx: Ctx, conv: ChatState, entry: OneStepCommand,
                            data: dict[str, Any] | None) -> list[Outbound]:
        """Answer at once; an open flow was parked by `start`, so nothing is lost."""
        ctx.data.clear()
        ctx.data.update(data or {})
        try:
            nxt = await self._guarded(ctx, lambda: entry.run(ctx))
        except DomainError as exc:
            nxt = Next.end(self.refusal(exc))
        ctx.data.clear()
        return await self.apply(ctx, conv, nxt if nxt.state is None else replace(nxt, state=None))

    async def prompt(self, ctx: Ctx, conv: ChatState) -> list[Outbound]:
        """The current question with back and cancel buttons, or the menu outside any flow."""
        state = self._state(conv)
        if state is None:
            navigation.end(conv, ctx)
            return [self.menu(ctx, conv)]
        key = conv.state or ""
        try:
            replies = await state.ask(ctx, key)
        except DomainError as exc:
            navigation.end(conv, ctx)
            return [self.refusal(exc), self.menu(ctx, conv)]
        return _with_navigation(replies, can_go_back=bool(conv.history) or state.in_progress(ctx, key))

    async def _discard(self, ctx: Ctx, conv: ChatState) -> str:
        """Undo what the flow saved, if it says how, and say truthfully what is left."""
        entry = self.registry.get(conv.flow)
        title = _(entry.title) if entry else _("that")
        if entry is None or entry.on_discard is None:
            return _("Cancelled {title}. Nothing from it was saved.", title=title)
        try:
            truth = await self._guarded(ctx, lambda: entry.on_discard(ctx))  # type: ignore[misc]
        except DomainError as exc:
            truth = str(exc)
        return _("Cancelled {title}. {what_is_left}", title=title, what_is_left=truth)

    def menu(self, ctx: Ctx, conv: ChatState) -> Reply:
        return main_menu(self.registry, ctx, navigation.suspended_title(self.registry, conv))

    def refusal(self, exc: DomainError) -> Reply:
        """A broken rule as a polite message, with the follow-ups core offered."""
        buttons = tuple((action_button(action),) for action in exc.actions)
        return Reply(str(exc), buttons, kind="error")

    def _put_aside(self, ctx: Ctx, conv: ChatState) -> None:
        """Park the open flow; a detour that does not park just ends, keeping the parked one."""
        entry = self.registry.get(conv.flow)
        if entry is not None and not entry.parks:
            navigation.end(conv, ctx)
        else:
            if isinstance(entry, Flow):
                entry.stamp(ctx.data)
            navigation.suspend(conv, ctx)

    def _state(self, conv: ChatState) -> Any:
        flow = self.registry.flow(conv.flow)
        return flow.states.get(conv.state or "") if flow else None


def _with_a_way_on(replies: list[Outbound]) -> list[Outbound]:
    """A flow that ended without the menu still leaves a button to go on with: no dead ends."""
    if any(getattr(r, "buttons", ()) for r in replies):
        return replies
    for index in range(len(replies) - 1, -1, -1):
        last = replies[index]
        if isinstance(last, Reply):
            replies[index] = replace(last, buttons=((Button(_("☰ Main menu"), "@menu"),),))
            return replies
    return [*replies, Reply(_("What next?"), ((Button(_("☰ Main menu"), "@menu"),),))]


def _with_navigation(replies: list[Outbound], can_go_back: bool) -> list[Outbound]:
    for index in range(len(replies) - 1, -1, -1):
        last = replies[index]
        if isinstance(last, Reply):
            nav = [Button(_("◀ Back"), navigation.BACK)] if can_go_back else []
            nav.append(Button(_("✖ Cancel"), navigation.CANCEL))
            replies[index] = replace(last, buttons=(*last.buttons, tuple(nav)))
            break
    return replies
