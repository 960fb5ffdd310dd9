"""Suspending and restoring an account: a guarded state an operator sets with a reason the
person is told. A suspended account's messages are refused, and search and the consultants'
directory hide its listings and profile."""

from __future__ import annotations

from sqlalchemy import update

from core.accounts.events import AccountSuspended
from core.accounts.member import Member
from core.accounts.tables import Account
from core.errors import Conflict, NotFound
from core.i18n import N_, _
from core.notifications.outbox import addressed_to, notify
from core.operators import audit, rules
from core.operators.roles import is_admin, require
from core.storage.uow import UnitOfWork

REFUSAL = N_("Your Agora account is suspended: {reason}\nYou can't use Agora until it is "
              "restored. If you think this is a mistake, reply to the email we sent you or write "
              "to support.")


def refusal(account: Member) -> str:
    """What a suspended person is told when they write."""
    return _(REFUSAL, reason=account.suspension_reason or _("no reason given"))


async def suspend(uow: UnitOfWork, operator_id: int, account_id: int, reason: str) -> Account:
    """Suspend an account with a reason the person is told on their channel."""
    await require(uow, operator_id, "suspend_users")
    reason = rules.reason(reason)
    rules.check_suspendable(operator_id, account_id, account_id != operator_id
                            and await is_admin(uow, account_id))
    account = await _set(uow, account_id, suspended=True, reason=reason)
    async with addressed_to(uow, account_id):
        await notify(uow, account_id, _("⛔ Your Agora account has been suspended: {reason}", reason=reason),
                     urgent=True)
    await audit.record(uow, operator_id, "account-suspended", f"account:{account_id}", reason)
    return account


async def restore(uow: UnitOfWork, operator_id: int, account_id: int, reason: str) -> Account:
    """Lift a suspension, telling the person why."""
    await require(uow, operator_id, "suspend_users")
    reason = rules.reason(reason)
    account = await _set(uow, account_id, suspended=False, reason=None)
    async with addressed_to(uow, account_id):
        await notify(uow, account_id, _("✅ Your Agora account is restored: {reason}", reason=reason),
                     urgent=True)
    await audit.record(uow, operator_id, "account-restored", f"account:{account_id}", reason)
    return account


async def _set(uow: UnitOfWork, account_id: int, *, suspended: bool, reason: str | None
               ) -> Account:
    """Move between active and suspended with one guarded UPDATE (a second tap is refused)."""
    account = await uow.get(Account, account_id)
    if account is None:
        raise NotFound(_("There is no such account."))
    now = uow.clock.now()
    was = Account.suspended_at.is_(None) if suspended else Account.suspended_at.is_not(None)
    moved = await uow.session.execute(update(Account).where(Account.id == account_id, was).values(
        suspended_at=now if suspended else None, suspension_reason=reason, updated_at=now))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That account is suspended already.") if suspended
                       else _("That account isn't suspended."))
    await uow.session.refresh(account)
    uow.emit(AccountSuspended(account_id, suspended))
    return account

