"""Console sign-in without passwords: a one-time link sent to the operator's own chat opens a
console session. Links and sessions are random tokens of which only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import update

from core.errors import NotAllowed
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify
from core.operators import audit, rules
from core.operators.roles import roles_of
from core.operators.tables import ConsoleSession, SignInLink
from core.storage.uow import UnitOfWork

USED_OR_EXPIRED = N_("That sign-in link has expired or was used already. Ask for a new one in "
                     "your Agora chat.")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def send_link(uow: UnitOfWork, account_id: int | None, channel: str) -> str:
    """Send a fresh one-time sign-in link to the operator's chat on `channel`; returns it."""
    if not await roles_of(uow, account_id):
        raise NotAllowed(_("The console is for Agora's operators."))
    assert account_id is not None
    token = secrets.token_urlsafe(32)
    now, minutes = uow.clock.now(), uow.policy.console_link_minutes
    uow.add(SignInLink(token_hash=digest(token), account_id=account_id, created_at=now,
                       expires_at=rules.link_expires(now, minutes)))
    link = f"{uow.policy.public_url.rstrip('/')}/admin/login/{token}"
    async with addressed_to(uow, account_id):
        await notify(uow, account_id, _("🔐 Your Agora console sign-in link (works once, for "
                                        "{minutes} minutes):\n{link}\nIf you didn't ask for it, "
                                        "ignore this message.", minutes=minutes, link=link),
                     channel=channel, urgent=True)
    return link


async def redeem(uow: UnitOfWork, token: str) -> tuple[str, int]:
    """Use a sign-in link once: (a new session token, the operator's account id)."""
    now = uow.clock.now()
    used = await uow.session.execute(
        update(SignInLink).where(SignInLink.token_hash == digest(token),
                                 SignInLink.used_at.is_(None), SignInLink.expires_at > now)
        .values(used_at=now).returning(SignInLink.account_id)
        .execution_options(synchronize_session=False))
    account_id = used.scalar()
    if account_id is None:
        raise NotAllowed(_(USED_OR_EXPIRED))
    if not await roles_of(uow, account_id):  # the role was taken away since
        raise NotAllowed(_("The console is for Agora's operators."))
    session = secrets.token_urlsafe(32)
    uow.add(ConsoleSession(token_hash=digest(session), account_id=account_id, created_at=now,
                           expires_at=rules.session_expires(now, uow.policy.console_session_hours)))
    await audit.record(uow, account_id, "sign-in", f"account:{account_id}")
    return session, account_id


async def session_account(uow: UnitOfWork, session: str) -> int | None:
    """The operator a console session belongs to, while it is open and unexpired."""
    row = await uow.get(ConsoleSession, digest(session))
    if row is None or not rules.session_open(row.ended_at, row.expires_at, uow.clock.now()):
        return None
    return row.account_id


async def sign_out(uow: UnitOfWork, session: str) -> None:
    """End a console session (its cookie stops working even if kept)."""
    ended = await uow.session.execute(
        update(ConsoleSession).where(ConsoleSession.token_hash == digest(session),
                                     ConsoleSession.ended_at.is_(None))
        .values(ended_at=uow.clock.now()).returning(ConsoleSession.account_id)
        .execution_options(synchronize_session=False))
    account_id = ended.scalar()
    if account_id is not None:
        await audit.record(uow, account_id, "sign-out", f"account:{account_id}")
