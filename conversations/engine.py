"""The conversation engine: one inbound message in, neutral replies out, state in the database."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from conversations import form_runner, navigation
from conversations.flow import Ask, Ctx, Flow, FormState, Next, copy_json
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
from core.accounts.service import ChannelIdentity, effective_roles, find_account
from core.catalog.catalog import Catalog
from core.catalog.media import FileFetcher, FileStore
from core.errors import DomainError
from core.locks import KeyedLocks
from core.money.ports import PaymentsPort
from core.storage.tables import Conversation, ProcessedUpdate
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on our side. Your answers so far are safe — please try again."


@dataclass
class Services:
    """What flows may use besides the unit of work; filled by the composition root."""

    admins: tuple[str, ...] = ()
    payments: PaymentsPort | None = None
    catalog: Catalog | None = None
    files: FileStore | None = None  # where uploaded photos and documents are kept
    fetchers: dict[str, FileFetcher] = field(default_factory=dict)  # per channel: file bytes
    # Sections of a channel's home screen (Slack App Home) for a registered user, in order.
    home_sections: list[Callable[[Ctx], Awaitable[str]]] = field(default_factory=list)


class Engine:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], flows: list[Flow],
                 services: Services | None = None) -> None:
        self._uow_factory = uow_factory
        self.flows = {flow.name: flow for flow in flows}
        self.commands = {cmd: flow.name for flow in flows for cmd in flow.commands}
        self.services = services or Services()
        self._locks = KeyedLocks()

    async def handle(self, env: Envelope) -> Outcome:
        """Process one inbound message; never raises, always answers."""
        try:
            return await self._locks.run((env.channel, env.user_key), lambda: self._handle(env))
        except Exception:
            log.exception("update %s from %s:%s failed", env.event_id, env.channel, env.user_key)
            return Outcome([Reply(APOLOGY, kind="error")])

    async def home(self, env: Envelope) -> list[Outbound]:
        """A read-only overview for a channel's home screen: the home sections, then the menu."""
        async with self._uow_factory() as uow:
            conv = await _conversation(uow, env, lock=False)
            ctx = await self._context(uow, env, conv)
            replies: list[Outbound] = []
            if ctx.account is not None:
                replies += [Reply(await section(ctx)) for section in self.services.home_sections]
            replies.append(navigation.menu(self, ctx, conv))
        return replies

    async def _handle(self, env: Envelope) -> Outcome:
        for attempt in range(3):
            try:
                return await self._handle_once(env)
            except IntegrityError:
                # Two first messages raced to create the conversation row; the loser retries.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _handle_once(self, env: Envelope) -> Outcome:
        async with self._uow_factory() as uow:
            if env.event_id and not await _first_time(uow, env):
                return Outcome(duplicate=True)
            conv = await _conversation(uow, env)
            ctx = await self._context(uow, env, conv)
            replies = await self._route(ctx, conv, env.message)
            if not (replies and all(isinstance(r, FormErrors) for r in replies)):
                # Field errors leave the same form open (a Slack modal), so it stays current.
                conv.token = secrets.token_urlsafe(6)[:6]
            _save(conv, ctx)
            conv.version += 1
            await uow.commit()
        edit = ctx.edit_in_place and len(replies) == 1 and isinstance(replies[0], Reply)
        return Outcome(_stamp(replies, conv.token), edit_in_place=edit)

    async def _context(self, uow: UnitOfWork, env: Envelope, conv: Conversation) -> Ctx:
        account = await find_account(uow, env.channel, env.user_key)
        who = ChannelIdentity(env.channel, env.user_key, env.chat_id)
        roles = effective_roles(account, who, list(self.services.admins)) if account else set()
        data = copy_json((conv.data or {}).get("flow") or {})
        return Ctx(env=env, uow=uow, account=account, roles=roles, data=data,
                   services=self.services)

    # --- routing ---------------------------------------------------------------------

    async def _route(self, ctx: Ctx, conv: Conversation, msg: Inbound) -> list[Outbound]:
        if isinstance(msg, Command):
            return await navigation.command(self, ctx, conv, msg)
        if isinstance(msg, Choice) and msg.data.startswith("@"):
            return await navigation.global_action(self, ctx, conv, msg.data[1:])
        if isinstance(msg, Choice | FormSubmission):
            token = msg.data.partition("|")[0] if isinstance(msg, Choice) else msg.token
            if not conv.flow or token != conv.token:
                return await navigation.stale(self, ctx, conv)
            if isinstance(msg, Choice):
                msg = Choice(msg.data.partition("|")[2])
                if msg.data in navigation.RESERVED:
                    return await navigation.reserved(self, ctx, conv, msg.data)
        if not conv.flow:
            return await navigation.idle(self, ctx, conv, msg)
        return await self.step(ctx, conv, msg)

    async def step(self, ctx: Ctx, conv: Conversation, msg: Inbound) -> list[Outbound]:
        """Hand the message to the current state; a broken rule re-asks, changing nothing."""
        state = self.flows[conv.flow].states[conv.state]  # type: ignore[index]
        savepoint = await ctx.uow.session.begin_nested()
        snapshot = copy_json(ctx.data)
        try:
            if isinstance(state, FormState):
                nxt = await form_runner.answer(ctx, conv.state, state, msg)  # type: ignore[arg-type]
            else:
                nxt = await state.on(ctx, msg)
            await savepoint.commit()
        except DomainError as exc:
            await savepoint.rollback()
            ctx.data.clear()
            ctx.data.update(snapshot)
            error: Outbound = Reply(str(exc), kind="error")
            if isinstance(msg, FormSubmission):
                error = FormErrors(msg.form_id, {"_": str(exc)})
                return [error]
            nxt = Next.stay(error)
        return await self.apply(ctx, conv, nxt)

    async def apply(self, ctx: Ctx, conv: Conversation, nxt: Next) -> list[Outbound]:
        """Move to the state a step chose and ask its question."""
        replies = list(nxt.replies)
        if nxt.state == "":
            if nxt.reprompt:
                replies += await self.prompt(ctx, conv)
            return replies
        if nxt.state is None:
            navigation.end(conv, ctx)
            if nxt.start:
                return replies + await self.start(ctx, conv, nxt.start, nxt.start_data)
            if nxt.follow:
                return replies + await navigation.follow(self, ctx, conv, nxt.follow)
            if nxt.show_menu:
                replies.append(navigation.menu(self, ctx, conv))
            return replies
        if nxt.remember and conv.state:
            conv.history = [*conv.history, conv.state]
        conv.state = nxt.state
        return replies + await self.prompt(ctx, conv)

    async def start(self, ctx: Ctx, conv: Conversation, name: str,
                    data: dict[str, Any] | None = None) -> list[Outbound]:
        """Begin flow `name` at its first state (after a registration check)."""
        flow = self.flows[name]
        if flow.needs_account and ctx.account is None:
            return [Reply("Please register first — it takes a minute.",
                          ((Button("Register", "@go:registration"),),))]
        if conv.flow and conv.flow != name:
            navigation.suspend(conv, ctx)
        conv.flow, conv.state, conv.history = name, flow.first, []
        ctx.data.clear()
        ctx.data.update(data or {})
        if flow.on_start:
            nxt = await flow.on_start(ctx)
            if nxt is not None:
                return await self.apply(ctx, conv, nxt)
        return await self.prompt(ctx, conv)

    async def prompt(self, ctx: Ctx, conv: Conversation) -> list[Outbound]:
        """The current question, with back and cancel buttons."""
        flow = self.flows[conv.flow]  # type: ignore[index]
        state = flow.states[conv.state]  # type: ignore[index]
        if isinstance(state, FormState):
            replies = await form_runner.prompt(ctx, conv.state, state)  # type: ignore[arg-type]
        else:
            replies = await state.prompt(ctx)
        return _with_navigation(replies, can_go_back=bool(conv.history) or _in_form(ctx, conv))

    def flow_of(self, conv: Conversation) -> Flow | None:
        return self.flows.get(conv.flow or "")

    def state_of(self, conv: Conversation) -> Ask | FormState | None:
        flow = self.flow_of(conv)
        return flow.states.get(conv.state or "") if flow else None


# --- helpers ----------------------------------------------------------------------------


async def _first_time(uow: UnitOfWork, env: Envelope) -> bool:
    """Record the channel's event id; False when it was processed before."""
    key = (f"{env.channel}", str(env.event_id))
    if await uow.session.get(ProcessedUpdate, key):
        return False
    uow.add(ProcessedUpdate(source=key[0], external_id=key[1], created_at=uow.clock.now()))
    try:
        async with uow.session.begin_nested():
            await uow.session.flush()
    except IntegrityError:
        return False
    return True


async def _conversation(uow: UnitOfWork, env: Envelope, lock: bool = True) -> Conversation:
    stmt = select(Conversation).where(
        Conversation.channel == env.channel, Conversation.user_key == env.user_key,
        Conversation.chat_id == env.chat_id)
    conv = (await uow.session.execute(stmt.with_for_update() if lock else stmt)).scalar_one_or_none()
    if conv is None:
        conv = Conversation(channel=env.channel, user_key=env.user_key, chat_id=env.chat_id,
                            data={}, history=[], token="", version=0,
                            updated_at=uow.clock.now())
        uow.add(conv)
        await uow.session.flush()
    return conv


def _save(conv: Conversation, ctx: Ctx) -> None:
    data = dict(conv.data or {})
    data["flow"] = copy_json(ctx.data) if conv.flow else {}
    conv.data = data  # a new object, so the JSON column is seen as changed
    conv.updated_at = ctx.uow.clock.now()


def _in_form(ctx: Ctx, conv: Conversation) -> bool:
    progress = ctx.data.get("_forms", {}).get(conv.state or "", {})
    return bool(progress.get("i")) and not ctx.forms_at_once


def _with_navigation(replies: list[Outbound], can_go_back: bool) -> list[Outbound]:
    for index in range(len(replies) - 1, -1, -1):
        last = replies[index]
        if isinstance(last, Reply):
            nav = [Button("◀ Back", navigation.BACK)] if can_go_back else []
            nav.append(Button("✖ Cancel", navigation.CANCEL))
            replies[index] = replace(last, buttons=(*last.buttons, tuple(nav)))
            break
    return replies


def _stamp(replies: list[Outbound], token: str) -> list[Outbound]:
    """Prefix flow buttons with the prompt token so a press on an old message is recognised."""

    def fix(rows: tuple[tuple[Button, ...], ...]) -> tuple[tuple[Button, ...], ...]:
        return tuple(
            tuple(b if b.data.startswith("@") else Button(b.label, f"{token}|{b.data}") for b in row)
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
