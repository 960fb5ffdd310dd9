"""Account use cases: register, verify email, edit the profile, link channel identities."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select, update

from core.accounts import rules
from core.accounts.events import (
    AccountRegistered,
    EmailVerified,
    IdentityLinked,
    ProfileUpdated,
    VerificationCodeIssued,
)
from core.accounts.intents import AccountIntent
from core.accounts.model import default_currency
from core.accounts.tables import Account, EmailVerification, Identity, LinkCode
from core.actions import Action
from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import N_, _, known_language
from core.storage.uow import UnitOfWork

EDITABLE_FIELDS = frozenset(
    {
        "display_name", "company", "roles", "country", "city", "latitude", "longitude",
        "interests", "currency", "language", "timezone", "notify_channel", "quiet_start",
        "quiet_end", "weekly_picks",
    }
)


@dataclass(frozen=True)
class ChannelIdentity:
    channel: str
    user_key: str
    address: str

    @property
    def label(self) -> str:
        return f"{self.channel}:{self.user_key}"


@dataclass
class Registration:
    display_name: str
    email: str
    roles: list[str]
    company: str | None = None
    country: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    interests: list[str] = field(default_factory=list)
    timezone: str = "UTC"
    language: str = "en"  # the language their app names, when Agora speaks it (core.i18n)


# Asked on every update: built once, run with parameters.
_BY_IDENTITY = (select(Account).join(Identity, Identity.account_id == Account.id)
                .where(Identity.channel == bindparam("channel"),
                       Identity.user_key == bindparam("user_key")))


async def find_account(uow: UnitOfWork, channel: str, user_key: str) -> Account | None:
    """The account behind a channel identity, if it has registered."""
    return (await uow.session.execute(_BY_IDENTITY, {"channel": channel, "user_key": user_key})
            ).scalar_one_or_none()


async def identities_of(uow: UnitOfWork, account_id: int) -> list[Identity]:
    stmt = select(Identity).where(Identity.account_id == account_id).order_by(Identity.id)
    return list((await uow.session.execute(stmt)).scalars())


async def register(uow: UnitOfWork, who: ChannelIdentity, data: Registration,
                   *, email_verified: bool = False) -> Account:
    """Create the account and its first identity, and send the email verification code.

    `email_verified` is for accounts whose address was checked elsewhere (demo data, imports).
    """
    if await find_account(uow, who.channel, who.user_key):
        raise Conflict(_("You are already registered."),
                       actions=(Action(AccountIntent.PROFILE, N_("👤 Profile")),))
    roles = rules.chosen_roles(data.roles)
    now = uow.clock.now()
    account = Account(
        display_name=data.display_name, company=data.company, email=data.email, roles=roles,
        country=data.country, city=data.city, latitude=data.latitude, longitude=data.longitude,
        interests=data.interests, timezone=data.timezone, notify_channel=who.channel,
        currency=default_currency(data.country), language=known_language(data.language),
        created_at=now, updated_at=now,
    )
    await uow.insert(account)
    uow.add(Identity(account_id=account.id, channel=who.channel, user_key=who.user_key,
                     address=who.address, created_at=now))
    await uow.session.flush()
    if email_verified:
        account.email_verified_at = now
    else:
        await start_email_verification(uow, account.id, data.email)
    uow.emit(AccountRegistered(account.id, who.channel))
    return account


async def start_email_verification(uow: UnitOfWork, account_id: int, email: str) -> None:
    """Send a fresh 6-digit code to `email`; earlier codes stop working."""
    now = uow.clock.now()
    await uow.session.execute(
        update(EmailVerification)
        .where(EmailVerification.account_id == account_id, EmailVerification.consumed_at.is_(None))
        .values(consumed_at=now)
    )
    code = rules.email_code(secrets.randbelow(1_000_000))
    ttl = uow.policy.email_code_ttl_minutes
    uow.add(EmailVerification(account_id=account_id, email=email, code_hash=rules.code_hash(account_id, code),
                              attempts=0, expires_at=rules.expires_at(now, ttl), created_at=now))
    uow.emit(VerificationCodeIssued(account_id, email, code, ttl))


async def verify_email(uow: UnitOfWork, account_id: int, code: str) -> None:
    """Check a code; a wrong one uses up an attempt, an expired or exhausted one needs a resend."""
    now = uow.clock.now()
    stmt = (
        select(EmailVerification)
        .where(EmailVerification.account_id == account_id, EmailVerification.consumed_at.is_(None))
        .order_by(EmailVerification.id.desc())
        .limit(1)
    )
    pending = (await uow.session.execute(stmt)).scalar_one_or_none()
    if pending is None:
        raise DomainError(_("There is no code waiting. Tap “Send a new code”."))
    limit = uow.policy.email_code_attempts
    rules.check_may_try(pending.expires_at, pending.attempts, limit, now)
    if not hmac.compare_digest(pending.code_hash, rules.code_hash(account_id, code)):
        pending.attempts += 1
        await uow.session.flush()
        raise rules.wrong_code(pending.attempts, limit)
    pending.consumed_at = now
    account = await uow.get(Account, account_id)
    assert account is not None
    account.email = pending.email
    account.email_verified_at = now
    uow.emit(EmailVerified(account_id))


async def update_profile(uow: UnitOfWork, account_id: int, **changes: object) -> Account:
    """Change profile fields; a new email must be verified again."""
    rules.check_changes(changes, EDITABLE_FIELDS,
                        str(changes["language"]) if "language" in changes else None)
    account = await uow.get(Account, account_id)
    if account is None:
        raise NotAllowed(_("Please register first."),
                         actions=(Action(AccountIntent.REGISTER, N_("📝 Register")),))
    new_email = changes.pop("email", None)
    for name, value in changes.items():
        setattr(account, name, value)
    account.updated_at = uow.clock.now()
    if isinstance(new_email, str) and new_email != account.email:
        account.email_verified_at = None
        await start_email_verification(uow, account.id, new_email)
    uow.emit(ProfileUpdated(account_id, tuple(sorted([*changes, *(["email"] if new_email else [])]))))
    return account


async def mark_onboarded(uow: UnitOfWork, account_id: int) -> None:
    account = await uow.get(Account, account_id)
    if account is not None and account.onboarded_at is None:
        account.onboarded_at = uow.clock.now()


async def issue_link_code(uow: UnitOfWork, who: ChannelIdentity) -> str:
    """A one-time code to type on the other channel; works from either side."""
    account = await find_account(uow, who.channel, who.user_key)
    code = "".join(secrets.choice(rules.LINK_CODE_ALPHABET) for __ in range(rules.LINK_CODE_LENGTH))
    ttl = uow.policy.link_code_ttl_minutes
    uow.add(LinkCode(code=code, account_id=account.id if account else None, channel=who.channel,
                     user_key=who.user_key, address=who.address,
                     expires_at=rules.expires_at(uow.clock.now(), ttl)))
    return code


async def redeem_link_code(uow: UnitOfWork, who: ChannelIdentity, code: str) -> Account:
    """Join this identity and the code's identity into one account."""
    now = uow.clock.now()
    link = await uow.get(LinkCode, rules.link_code_key(code))
    if link is None:
        raise rules.unknown_link_code()
    rules.check_link_code(link.used_at, link.expires_at, now)
    mine = await find_account(uow, who.channel, who.user_key)
    joined = rules.joining((link.channel, link.user_key), link.account_id,
                           (who.channel, who.user_key), mine.id if mine else None)
    claimed = await uow.session.execute(
        update(LinkCode).where(LinkCode.code == link.code, LinkCode.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That link code was just used."))
    account_id = joined.account_id
    newcomer = (ChannelIdentity(link.channel, link.user_key, link.address)
                if joined.adds_codes_identity else who)
    uow.add(Identity(account_id=account_id, channel=newcomer.channel, user_key=newcomer.user_key,
                     address=newcomer.address, created_at=now))
    await uow.session.flush()
    uow.emit(IdentityLinked(account_id, newcomer.channel))
    account = await uow.get(Account, account_id)
    assert account is not None
    return account
