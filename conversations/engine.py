"""The conversation engine: one inbound message in, neutral replies out, state in the database.

A message is routed once — to navigation (commands, menu buttons, back, cancel, stale presses)
or to the current state — and comes back as one `Next`, which `apply` carries out: move,
end, open another flow, then ask the question, with back and cancel buttons around it."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from conversations import navigation
from conversations.context import Ctx, Next, Services, copy_json
from conversations.flow import Entry, Flow, OneStepCommand
from conversations.menu import main_menu
from conversations.messages import (
    Button,
    Choice,
    Command,
    Envelope,
    FormErrors,
    FormReply,
    FormSubmission,
    Inbound,
    ListPage,
    Outbound,
    Outcome,
    Reply,
    action_button,
    go,
)
from conversations.registry import Registry
from conversations.sanitise import clean_envelope
from conversations.whereabouts import remember_error, whereabouts
from core import conversation_store
from core.accounts.member import find_member
from core.actions import Action, Intent
from core.conversation_store import ChatState
from core.errors import DomainError
from core.i18n import N_, Visitor, _
from core.locks import KeyedLocks
from core.money.reading import read_for, reading
from core.operators.roles import chat_roles
from core.operators.suspension import refusal
from core.storage.database import retry_if_disconnected
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)

# Kept in the conversation's data: the language a person chose in this chat (before registering,
# the only place it can be kept; after, the account's is read first).
LANGUAGE = "language"
# In a flow's data: when the flow ends, the flow it was opened over comes back (a detour, such as
# changing the language in the middle of registration, returns to the question it left).
RETURN_WHEN_DONE = "_return"

APOLOGY = N_("Sorry, something went wrong on our side. Your answers so far are safe — please try "
             "again.")
# On every error reply: ask a person, with where the error happened ("error") or where the
# person is ("" — after a crash the transaction was undone, so that is where it happened).
SUPPORT_HERE = Action(Intent.SUPPORT, N_("🆘 Support"), "error")
SUPPORT_NOW = Action(Intent.SUPPORT, N_("🆘 Support"))


class Engine:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], entries: Iterable[Entry],
                 services: Services | None = None) -> None:
        self._uow_factory = uow_factory
        self.registry = Registry(entries)
        self.services = services or Services()
        self._locks = KeyedLocks()
        self._answered = conversation_store.AnsweredMarks(uow_factory)

    async def handle(self, env: Envelope) -> Outcome:
        """Process one inbound message; never raises, always answers."""
        clean = clean_envelope(env)  # channels clean too; this keeps the engine safe by itself
        if clean is None:
            return Outcome(self._offer_support([Reply(
                _("I can't use that; please type or use the buttons."), kind="error")], SUPPORT_NOW))
        env = clean
        try:
            with reading(None):  # the turn's reader is known once their account is loaded
                return await self._locks.run((env.channel, env.user_key), lambda: (
                    retry_if_disconnected(lambda: self._handle(env))))
        except Exception:
            log.exception("update %s from %s:%s failed", env.event_id, env.channel, env.user_key)
            return Outcome(self._offer_support([Reply(_(APOLOGY), kind="error")], SUPPORT_NOW))

    async def home(self, env: Envelope) -> list[Outbound]:
        """A read-only overview for a channel's home screen: the home sections, then the menu."""
        with reading(None):
            return await self._home(env)

    async def reader_of(self, env: Envelope) -> Visitor | SimpleNamespace:
        """Whom a turn of `env` is written for (a channel's own words follow it): the account's
        language and country, else the language chosen in this chat or the app's."""
        async with self._uow_factory() as uow:
            member = await find_member(uow, env.channel, env.user_key)
            if member is not None:
                return SimpleNamespace(language=member.language, country=member.country)
            conv = await conversation_store.load(uow, env.channel, env.user_key, env.chat_id,
                                                 lock=False)  # not committed: only read
        return Visitor((conv.data or {}).get(LANGUAGE) or env.language)

    async def _home(self, env: Envelope) -> list[Outbound]:
        async with self._uow_factory() as uow:
            conv = await conversation_store.load(uow, env.channel, env.user_key, env.chat_id,
                                                 lock=False)
            ctx = await self._context(uow, env, conv)
            replies: list[Outbound] = []
            if ctx.account is not None:
                for section in self.services.home_sections:
                    found = await section(ctx)
                    if isinstance(found, str):
                        found = [Reply(found)] if found else []
                    replies += found
            replies.append(self.menu(ctx, conv))
        return replies

    async def _handle(self, env: Envelope) -> Outcome:
        async with self._uow_factory() as uow:
            event_id = str(env.event_id) if env.event_id else None
            if not await conversation_store.begin_update(uow, env.channel, env.user_key,
                                                         event_id):
                return await self._answer_again(uow, env)
            conv = await conversation_store.load(uow, env.channel, env.user_key, env.chat_id)
            ctx = await self._context(uow, env, conv)
            spoken = ctx.env.language
            if ctx.account is not None and ctx.account.suspended_at is not None:
                await uow.commit()  # the update is recorded; nothing else happens
                return Outcome([Reply(refusal(ctx.account), kind="error")])
            before = (conv.flow, conv.state)
            replies = await self.apply(ctx, conv, await self._route(ctx, conv, env.message))
            replies = self._support_on_errors(ctx, conv, before, replies)
            if not (replies and all(isinstance(r, FormErrors) for r in replies)):
                # Field errors leave the same form open (a Slack modal), so it stays current.
                conv.token = secrets.token_urlsafe(6)[:6]
            conv.version += 1
            _keep_language(conv, ctx, spoken)
            await _save(conv, ctx)
            await uow.commit()
        return Outcome(_stamp(replies, conv.token))

    async def answered(self, env: Envelope) -> None:
        """The channel has sent this update's answer: a retry of it is a plain duplicate, even
        if this worker dies now."""
        if env.event_id:
            await self._answered.mark(env.channel, str(env.event_id))

    async def _answer_again(self, uow: UnitOfWork, env: Envelope) -> Outcome:
        """An update seen before: nothing to do — unless the worker that handled it died before
        its answer was sent: then ask the current question again (once)."""
        if not await conversation_store.orphaned(uow, env.channel, str(env.event_id)):
            return Outcome(duplicate=True)
        conv = await conversation_store.load(uow, env.channel, env.user_key, env.chat_id)
        ctx = await self._context(uow, env, conv)
        replies = await self.prompt(ctx, conv)
        await _save(conv, ctx)
        await uow.commit()
        return Outcome(_stamp(replies, conv.token))

    async def _context(self, uow: UnitOfWork, env: Envelope, conv: ChatState) -> Ctx:
        account = await find_member(uow, env.channel, env.user_key)
        # A language chosen in this chat (/language) outranks the one the person's app names;
        # registration keeps `env.language` on the new account.
        chosen = (conv.data or {}).get(LANGUAGE)
        if isinstance(chosen, str) and chosen:
            env = replace(env, language=chosen)
        # Every amount and sentence this turn shows is in this person's format and language (a
        # newcomer's: their app's or their choice, until registration keeps it on the account).
        read_for(account or Visitor(env.language))
        roles = await chat_roles(uow, account) if account else set()
        data = copy_json((conv.data or {}).get("flow") or {})
        return Ctx(env=env, uow=uow, account=account, roles=roles, data=data,
                   services=self.services)

    # --- one message, one decision -----------------------------------------------------

    async def _route(self, ctx: Ctx, conv: ChatState, msg: Inbound) -> Next:
        reg = self.registry
        if isinstance(msg, Command):
            return navigation.command(reg, ctx, conv, msg)
        if isinstance(msg, Choice) and msg.data.startswith("@"):
            return navigation.global_action(reg, ctx, conv, msg.data[1:])
        if isinstance(msg, Choice | FormSubmission):
            token = msg.data.partition("|")[0] if isinstance(msg, Choice) else msg.token
            if not conv.flow or token != conv.token:
                return navigation.stale()
            if isinstance(msg, Choice):
                msg = Choice(msg.data.partition("|")[2])
                if msg.data in navigation.RESERVED:
                    return navigation.reserved(reg, ctx, conv, msg.data)
        if not conv.flow:
            return navigation.idle(reg, ctx, conv, msg)
        return await self._step(ctx, conv, msg)

    async def _step(self, ctx: Ctx, conv: ChatState, msg: Inbound) -> Next:
        """Hand the message to the current state; a broken rule re-asks, changing nothing."""
        state = self._state(conv)
        if state is None:  # a flow renamed or removed since this conversation was saved
            navigation.end(conv, ctx)
            return Next.end()
        try:
            return await self._guarded(ctx, lambda: state.answer(ctx, conv.state or "", msg))
        except DomainError as exc:
            if isinstance(msg, FormSubmission):
                return Next(state="", replies=[FormErrors(msg.form_id, {"_": str(exc)})],
                            reprompt=False)
            return Next.stay(self.refusal(exc))

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

    # --- carrying a decision out -------------------------------------------------------

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
            navigation.suspend(conv, ctx)

    # --- support from anywhere -----------------------------------------------------------

    def _support_on_errors(self, ctx: Ctx, conv: ChatState, before: tuple[str | None, str | None],
                           replies: list[Outbound]) -> list[Outbound]:
        """Error replies get a Support button; where the error happened is kept for it (the
        step still open, else the one the message was sent from)."""
        errors = [r for r in replies if isinstance(r, Reply) and r.kind == "error"]
        entry = self.registry.get(conv.flow or before[0])
        if not errors or (entry is not None and not entry.support_on_errors):
            return replies
        remember_error(self.registry, ctx, conv, before, errors[-1].text)
        return self._offer_support(replies, SUPPORT_HERE)

    def _offer_support(self, replies: list[Outbound], action: Action) -> list[Outbound]:
        """A “🆘 Support” row under each error reply, where a flow carries out support."""
        if self.registry.target(action.intent.value, action.arg) is None:
            return replies
        row = (action_button(action),)
        return [replace(r, buttons=(*r.buttons, row))
                if isinstance(r, Reply) and r.kind == "error" else r for r in replies]

    def _state(self, conv: ChatState) -> Any:
        flow = self.registry.flow(conv.flow)
        return flow.states.get(conv.state or "") if flow else None


# --- helpers ----------------------------------------------------------------------------


async def _save(conv: ChatState, ctx: Ctx) -> None:
    conv.data = {**(conv.data or {}), "flow": copy_json(ctx.data) if conv.flow else {}}
    conv.updated_at = ctx.uow.clock.now()
    await conversation_store.save(ctx.uow, conv)


def _keep_language(conv: ChatState, ctx: Ctx, before: str) -> None:
    """Remember a language chosen in this turn (a step set `ctx.env.language`) on the chat."""
    if ctx.env.language and ctx.env.language != before:
        conv.data = {**(conv.data or {}), LANGUAGE: ctx.env.language}


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


def _stamp(replies: list[Outbound], token: str) -> list[Outbound]:
    """Prefix flow buttons with the prompt token so a press on an old message is recognised."""

    def fix(rows: tuple[tuple[Button, ...], ...]) -> tuple[tuple[Button, ...], ...]:
        return tuple(
            tuple(b if b.data.startswith("@") or b.url else Button(b.label, f"{token}|{b.data}")
                  for b in row)
            for row in rows
        )

    out: list[Outbound] = []
    for reply in replies:
        if isinstance(reply, Reply | ListPage):
            reply = replace(reply, buttons=fix(reply.buttons))
        if isinstance(reply, ListPage):
            items = tuple(
                replace(i, button=fix(((i.button,),))[0][0]) if i.button else i for i in reply.items
            )
            reply = replace(reply, items=items)
        if isinstance(reply, FormReply):
            reply = replace(reply, token=token)
        out.append(reply)
    return out
