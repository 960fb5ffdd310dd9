"""The one settings object: `AGORA_` environment variables and `.env`, validated at start."""

from __future__ import annotations

import secrets
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from core.consulting.sessions.rules import parse_free_rule

PLACEHOLDERS = {"changeme", "change-me", "secret", "placeholder", "xxx", "todo", "test", "dummy"}
SECRET_FIELDS = (
    "telegram_token",
    "telegram_webhook_secret",
    "slack_bot_token",
    "slack_signing_secret",
    "slack_app_token",
    "slack_client_secret",
    "stripe_secret_key",
    "stripe_webhook_secret",
    "btcpay_api_key",
    "btcpay_webhook_secret",
    "secret_key",
)


DEVELOPMENT_URL = "http://127.0.0.1:8000"


class SettingsError(Exception):
    """A setting is wrong; the message is one readable line naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="AGORA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "test", "staging", "production"] = "development"
    database_url: str = "sqlite+aiosqlite:///./agora.db"
    # PostgreSQL connections each worker process keeps (a quarter more at peaks): all the
    # workers' together must stay under the server's max_connections (100 by default).
    database_pool_size: int = Field(default=40, ge=1, le=500)
    # The address people open: pay links, receipts, console sign-in, og:url, the sitemap.
    # Required outside development and test; there `agora serve` derives it from --host/--port.
    public_url: str = DEVELOPMENT_URL
    # The legal entity that issues Agora's documents (receipts, statements, invoices, terms),
    # named on every one of them; required outside development and test.
    # The public site's maps: the tile server (OpenStreetMap's by default, with its attribution);
    # empty draws the markers on a plain background (tests, or a site that wants no tiles).
    map_tiles_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_attribution: str = "© OpenStreetMap contributors"
    issuer_name: str = "Agora (development: set AGORA_ISSUER_NAME)"
    issuer_address: str = "(set AGORA_ISSUER_ADDRESS)"
    issuer_vat_number: str = "(set AGORA_ISSUER_VAT_NUMBER)"
    # Where the issuer is established and its standard VAT rate there: the VAT on the commission
    # it invoices (Latvia's 21 % for development; set both for the real entity).
    issuer_country: str = Field(default="LV", pattern=r"^[A-Z]{2}$")
    issuer_vat_rate: Decimal = Field(default=Decimal("21"), ge=0, le=100)
    # What an XRechnung names of the issuer as seller (payments.xrechnung): its post code and
    # town apart, and a contact's phone and email. Until all four are set, Agora's own invoices
    # to German members (commission, charges) stay EN 16931.
    issuer_postcode: str = ""
    issuer_town: str = ""
    issuer_phone: str = ""
    issuer_email: str = ""
    # Several workers: Redis holds what they share beyond the database (optional; /healthz
    # reports it when set). On PostgreSQL, workers try for the scheduler lead this often.
    redis_url: str | None = None
    # Company webhooks may post over plain HTTP to this machine (127.0.0.1, localhost): a
    # receiver under development or a test's. Unset: allowed in development and test only —
    # elsewhere a webhook carries a company's deals, so it travels over HTTPS or not at all.
    webhooks_local_http: bool | None = None
    leader_retry_seconds: float = Field(default=3.0, gt=0, le=60)

    telegram_token: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_bot_username: str = "agora_market_bot"

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    # "Open in Slack" on the public site: Sign in with Slack (OpenID Connect) names the person,
    # the card opens in their DM with the app, then Slack's app_redirect takes them there.
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_app_id: str | None = None
    slack_team_id: str | None = None

    # Signs the operator console's session cookies and CSRF tokens. Required outside development
    # and test; there, without one, each process makes its own (sessions end at a restart).
    secret_key: str | None = None
    console_link_minutes: int = Field(default=10, ge=1, le=60)  # a sign-in link works this long
    console_session_hours: int = Field(default=12, ge=1, le=24 * 7)

    # Identities with the admin role: "telegram:123", "slack:T1:U1", "terminal:ann".
    admins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_sender: str = "Agora <no-reply@agora.local>"
    smtp_starttls: bool = True
    # Emails a second at most, per worker (the SMTP relay's pace); in a burst of registrations
    # the verification codes wait behind it.
    smtp_per_second: float = Field(default=50, gt=0, le=10_000)
    # A bot's messages into one chat a second (Telegram's and Slack's limit is about one; the
    # suite raises it, where pacing is not what a test is about, so its journeys do not wait).
    chat_sends_per_second: float = Field(default=1.0, gt=0, le=1000)

    email_code_ttl_minutes: int = Field(default=15, ge=1, le=1440)
    email_code_attempts: int = Field(default=5, ge=1, le=20)
    link_code_ttl_minutes: int = Field(default=10, ge=1, le=1440)
    outbox_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    # A request's body must arrive within this many seconds of the request, plus a second for
    # every 16 KB received (else 408): an upload over a slow link goes through, a client
    # trickling its body a byte a second cannot hold a connection open.
    body_read_seconds: float = Field(default=10.0, gt=0, le=300)
    # The API for companies' own systems (/api/v1): requests a minute per key (a sliding
    # window, shared through Redis when AGORA_REDIS_URL is set).
    api_requests_per_minute: int = Field(default=600, ge=1, le=1_000_000)

    # Catalogue: uploaded photos and documents live under data_dir (named by checksum).
    data_dir: str = "./agora-data"
    listing_moderation: bool = False  # new listings wait for an admin's approval
    listing_days: int = Field(default=30, ge=1, le=365)

    # Money: the sandbox needs no keys; Stripe needs a secret key and a webhook signing secret.
    payments_provider: Literal["sandbox", "stripe"] = "sandbox"
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None  # e.g. a localstripe server in tests
    # Stripe payment method types offered at checkout: "card", "sepa_debit", "customer_balance"…
    stripe_payment_methods: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["card"])
    # Goods paid by bank transfer through Stripe (`customer_balance`, a virtual IBAN per payment):
    # the SEPA country of the IBANs Stripe gives (BE, DE, ES, FR, IE or NL); unset, no transfers.
    stripe_bank_transfer_country: Literal["BE", "DE", "ES", "FR", "IE", "NL"] | None = None
    # Goods paid in crypto: "btcpay" (a BTCPay Server store, through its Greenfield API),
    # "sandbox" (a test invoice on the sandbox's pay page) or "none". Unset: the sandbox's
    # while payments are the sandbox's, none with Stripe.
    crypto_provider: Literal["none", "sandbox", "btcpay"] | None = None
    btcpay_url: str | None = None  # the BTCPay Server, e.g. https://btcpay.example.com
    btcpay_api_key: str | None = None  # a Greenfield API key with the store's invoice rights
    btcpay_store_id: str | None = None
    btcpay_webhook_secret: str | None = None  # the store webhook's secret (BTCPay-Sig)
    crypto_invoice_minutes: int = Field(default=60, ge=15, le=24 * 60)
    # Commission per market: a percentage with a minimum in major units of the deal's currency.
    commission_bioenergy_percent: Decimal = Field(default=Decimal("5"), ge=0, le=100)
    commission_bioenergy_minimum: Decimal = Field(default=Decimal("1"), ge=0)
    commission_consulting_percent: Decimal = Field(default=Decimal("15"), ge=0, le=100)
    commission_consulting_minimum: Decimal = Field(default=Decimal("2"), ge=0)
    # Parties of a goods deal may both choose to pay each other directly (nothing held, no fee).
    direct_payment: bool = True
    # Consultant sessions: how often a seeker gets the free first 10 minutes with one consultant
    # ("once per pair", "once per pair per N days", "every session", "never"), and the price of
    # a session's recap in major units of the session's currency (0: free).
    free_minutes_rule: str = "once per pair"
    recap_price: Decimal = Field(default=Decimal(0), ge=0)

    # Consultants' bookings: the policy each booking card states.
    booking_join_window_seconds: int = Field(default=120, ge=30, le=3600)
    booking_free_cancel_hours: int = Field(default=24, ge=0, le=24 * 14)
    booking_late_fee_percent: int = Field(default=50, ge=0, le=100)
    booking_no_show_fee_percent: int = Field(default=100, ge=0, le=100)
    consultant_online_minutes: int = Field(default=30, ge=5, le=24 * 60)
    # Where a session meets when its consultant set no link of their own: a Jitsi Meet server
    # (a public one by default); each confirmed booking gets a room on it nobody can guess.
    meeting_base: str = "https://meet.jit.si"

    # Support: an operator's first answer to a ticket is due within this many hours; past it
    # every admin is told once.
    support_sla_hours: int = Field(default=4, ge=1, le=24 * 7)

    @property
    def crypto(self) -> str:
        """The crypto provider in use: as set, else the sandbox's with the sandbox's payments."""
        if self.crypto_provider is not None:
            return self.crypto_provider
        return "sandbox" if self.payments_provider == "sandbox" else "none"

    @field_validator("admins", "stripe_payment_methods", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("free_minutes_rule")
    @classmethod
    def _known_free_rule(cls, value: str) -> str:
        parse_free_rule(value)  # a ValueError names the forms it takes
        return value.strip().lower()

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("telegram_api_url", "slack_api_url", "public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("meeting_base")
    @classmethod
    def _meeting_server(cls, value: str) -> str:
        if not value.startswith("https://") or value.endswith("/") or len(value) <= 8 \
                or any(c.isspace() for c in value):
            raise ValueError("must be an https:// URL without a trailing slash")
        return value

    @model_validator(mode="after")
    def _no_placeholders_outside_development(self) -> Settings:
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise ValueError("telegram_webhook_secret: required when a webhook URL is set")
        if self.payments_provider == "stripe" and not (
                self.stripe_secret_key and self.stripe_webhook_secret):
            raise ValueError("stripe_secret_key: Stripe needs a secret key and a webhook secret")
        if self.crypto == "sandbox" and self.payments_provider != "sandbox":
            raise ValueError("crypto_provider: the sandbox's test crypto payments go only with "
                             "sandbox payments (with Stripe, set btcpay or none)")
        if self.crypto == "btcpay" and not (self.btcpay_url and self.btcpay_api_key
                                            and self.btcpay_store_id
                                            and self.btcpay_webhook_secret):
            raise ValueError("btcpay_url: BTCPay Server needs its URL, an API key, the store id "
                             "and the webhook secret (AGORA_BTCPAY_URL, AGORA_BTCPAY_API_KEY, "
                             "AGORA_BTCPAY_STORE_ID, AGORA_BTCPAY_WEBHOOK_SECRET)")
        if self.environment in ("development", "test"):
            return self
        if self.webhooks_local_http and self.environment == "production":
            raise ValueError("webhooks_local_http: webhooks travel over HTTPS in production")
        for name in SECRET_FIELDS:
            value = getattr(self, name)
            if value is not None and (value.lower() in PLACEHOLDERS or len(value) < 8):
                raise ValueError(f"{name}: placeholder secret refused in {self.environment}")
        if self.secret_key is None or len(self.secret_key) < 32:
            raise ValueError(f"secret_key: at least 32 random characters are required in "
                             f"{self.environment} (it signs the console's cookies)")
        if "public_url" not in self.model_fields_set:
            raise ValueError(f"public_url: required in {self.environment}: the address people "
                             "open (pay links, receipts, console sign-in), e.g. "
                             "https://agora.example.com")
        for name in ("issuer_name", "issuer_address", "issuer_vat_number"):
            if name not in self.model_fields_set:
                raise ValueError(f"{name}: required in {self.environment}: every receipt, "
                                 "statement and invoice names the legal entity that issues it")
        return self

    @cached_property
    def signing_key(self) -> str:
        """The console's signing key: `secret_key`, or (development, test) one per process."""
        return self.secret_key or secrets.token_urlsafe(32)

    def served_at(self, host: str, port: int) -> Settings:
        """These settings for a server bound to host:port: links point there unless
        AGORA_PUBLIC_URL names the address people open."""
        if "public_url" in self.model_fields_set:
            return self
        return self.model_copy(update={"public_url": local_url(host, port)})

    @property
    def webhooks_allow_local_http(self) -> bool:
        """Whether an endpoint may be http://127.0.0.1 (or localhost): see webhooks_local_http."""
        if self.webhooks_local_http is not None:
            return self.webhooks_local_http
        return self.environment in ("development", "test")

    @cached_property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and self.slack_signing_secret)

    @property
    def slack_sign_in_enabled(self) -> bool:
        """The site may offer "Open in Slack": the app runs and Sign in with Slack is set up."""
        return self.slack_enabled and bool(self.slack_client_id and self.slack_client_secret
                                           and self.slack_app_id and self.slack_team_id)


def local_url(host: str, port: int) -> str:
    """The URL of a server bound to host:port, opened from this machine."""
    if host in ("", "0.0.0.0", "::"):  # every interface: this machine reaches it on loopback
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning a validation error into one line that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except SourceError as exc:
        field = str(exc).split('"')[1] if '"' in str(exc) else "settings"
        raise SettingsError(f"AGORA_{field.upper()}: could not be read ({exc.__cause__})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(part) for part in first["loc"] if part != "__root__"]
        message = first["msg"].removeprefix("Value error, ")
        if not loc and ":" in message:
            name, message = message.split(":", 1)
            loc = [name]
        variable = "AGORA_" + (loc[0].upper() if loc else "SETTINGS")
        raise SettingsError(f"{variable}: {message.strip()}") from None
