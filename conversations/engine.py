"""The conversation engine: one inbound message in, neutral replies out, state in the database.

A message is routed once — to navigation (commands, menu buttons, back, cancel, stale presses)
or to the current state — and comes back as one `Next`, which `apply` carries out: move,
end, open another flow, then ask the question, with back and cancel buttons around it.

Carrying a decision out is `conversations.next_steps`'s; the Support button on errors
`conversations.error_support`'s."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import replace
from types import SimpleNamespace

from conversations import navigation
from conversations.context import Ctx, Next, Services, copy_json
from conversations.error_support import SUPPORT_NOW, ErrorSupport
from conversations.flow import Entry, Flow
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
)
from conversations.next_steps import NextSteps
from conversations.registry import Registry
from conversations.sanitise import clean_envelope
from conversations.turn_store import Marks, SqlTurns, TurnStore
from core import conversation_store
from core.conversation_store import ChatState
from core.errors import DomainError
from core.i18n import N_, Visitor, _
from core.locks import KeyedLocks
from core.money.reading import read_for, reading
from core.operators.suspension import refusal
from core.storage.database import retry_if_disconnected
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)

# Kept in the conversation's data: the language a person chose in this chat (before registering,
# the only place it can be kept; after, the account's is read first).
LANGUAGE = "language"

APOLOGY = N_("Sorry, something went wrong on our side. Your answers so far are safe — please try "
             "again.")


class Engine(NextSteps, ErrorSupport):
    def __init__(self, uow_factory: Callable[[], UnitOfWork], entries: Iterable[Entry],
                 services: Services | None = None, *,
                 turns: Callable[[UnitOfWork], TurnStore] = SqlTurns,
                 marks: Marks | None = None) -> None:
        """`turns`: what a turn asks of storage, on the turn's unit of work (the database's,
        or the tests' memory); `marks`: where updates are marked answered."""
        self._uow_factory = uow_factory
        self._turns = turns
        self.registry = Registry(entries)
        self.services = services or Services()
        self._locks = KeyedLocks()
        self._answered = marks or conversation_store.AnsweredMarks(uow_factory)

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
            store = self._turns(uow)
            member = await store.member(env.channel, env.user_key)
            if member is not None:
                return SimpleNamespace(language=member.language, country=member.country)
            conv = await store.load(env.channel, env.user_key, env.chat_id,
                                    lock=False)  # not committed: only read
        return Visitor((conv.data or {}).get(LANGUAGE) or env.language)

    async def _home(self, env: Envelope) -> list[Outbound]:
        async with self._uow_factory() as uow:
            store = self._turns(uow)
            conv = await store.load(env.channel, env.user_key, env.chat_id, lock=False)
            ctx = await self._context(store, uow, env, conv)
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
            store = self._turns(uow)
            event_id = str(env.event_id) if env.event_id else None
            if not await store.begin(env.channel, env.user_key, event_id):
                return await self._answer_again(store, uow, env)
            conv = await store.load(env.channel, env.user_key, env.chat_id)
            ctx = await self._context(store, uow, env, conv)
            spoken = ctx.env.language
            if ctx.account is not None and ctx.account.suspended_at is not None:
                await uow.commit()  # the update is recorded; nothing else happens
                return Outcome([Reply(refusal(ctx.account), kind="error")])
            before = (conv.flow, conv.state)
            replies = await self.apply(ctx, conv, await self._decide(ctx, conv, env.message))
            if ctx.account is not None:
                for after in self.services.after_turn:
                    await after(ctx)
            replies = self._support_on_errors(ctx, conv, before, replies)
            if not (replies and all(isinstance(r, FormErrors) for r in replies)):
                # Field errors leave the same form open (a Slack modal), so it stays current.
                conv.token = secrets.token_urlsafe(6)[:6]
            conv.version += 1
            _keep_language(conv, ctx, spoken)
            await _save(store, conv, ctx, self.registry.flow(conv.flow))
            await uow.commit()
        return Outcome(_stamp(replies, conv.token))

    async def answered(self, env: Envelope) -> None:
        """The channel has sent this update's answer: a retry of it is a plain duplicate, even
        if this worker dies now."""
        if env.event_id:
            await self._answered.mark(env.channel, str(env.event_id))

    async def _answer_again(self, store: TurnStore, uow: UnitOfWork, env: Envelope) -> Outcome:
        """An update seen before: nothing to do — unless the worker that handled it died before
        its answer was sent: then ask the current question again (once)."""
        if not await store.orphaned(env.channel, str(env.event_id)):
            return Outcome(duplicate=True)
        conv = await store.load(env.channel, env.user_key, env.chat_id)
        ctx = await self._context(store, uow, env, conv)
        flow = self.registry.flow(conv.flow)
        if flow is not None and not flow.fits(ctx.data):
            navigation.end(conv, ctx)  # asked again next time, from the start
        replies = await self.prompt(ctx, conv)
        await _save(store, conv, ctx, self.registry.flow(conv.flow))
        await uow.commit()
        return Outcome(_stamp(replies, conv.token))

    async def _context(self, store: TurnStore, uow: UnitOfWork, env: Envelope,
                       conv: ChatState) -> Ctx:
        account = await store.member(env.channel, env.user_key)
        # A language chosen in this chat (/language) outranks the one the person's app names;
        # registration keeps `env.language` on the new account.
        chosen = (conv.data or {}).get(LANGUAGE)
        if isinstance(chosen, str) and chosen:
            env = replace(env, language=chosen)
        # Every amount and sentence this turn shows is in this person's format and language (a
        # newcomer's: their app's or their choice, until registration keeps it on the account).
        read_for(account or Visitor(env.language))
        roles = await store.roles(account) if account else set()
        data = copy_json((conv.data or {}).get("flow") or {})
        return Ctx(env=env, uow=uow, account=account, roles=roles, data=data,
                   services=self.services)

    # --- one message, one decision -----------------------------------------------------

    async def _decide(self, ctx: Ctx, conv: ChatState, msg: Inbound) -> Next:
        """Route the message, unless the open flow's saved state no longer fits the flow (saved
        by an older release): then the flow opens again, or a command typed is carried out."""
        flow = self.registry.flow(conv.flow)
        if flow is None or flow.fits(ctx.data):
            return await self._route(ctx, conv, msg)
        again = navigation.changed(flow, ctx.data)
        navigation.end(conv, ctx)
        return await self._route(ctx, conv, msg) if isinstance(msg, Command) else again

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


# --- helpers ----------------------------------------------------------------------------


async def _save(store: TurnStore, conv: ChatState, ctx: Ctx, flow: Flow | None) -> None:
    if flow is not None:
        flow.stamp(ctx.data)
    conv.data = {**(conv.data or {}), "flow": copy_json(ctx.data) if conv.flow else {}}
    conv.updated_at = ctx.uow.clock.now()
    await store.save(conv)


def _keep_language(conv: ChatState, ctx: Ctx, before: str) -> None:
    """Remember a language chosen in this turn (a step set `ctx.env.language`) on the chat."""
    if ctx.env.language and ctx.env.language != before:
        conv.data = {**(conv.data or {}), LANGUAGE: ctx.env.language}

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
