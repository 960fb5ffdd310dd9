"""Account use cases: register, verify email, edit the profile, link channel identities."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select

from core.accounts import rules
from core.accounts.book import KeptLinkCode, book_of, find_account
from core.accounts.events import (
    AccountRegistered,
    EmailVerified,
    IdentityLinked,
    ProfileUpdated,
    VerificationCodeIssued,
)
from core.accounts.intents import AccountIntent
from core.accounts.model import default_currency
from core.accounts.read_model import Member
from core.accounts.tables import Account, EmailVerification, Identity
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
    code = rules.email_code(secrets.randbelow(1_000_000))
    ttl = uow.policy.email_code_ttl_minutes
    await book_of(uow).issue_email_code(account_id, email, rules.code_hash(account_id, code),
                                        rules.expires_at(uow.clock.now(), ttl))
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


async def update_profile(uow: UnitOfWork, account_id: int, **changes: object) -> Member:
    """Change profile fields; a new email must be verified again."""
    rules.check_changes(changes, EDITABLE_FIELDS,
                        str(changes["language"]) if "language" in changes else None)
    book = book_of(uow)
    before = await book.member(account_id)
    if before is None:
        raise NotAllowed(_("Please register first."),
                         actions=(Action(AccountIntent.REGISTER, N_("📝 Register")),))
    new_email = changes.pop("email", None)
    email_changes = isinstance(new_email, str) and new_email != before.email
    after = await book.change(account_id, {**changes, **({"email_verified_at": None}
                                                         if email_changes else {})})
    assert after is not None
    if email_changes:
        await start_email_verification(uow, account_id, str(new_email))
    uow.emit(ProfileUpdated(account_id, tuple(sorted([*changes, *(["email"] if new_email else [])]))))
    return after


async def mark_onboarded(uow: UnitOfWork, account_id: int) -> None:
    await book_of(uow).mark_onboarded(account_id)


async def issue_link_code(uow: UnitOfWork, who: ChannelIdentity) -> str:
    """A one-time code to type on the other channel; works from either side."""
    book = book_of(uow)
    mine = await book.find(who.channel, who.user_key)
    code = "".join(secrets.choice(rules.LINK_CODE_ALPHABET) for __ in range(rules.LINK_CODE_LENGTH))
    ttl = uow.policy.link_code_ttl_minutes
    await book.keep_link_code(KeptLinkCode(
        code=code, account_id=mine.id if mine else None, channel=who.channel,
        user_key=who.user_key, address=who.address,
        expires_at=rules.expires_at(uow.clock.now(), ttl)))
    return code


async def redeem_link_code(uow: UnitOfWork, who: ChannelIdentity, code: str) -> Member:
    """Join this identity and the code's identity into one account."""
    book = book_of(uow)
    link = await book.link_code(rules.link_code_key(code))
    if link is None:
        raise rules.unknown_link_code()
    rules.check_link_code(link.used_at, link.expires_at, uow.clock.now())
    mine = await book.find(who.channel, who.user_key)
    joined = rules.joining((link.channel, link.user_key), link.account_id,
                           (who.channel, who.user_key), mine.id if mine else None)
    if not await book.claim_link_code(link.code):
        raise Conflict(_("That link code was just used."))
    newcomer = (ChannelIdentity(link.channel, link.user_key, link.address)
                if joined.adds_codes_identity else who)
    await book.add_identity(joined.account_id, newcomer.channel, newcomer.user_key,
                            newcomer.address)
    uow.emit(IdentityLinked(joined.account_id, newcomer.channel))
    account = await book.member(joined.account_id)
    assert account is not None
    return account
