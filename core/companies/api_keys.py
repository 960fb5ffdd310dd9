"""A company's API keys: an admin makes one for a colleague (or herself) with scopes, sees the
company's keys with their last use, and revokes one; the API finds the colleague a presented
key acts as. The key is shown once, at creation; only its secret's hash is kept
(core.companies.api_key_rules). A key acts exactly as its colleague in chat: their spending
limit and approvals apply, and it stops the moment it is revoked or they leave the company —
each request reads the key afresh, nothing about it is cached."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update

from core.accounts.tables import Account
from core.companies import api_key_rules as key_rules
from core.companies.audit_trail import audit
from core.companies.seats import Seat, allowed, seat_of
from core.companies.tables import ApiKey, CompanyMember
from core.errors import NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class KeyView:
    """A key as admins see it: never its secret, only the part that names it."""

    id: int
    name: str
    holder_id: int
    holder: str  # the colleague's name
    scopes: tuple[str, ...]
    shown: str  # "agora_1a2b3c4d5e6f_…"
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class NewKey:
    key: KeyView
    token: str  # the whole key, shown this once


@dataclass(frozen=True)
class KeyHolder:
    """Who a presented key acts as: the colleague, in their company, with the key's scopes and
    the reading conventions their answers are written in."""

    key_id: int
    company_id: int
    account_id: int
    scopes: tuple[str, ...]
    language: str
    country: str | None
    timezone: str
    last_used_at: datetime | None

    def may(self, scope: str) -> bool:
        return scope in self.scopes

    def used_long_ago(self, now: datetime) -> bool:
        """Whether its use should be noted again (`note_use`)."""
        return key_rules.stale(self.last_used_at, now)


async def create(uow: UnitOfWork, actor_id: int, name: str, scopes: list[str],
                 holder_id: int | None = None) -> NewKey:
    """An admin makes a key acting as `holder_id` (a colleague; herself by default)."""
    seat = allowed(await seat_of(uow, actor_id), "manage")
    return await made_for(uow, seat, actor_id, holder_id or actor_id, name, scopes)


async def made_for(uow: UnitOfWork, seat: Seat, actor_id: int, holder_id: int, name: str,
                   scopes: list[str]) -> NewKey:
    """A key of `seat`'s company acting as `holder_id`, made by `actor_id` — its admin, or an
    operator (core.console.api_keys) — whose right to the caller checked."""
    held = await seat_of(uow, holder_id)
    if held is None or held.company.id != seat.company.id:
        raise NotFound(_("They are not in your company."))
    lookup, secret = secrets.token_hex(key_rules.LOOKUP_BYTES), \
        secrets.token_urlsafe(key_rules.SECRET_BYTES)
    row = ApiKey(company_id=seat.company.id, account_id=holder_id,
                 name=key_rules.checked_name(name), lookup=lookup,
                 secret_sha256=key_rules.digest(secret),
                 scopes=key_rules.checked_scopes(scopes), created_by=actor_id,
                 created_at=uow.clock.now())
    uow.add(row)
    await uow.session.flush()
    await audit(uow, seat.company.id, actor_id, "api_key_created", f"api_key:{row.id}",
                name=row.name, holder=holder_id, scopes=list(row.scopes))
    return NewKey(await _view(uow, row), key_rules.written(lookup, secret))


async def keys(uow: UnitOfWork, actor_id: int) -> list[KeyView]:
    """The company's keys, for its admins: those in use first, newest first."""
    seat = allowed(await seat_of(uow, actor_id), "manage")
    return await company_keys(uow, seat.company.id)


async def company_keys(uow: UnitOfWork, company_id: int) -> list[KeyView]:
    """A company's keys (its admins' list, and the console's company page)."""
    rows = (await uow.session.execute(select(ApiKey).where(ApiKey.company_id == company_id)
                                      .order_by(ApiKey.id.desc()))).scalars().all()
    found = [await _view(uow, row) for row in rows]
    return sorted(found, key=lambda k: k.revoked_at is not None)


async def revoke(uow: UnitOfWork, actor_id: int, key_id: int) -> KeyView:
    """An admin revokes one of the company's keys: refused from its next request on."""
    seat = allowed(await seat_of(uow, actor_id), "manage")
    return await revoke_in(uow, actor_id, seat.company.id, key_id)


async def revoke_in(uow: UnitOfWork, actor_id: int, company_id: int, key_id: int) -> KeyView:
    """Revoke a key of this company; revoking one already revoked changes nothing."""
    await uow.session.execute(update(ApiKey).where(
        ApiKey.id == key_id, ApiKey.company_id == company_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=uow.clock.now(), revoked_by=actor_id)
        .execution_options(synchronize_session=False))
    row = (await uow.session.execute(select(ApiKey).where(
        ApiKey.id == key_id, ApiKey.company_id == company_id)
        .execution_options(populate_existing=True))).scalar_one_or_none()
    if row is None:
        raise NotFound(_("That key doesn't exist."))
    if row.revoked_by == actor_id and row.revoked_at == uow.clock.now():
        await audit(uow, company_id, actor_id, "api_key_revoked", f"api_key:{key_id}",
                    name=row.name)
    return await _view(uow, row)


# Built once: the one query every API request makes — the key, its colleague still seated in
# the key's company, and their account (not suspended).
_HOLDER = (select(ApiKey.id, ApiKey.company_id, ApiKey.account_id, ApiKey.secret_sha256,
                  ApiKey.scopes, ApiKey.last_used_at, Account.language, Account.country,
                  Account.timezone)
           .join(CompanyMember, (CompanyMember.account_id == ApiKey.account_id)
                 & (CompanyMember.company_id == ApiKey.company_id))
           .join(Account, Account.id == ApiKey.account_id)
           .where(ApiKey.revoked_at.is_(None), Account.suspended_at.is_(None)))


async def holder(uow: UnitOfWork, presented: str) -> KeyHolder | None:
    """The colleague a presented key acts as; None for a key unknown, wrong, revoked, or whose
    colleague left the company or was suspended. Reads only (its use is `note_use`'s)."""
    token = key_rules.read_token(presented)
    if token is None:
        return None
    row = (await uow.session.execute(_HOLDER.where(ApiKey.lookup == token.lookup))).first()
    if row is None or not key_rules.matches(token.secret, row.secret_sha256):
        return None
    return KeyHolder(row.id, row.company_id, row.account_id, tuple(row.scopes or ()),
                     row.language or "en", row.country, row.timezone or "UTC",
                     row.last_used_at)


async def note_use(uow: UnitOfWork, key_id: int) -> None:
    """The key was used now: written when its last use is a minute old (a conditional update,
    so workers noting it at once write it once)."""
    now = uow.clock.now()
    await uow.session.execute(update(ApiKey).where(
        ApiKey.id == key_id, or_(ApiKey.last_used_at.is_(None),
                                 ApiKey.last_used_at <= now - key_rules.LAST_USED_EVERY))
        .values(last_used_at=now).execution_options(synchronize_session=False))


async def _view(uow: UnitOfWork, row: ApiKey) -> KeyView:
    account = await uow.get(Account, row.account_id)
    return KeyView(row.id, row.name, row.account_id,
                   account.display_name if account is not None else "",
                   tuple(row.scopes or ()), key_rules.written(row.lookup, "…"),
                   row.created_at, row.last_used_at, row.revoked_at)
