"""The composition root: settings in, a wired application out. Tests wire fakes here too."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from config import contexts, event_wiring
from config.catalog_wiring import build_catalog, follow_changes, record_changes
from config.limits_wiring import send_limiter
from config.settings import Settings
from conversations.context import Services
from conversations.engine import Engine
from conversations.flows.all_flows import ALL_FLOWS
from conversations.flows.loyalty import loyalty as loyalty_flow
from core import issuer
from core.catalog.search import Catalog
from core.clock import Clock, SystemClock
from core.consulting.bookings import calendar_out
from core.consulting.bookings.calendar_out import CalendarWriter
from core.consulting.calendars.port import Calendars
from core.consulting.calendars.service import CalendarSync
from core.consulting.profiles.directory import Directory
from core.events import EventBus
from core.notifications.cards import CardBuilder
from core.notifications.delivery import Resolver, Sender
from core.notifications.dispatcher import OutboxDispatcher
from core.notifications.email_log import LoggingEmailSender
from core.operators import named as operators_named
from core.policy import BookingPolicy, Policy
from core.sealed import Sealer
from core.storage import workers
from core.storage.change_feed import ChangeFeed
from core.storage.database import create_engine, session_factory
from core.storage.sqlite_turns import on_file
from core.storage.uow import UnitOfWork
from core.webhooks.addresses import NameResolver
from core.webhooks.delivery import Deliverer, Poster
from core.webhooks.keys import Keys
from payments.service import PaymentsService
from payments.wiring import build_crypto_webhooks, build_payments, build_webhooks, commission_rules

if TYPE_CHECKING:  # stripe is loaded only where Stripe is configured
    from payments.btcpay_webhooks import BTCPayWebhooks
    from payments.webhooks import StripeWebhooks


@dataclass
class Container:
    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    policy: Policy
    engine: Engine
    dispatcher: OutboxDispatcher
    senders: dict[str, Sender] = field(default_factory=dict)
    bus: EventBus = field(default_factory=EventBus)
    payments: PaymentsService | None = None  # the core's PaymentsPort
    stripe_webhooks: StripeWebhooks | None = None  # when Stripe is configured
    btcpay_webhooks: BTCPayWebhooks | None = None  # when BTCPay Server takes crypto
    catalog: Catalog | None = None  # the search index of this worker
    directory: Directory | None = None  # the consultants' search index of this worker
    # On PostgreSQL: this worker's follower of the other workers' catalogue changes.
    changes: ChangeFeed | None = None
    # Notification attachments by kind, shared by every dispatcher of this process.
    attachments: dict[str, Resolver] = field(default_factory=dict)
    # Objects' cards as they are now, by kind, for rewriting a chat's latest card of one.
    card_builders: dict[str, CardBuilder] = field(default_factory=dict)
    # A few connections of their own for work due at a moment (a tender's or auction's close),
    # so a worker busy with webhooks, every pooled connection taken, does not make it late.
    on_time_db: AsyncEngine | None = None
    on_time_sessions: async_sessionmaker[AsyncSession] | None = None
    calendars: CalendarSync | None = None  # consultants' own calendars (CalDAV, ICS addresses)
    webhooks: Deliverer | None = None  # sends companies' webhooks (when given a poster)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.clock, self.bus, self.policy)

    def on_time_uow(self) -> UnitOfWork:
        """A unit of work on the connections kept for work due at a moment."""
        if self.on_time_sessions is None:
            return self.uow()
        return UnitOfWork(self.on_time_sessions, self.clock, self.bus, self.policy)

    def add_sender(self, channel: str, sender: Sender) -> None:
        self.senders[channel] = sender
        self.dispatcher.senders[channel] = sender

    def remove_sender(self, channel: str) -> None:
        self.senders.pop(channel, None)
        self.dispatcher.senders.pop(channel, None)

    async def seed_operators(self, exactly: bool = False) -> None:
        """Add AGORA_ADMINS's identities to the database's operators, so every process on it
        knows the same operators; `exactly` (the server, when the setting names any): the
        setting is the whole list, and a name taken out of it loses the role."""
        async with self.uow() as uow:
            if exactly and self.settings.admins:
                await operators_named.name_exactly(uow, self.settings.admins)
            else:
                await operators_named.add(uow, self.settings.admins)
            await uow.commit()

    async def close(self) -> None:
        if (close := getattr(self.dispatcher.limiter, "close", None)) is not None:
            await close()  # the shared limiter's Redis connections
        crypto = self.payments.crypto if self.payments is not None else None
        if (close_crypto := getattr(crypto, "aclose", None)) is not None:
            await close_crypto()  # BTCPay Server's HTTP client
        await self.db.dispose()
        if self.on_time_db is not None:
            await self.on_time_db.dispose()


ON_TIME_CONNECTIONS = 2  # kept for work due at a moment (Container.on_time_uow)


def booking_policy(settings: Settings) -> BookingPolicy:
    """The bookings' policy from settings."""
    return BookingPolicy(join_window=timedelta(seconds=settings.booking_join_window_seconds),
                         free_cancel=timedelta(hours=settings.booking_free_cancel_hours),
                         late_fee_percent=settings.booking_late_fee_percent,
                         no_show_fee_percent=settings.booking_no_show_fee_percent,
                         online_for=timedelta(minutes=settings.consultant_online_minutes),
                         meeting_base=settings.meeting_base)


def sealer_for(settings: Settings) -> Sealer:
    """Secrets at rest are sealed under a key derived from AGORA_SECRET_KEY (required outside
    development and test); without one, under a key kept in the data directory."""
    if settings.secret_key:
        return Sealer.from_secret(settings.secret_key)
    return Sealer.from_key_file(settings.data_dir)


def build(settings: Settings, *, clock: Clock | None = None,
          senders: dict[str, Any] | None = None, payments_provider: Any = None,
          db: AsyncEngine | None = None, calendar_port: Calendars | None = None,
          webhook_poster: Poster | None = None,
          webhook_resolver: NameResolver | None = None) -> Container:
    """Wire the application from settings; channels add their senders when they start. `db`:
    an engine on settings' database to use instead of a new one (closing the container closes
    its connections, and the engine stays usable)."""
    issuer.ISSUER["issuer"] = issuer.Issuer(
        settings.issuer_name, settings.issuer_address, settings.issuer_vat_number,
        settings.issuer_country, settings.issuer_vat_rate, settings.issuer_postcode,
        settings.issuer_town, settings.issuer_phone, settings.issuer_email)
    clock = clock or SystemClock()
    db = db or create_engine(settings.database_url, pool_size=settings.database_pool_size)
    sessions = session_factory(db)
    # A database in memory is one connection's own, however its URL is written
    # ("sqlite+aiosqlite://" too): there the one pool serves.
    in_memory = settings.is_sqlite and on_file(make_url(settings.database_url)) is None
    on_time_db = None if in_memory else create_engine(
        settings.database_url, pool_size=ON_TIME_CONNECTIONS, on_time=True)
    policy = Policy(
        email_code_ttl_minutes=settings.email_code_ttl_minutes,
        email_code_attempts=settings.email_code_attempts,
        link_code_ttl_minutes=settings.link_code_ttl_minutes,
        listing_moderation=settings.listing_moderation,
        listing_days=settings.listing_days,
        commission=commission_rules(settings),
        free_minutes_rule=settings.free_minutes_rule,
        recap_price=settings.recap_price,
        booking=booking_policy(settings),
        support_sla=timedelta(hours=settings.support_sla_hours),
        public_url=settings.public_url,
        console_link_minutes=settings.console_link_minutes,
        console_session_hours=settings.console_session_hours,
    )
    container: Container
    services = Services(home_sections=contexts.home_sections(), after_turn=contexts.after_turn(),
                        deal_card_parts=contexts.deal_card_parts())
    engine = Engine(lambda: container.uow(), ALL_FLOWS, services)
    senders = dict(senders or {})
    senders.setdefault("email", LoggingEmailSender())
    if hasattr(senders["email"], "body"):  # emails name each action's command to type in chat
        senders["email"].body = engine.registry.email_text
    attachments: dict[str, Resolver] = {}
    card_builders: dict[str, CardBuilder] = {}
    dispatcher = OutboxDispatcher(sessions, clock, senders, send_limiter(settings),
                                  poll_seconds=settings.outbox_poll_seconds, attachments=attachments,
                                  card_builders=card_builders)
    container = Container(settings, db, sessions, clock, policy, engine, dispatcher, senders,
                          attachments=attachments, card_builders=card_builders,
                          on_time_db=on_time_db,
                          on_time_sessions=session_factory(on_time_db) if on_time_db else None)
    container.payments = build_payments(settings, container.uow, payments_provider)
    container.stripe_webhooks = build_webhooks(settings, container.payments)
    container.btcpay_webhooks = build_crypto_webhooks(settings, container.payments)
    services.payments = container.payments
    container.catalog = build_catalog(settings.data_dir, services,
                                      change_feed=not settings.is_sqlite)
    assert services.files is not None
    parts = contexts.Parts(container.uow, services.files, container.payments)
    attachments.update(contexts.attachments(parts))
    card_builders.update(contexts.card_builders(parts))
    container.directory = services.directory = Directory()
    if calendar_port is not None:  # consultants' own calendars (the adapter is the caller's)
        container.calendars = services.calendars = CalendarSync(
            container.uow, calendar_port, sealer_for(settings))
        container.add_sender(calendar_out.CHANNEL,
                             CalendarWriter(container.uow, container.calendars))
    services.webhooks = Keys(sealer_for(settings), settings.webhooks_allow_local_http,
                             webhook_resolver)
    if webhook_poster is not None:  # companies' webhooks (the adapter is the caller's)
        container.webhooks = Deliverer(container.uow, webhook_poster, services.webhooks,
                                       workers.claim_name(uuid.uuid4().hex[:8]))
    loyalty_flow.TELEGRAM["bot"] = settings.telegram_bot_username  # referral links
    assert container.payments is not None
    event_wiring.register(container.bus, catalog=container.catalog, uow=container.uow,
                          dispatcher=dispatcher, payments=container.payments,
                          directory=container.directory)
    if not settings.is_sqlite:  # several workers may share the database
        record_changes(container.bus)
        container.changes = follow_changes(container.catalog, container.directory)
    return container
