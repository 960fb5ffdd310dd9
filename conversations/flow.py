"""Flows as data: entry commands, states (questions or forms) and what each step returns."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from conversations.forms import Form
from conversations.messages import Envelope, Inbound, Outbound
from core.accounts.service import ChannelIdentity
from core.storage.tables import Account
from core.storage.uow import UnitOfWork


@dataclass
class Ctx:
    """What a step sees: who, the open transaction, and the flow's own saved data."""

    env: Envelope
    uow: UnitOfWork
    account: Account | None
    roles: set[str]
    data: dict[str, Any]
    services: Any  # conversations.engine.Services; Any avoids an import cycle
    # Set by a step whose answer only updates the question just asked (a ticked checkbox),
    # so channels that can edit a sent message replace it instead of sending a new one.
    edit_in_place: bool = False

    @property
    def who(self) -> ChannelIdentity:
        return ChannelIdentity(self.env.channel, self.env.user_key, self.env.chat_id)

    @property
    def forms_at_once(self) -> bool:
        return self.env.can_show_forms

    def local_now(self) -> datetime:
        """The application clock's time in the user's time zone (UTC without an account)."""
        name = self.account.timezone if self.account is not None else None
        try:
            zone = ZoneInfo(name) if name else UTC
        except (ZoneInfoNotFoundError, ValueError):
            zone = UTC
        return self.uow.clock.now().astimezone(zone)


@dataclass
class Next:
    """A step's answer: replies to send, then go to `state` (None ends the flow)."""

    state: str | None
    replies: list[Outbound] = field(default_factory=list)
    start: str | None = None  # begin this flow after ending the current one
    start_data: dict[str, Any] | None = None
    remember: bool = True  # push the current state on the back-history
    show_menu: bool = False  # when the flow ends, show the main menu too
    reprompt: bool = True  # when staying, ask the current question again
    follow: str = ""  # when the flow ends, open this deep link (a /start payload) instead

    @classmethod
    def stay(cls, *replies: Outbound) -> Next:
        return cls(state="", replies=list(replies))

    @classmethod
    def end(cls, *replies: Outbound, menu: bool = True) -> Next:
        return cls(state=None, replies=list(replies), show_menu=menu)


Step = Callable[[Ctx, Inbound], Awaitable[Next]]
Prompt = Callable[[Ctx], Awaitable[list[Outbound]]]
FormDone = Callable[[Ctx, dict[str, Any]], Awaitable[Next]]


@dataclass
class Ask:
    """A state that shows `prompt` and hands the answer to `on`."""

    prompt: Prompt
    on: Step
    help: str = ""


@dataclass
class FormState:
    """A state that collects a whole form (field by field, or at once), then calls `done`."""

    form: Form | Callable[[Ctx], Form]
    done: FormDone
    help: str = ""
    intro: str = ""

    def form_for(self, ctx: Ctx) -> Form:
        return self.form(ctx) if callable(self.form) else self.form


State = Ask | FormState


@dataclass
class Flow:
    name: str
    title: str
    states: dict[str, State]
    first: str
    commands: tuple[str, ...] = ()
    needs_account: bool = True
    help: str = ""
    on_start: Callable[[Ctx], Awaitable[Next | None]] | None = None


def copy_json(data: dict[str, Any]) -> dict[str, Any]:
    """A deep copy that also proves the data can be stored in a JSON column."""
    return json.loads(json.dumps(data))
