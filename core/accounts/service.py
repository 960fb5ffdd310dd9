"""Account use cases: register, verify email, edit the profile, link channel identities."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

from core.accounts import accepted, rules, xrechnung_details
from core.accounts.book import KeptLinkCode, book_of
from core.accounts.book import find_account as find_account  # the row, for the web and tests
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
from core.accounts.tables import Account
from core.actions import Action
from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import N_, _, known_language
from core.storage.uow import UnitOfWork

EDITABLE_FIELDS = frozenset(
    {
        "display_name", "company", "roles", "country", "city", "latitude", "longitude",
        "interests", "currency", "language", "timezone", "notify_channel", "quiet_start",
        "quiet_end", "weekly_picks", "carbon_public", "currencies", "payment_methods",
        "phone",
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


async def open_account(uow: UnitOfWork, who: ChannelIdentity, data: Registration,
                       *, email_verified: bool = False) -> Member:
    """Create the account and its first identity, and send the email verification code.

    `email_verified` is for accounts whose address was checked elsewhere (demo data, imports).
    """
    book = book_of(uow)
    if await book.find(who.channel, who.user_key):
        raise Conflict(_("You are already registered."),
                       actions=(Action(AccountIntent.PROFILE, N_("👤 Profile")),))
    member = await book.open_account(who.channel, who.user_key, who.address, {
        "display_name": data.display_name, "company": data.company, "email": data.email,
        "roles": rules.chosen_roles(data.roles), "country": data.country, "city": data.city,
        "latitude": data.latitude, "longitude": data.longitude, "interests": data.interests,
        "timezone": data.timezone, "notify_channel": who.channel,
        "currency": default_currency(data.country), "language": known_language(data.language),
        "email_verified_at": uow.clock.now() if email_verified else None})
    if not email_verified:
        await start_email_verification(uow, member.id, data.email)
    uow.emit(AccountRegistered(member.id, who.channel))
    return member


async def register(uow: UnitOfWork, who: ChannelIdentity, data: Registration,
                   *, email_verified: bool = False) -> Account:
    """`open_account` in the database, answered with the account's row (demo data, seeding
    and the tests that build on rows)."""
    member = await open_account(uow, who, data, email_verified=email_verified)
    account = await uow.get(Account, member.id)
    assert account is not None
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
    book = book_of(uow)
    pending = await book.pending_email_code(account_id)
    if pending is None:
        raise DomainError(_("There is no code waiting. Tap “Send a new code”."))
    limit = uow.policy.email_code_attempts
    rules.check_may_try(pending.expires_at, pending.attempts, limit, now)
    if not hmac.compare_digest(pending.code_hash, rules.code_hash(account_id, code)):
        await book.count_wrong_code(pending.id)
        raise rules.wrong_code(pending.attempts + 1, limit)
    await book.use_email_code(pending.id)
    await book.change(account_id, {"email": pending.email, "email_verified_at": now})
    uow.emit(EmailVerified(account_id))


async def update_profile(uow: UnitOfWork, account_id: int, **changes: object) -> Member:
    """Change profile fields; a new email must be verified again."""
    rules.check_changes(changes, EDITABLE_FIELDS,
                        str(changes["language"]) if "language" in changes else None)
    if "currencies" in changes:  # the first accepted currency is the default one
        chosen = accepted.checked_currencies(changes["currencies"])  # type: ignore[arg-type]
        changes |= {"currencies": chosen, "currency": chosen[0]}
    if "payment_methods" in changes:
        changes["payment_methods"] = accepted.checked_methods(
            changes["payment_methods"])  # type: ignore[arg-type]
    if "phone" in changes:  # a seller's XRechnung contact, checked as when first given
        phone = changes["phone"]
        changes["phone"] = xrechnung_details.check_phone(str(phone)) if phone else None
    book = book_of(uow)
    before = await book.member(account_id)
    if before is None:
        raise NotAllowed(_("Please register first."),
                         actions=(Action(AccountIntent.REGISTER, N_("📝 Register")),))
    if "currency" in changes and "currencies" not in changes and before.currencies:
        # a new default currency leads the accepted ones
        first = str(changes["currency"])
        changes["currencies"] = [first, *(c for c in before.currencies if c != first)]
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
