"""The contexts the application is made of, in one list, and what each adds to it.

A context declares its parts where they live — its event handlers in `core/<context>/wiring.py`
(money's bridges in `payments/wiring.py`), its intents in `core/<context>/intents.py`, its flows
in `conversations/flows/<context>/entries.py` — and `CONTEXTS` is the one place the composition
root finds them (`config.container.build`, `config.event_wiring.register`): a new context is
one entry here, and a new part of a context changes only that context's entry.

The engine's flows are not listed here: `conversations.flows.all_flows` joins the contexts' lists
in the order people see the commands, which is the conversation layer's to decide."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from conversations.context import Ctx
from conversations.flows.account.profile import profile_text
from conversations.flows.consulting.bookings import bookings_text
from conversations.flows.consulting.consultant_metrics import metrics_section
from conversations.flows.consulting.consultant_profile import still_active
from conversations.flows.deals.carbon import carbon_section
from conversations.flows.deals.deal import deals_text
from conversations.flows.loyalty.loyalty import points_section
from conversations.flows.market.market_view import market_section
from conversations.flows.money.money import wallet_section
from conversations.messages import Outbound
from core.catalog import wiring as listings
from core.catalog.media import FileStore
from core.community import wiring as community
from core.companies import wiring as companies
from core.consulting import wiring as consulting
from core.consulting.bookings import calendar as booking_calendar
from core.consulting.inspections import attachments as inspection_files
from core.consulting.inspections import deal_card as inspection_card
from core.consulting.inspections import wiring as inspections
from core.consulting.sessions import recap as session_recap
from core.deals import attachments as deal_attachments
from core.deals import deal_card as deal_cards
from core.deals import wiring as deals
from core.deals.card_parts import DealCardPart
from core.deals.freight import wiring as freight
from core.events import EventBus
from core.learning import wiring as learning
from core.loyalty import wiring as loyalty
from core.notifications import wiring as account_notices
from core.notifications.cards import CardBuilder
from core.notifications.delivery import Resolver
from core.storage.uow import UowFactory
from core.support import wiring as support
from core.webhooks import wiring as webhooks
from payments import receipts
from payments import wiring as money
from payments.service import PaymentsService
from payments.wiring import PaymentsWiring

Wire = Callable[[EventBus, PaymentsWiring], None]
Section = Callable[[Ctx], Awaitable[str | list[Outbound]]]


@dataclass(frozen=True)
class Parts:
    """What the application has built that a context's attachments and cards are made of."""

    uow: UowFactory
    files: FileStore
    payments: PaymentsService


@dataclass(frozen=True)
class OnHome:
    """A context's paragraph of a member's home (/start, Slack's App Home): the paragraphs stand
    by `rank`, whatever the order of the contexts, so the home reads profile first."""

    rank: int
    section: Section


@dataclass(frozen=True)
class Context:
    """One context's parts. `wire`: its event handlers, and the money bridges that stand beside
    them, in the order they are registered — handlers of one event run in that order, so the
    order of `CONTEXTS` and of each `wire` is behaviour (`tests/test_wiring.py` holds it).
    `attachments`: the files its notices carry, by kind; `cards`: its objects' cards as they
    are now, for rewriting a chat's latest card of one; `deal_card`: its lines and steps on a
    deal's card (core.deals.card_parts), however the card is drawn; `after_turn`: what it does
    after every turn of a registered member, in the turn's transaction."""

    name: str
    wire: tuple[Wire, ...] = ()
    home: tuple[OnHome, ...] = ()
    attachments: Callable[[Parts], dict[str, Resolver]] | None = None
    cards: Callable[[Parts], dict[str, CardBuilder]] | None = None
    deal_card: tuple[DealCardPart, ...] = ()
    after_turn: tuple[Callable[[Ctx], Awaitable[None]], ...] = ()


def _deal_files(parts: Parts) -> dict[str, Resolver]:
    return deal_attachments.resolvers(parts.uow, parts.files)


def _deal_cards(parts: Parts) -> dict[str, CardBuilder]:
    return deal_cards.builders(parts.uow, parts.payments, deal_card_parts())


def _consulting_files(parts: Parts) -> dict[str, Resolver]:
    return {**session_recap.resolvers(parts.uow, parts.files),
            **booking_calendar.resolvers(parts.uow),
            **inspection_files.resolvers(parts.uow, parts.files)}


def _receipts(parts: Parts) -> dict[str, Resolver]:
    return receipts.resolvers(parts.uow)


# Payments' notices are wired first, and each money bridge beside the context whose money it
# moves: a deal cancelled before payment closes its escrow before the deal's notices are
# written; a saved card is told to its booking before it starts a retainer; points come last.
CONTEXTS: tuple[Context, ...] = (
    Context("payments", wire=(money.payment_notices,),
            home=(OnHome(50, wallet_section),), attachments=_receipts),
    Context("accounts", wire=(account_notices.wire,), home=(OnHome(10, profile_text),)),
    Context("companies", wire=(companies.wire,)),
    Context("deals", wire=(money.deal_money, deals.wire, money.deposit_money, freight.wire,
                           money.freight_money),
            home=(OnHome(20, deals_text), OnHome(25, carbon_section)), attachments=_deal_files,
            cards=_deal_cards),
    Context("consulting", wire=(money.session_money, money.promotion_money, consulting.wire,
                                money.booking_money, money.package_money, inspections.wire,
                                money.inspection_money),
            home=(OnHome(30, bookings_text), OnHome(40, metrics_section)),
            attachments=_consulting_files, deal_card=(inspection_card.deal_card_part,),
            after_turn=(still_active,)),
    Context("catalog", wire=(listings.wire,), home=(OnHome(70, market_section),)),
    Context("support", wire=(support.wire,)),
    Context("community", wire=(community.wire,)),
    Context("learning", wire=(learning.wire,)),
    Context("loyalty", wire=(loyalty.wire, money.loyalty_money),
            home=(OnHome(60, points_section),)),
    # Last: a company's webhooks are queued once every other handler of the event has run.
    Context("webhooks", wire=(webhooks.wire,)),
)


def home_sections() -> list[Section]:
    """Every context's paragraphs of the home, by rank."""
    return [on.section for on in sorted((on for c in CONTEXTS for on in c.home),
                                        key=lambda on: on.rank)]


def after_turn() -> list[Callable[[Ctx], Awaitable[None]]]:
    """What every context does after a registered member's turn, in the contexts' order."""
    return [after for c in CONTEXTS for after in c.after_turn]


def deal_card_parts() -> list[DealCardPart]:
    """Every context's part of a deal's card, in the contexts' order."""
    return [part for c in CONTEXTS for part in c.deal_card]


def attachments(parts: Parts) -> dict[str, Resolver]:
    return {kind: resolver for c in CONTEXTS if c.attachments
            for kind, resolver in c.attachments(parts).items()}


def card_builders(parts: Parts) -> dict[str, CardBuilder]:
    return {kind: builder for c in CONTEXTS if c.cards
            for kind, builder in c.cards(parts).items()}
