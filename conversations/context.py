"""What every step works with: the context it sees (`Ctx`, `Services`) and the answer it gives
(`Next`). Flows, the form runner, navigation and the engine all speak these types."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from conversations.messages import Envelope, Outbound
from core.accounts.member import Member
from core.accounts.service import ChannelIdentity
from core.catalog.media import FileFetcher, FileStore
from core.catalog.search import Catalog
from core.clock import zone
from core.consulting.calendars.service import CalendarSync
from core.consulting.profiles.directory import Directory
from core.deals.card_parts import DealCardPart
from core.payments_port import PaymentsPort
from core.storage.uow import UnitOfWork
from core.webhooks.keys import Keys


@dataclass
class Services:
    """What flows may use besides the unit of work; filled by the composition root."""

    payments: PaymentsPort | None = None
    catalog: Catalog | None = None
    directory: Directory | None = None  # consultants: core.consulting.profiles.directory
    files: FileStore | None = None  # where uploaded photos and documents are kept
    fetchers: dict[str, FileFetcher] = field(default_factory=dict)  # per channel: file bytes
    calendars: CalendarSync | None = None  # consultants' own calendars (core.consulting.calendars)
    webhooks: Keys | None = None  # company webhooks' secrets and URL rule (core.webhooks)
    # Sections of a channel's home screen (Slack App Home) for a registered user, in order.
    # A home section: text, or replies (a chart and its figures); "" or []: not for this person.
    home_sections: list[Callable[[Ctx], Awaitable[str | list[Outbound]]]] = field(
        default_factory=list)
    # What a context does with every turn of a registered member, in the turn's transaction
    # (a consultant's activity keeps them "online now": core.consulting.profiles).
    after_turn: list[Callable[[Ctx], Awaitable[None]]] = field(default_factory=list)
    # Other contexts' lines and steps on a deal's card (core.deals.card_parts: an inspection's).
    deal_card_parts: list[DealCardPart] = field(default_factory=list)


@dataclass(frozen=True)
class Whereabouts:
    """Where a person was as an entry opened (`conversations.whereabouts` fills it in): `here`,
    the flow open then (or the one put aside before, marked paused), and where they last saw
    an error — each the shape of `core.support.context.TicketContext`."""

    here: dict[str, Any] = field(default_factory=dict)
    last_error: dict[str, Any] = field(default_factory=dict)
    resumable: bool = False  # a flow is put aside now, for “continue where you left off”


@dataclass
class Ctx:
    """What a step sees: who, the open transaction, and the flow's own saved data."""

    env: Envelope
    uow: UnitOfWork
    account: Member | None  # the acting person's read model; None before registration
    roles: set[str]
    data: dict[str, Any]
    services: Services
    # Where the person was when this entry opened (set by the engine as it opens one), so
    # support can say which flow, step and object a question is about.
    whereabouts: Whereabouts | None = None

    @property
    def account_id(self) -> int | None:
        """The acting account's id, None before registration (services refuse it politely)."""
        return self.account.id if self.account is not None else None

    @property
    def who(self) -> ChannelIdentity:
        return ChannelIdentity(self.env.channel, self.env.user_key, self.env.chat_id)

    @property
    def forms_at_once(self) -> bool:
        return self.env.can_show_forms

    def local_now(self) -> datetime:
        """The application clock's time in the user's time zone (UTC without an account)."""
        name = self.account.timezone if self.account is not None else None
        return self.uow.clock.now().astimezone(zone(name))


@dataclass
class Next:
    """A step's one answer: replies to send, then where the conversation goes.

    `state`: "" stays (asking the current question again unless `reprompt` is off), a name moves
    there, None ends the flow. Then, in order: `start` opens another flow (a still-open one is
    parked for “continue where you left off”), `follow` opens a deep link, `show_menu` adds the
    main menu. `park` first puts the current flow aside instead of ending it."""

    state: str | None
    replies: list[Outbound] = field(default_factory=list)
    start: str | None = None
    start_data: dict[str, Any] | None = None
    remember: bool = True  # push the current state on the back-history
    show_menu: bool = False
    reprompt: bool = True
    follow: str = ""  # a /start payload to open when the flow ends (the menu if it opens nothing)
    park: bool = False
    discard: bool = False  # the person discarded the flow: its `on_discard` undoes and tells

    @classmethod
    def stay(cls, *replies: Outbound) -> Next:
        return cls(state="", replies=list(replies))

    @classmethod
    def end(cls, *replies: Outbound, menu: bool = True) -> Next:
        return cls(state=None, replies=list(replies), show_menu=menu)

    @classmethod
    def menu(cls, *replies: Outbound) -> Next:
        """Put the current flow aside and show the main menu."""
        return cls(state="", replies=list(replies), park=True, show_menu=True, reprompt=False)


def copy_json(data: dict[str, Any]) -> dict[str, Any]:
    """A deep copy that also proves the data can be stored in a JSON column."""
    return json.loads(json.dumps(data))
