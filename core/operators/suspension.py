"""Suspending and restoring an account: a guarded state an operator sets with a reason the
person is told. A suspended account's messages are refused, and search and the consultants'
directory hide its listings and profile."""

from __future__ import annotations

from core.accounts.events import AccountSuspended
from core.accounts.member import Member
from core.accounts.tables import Account
from core.errors import Conflict, NotFound
from core.i18n import N_, _
from core.operators import rules
from core.operators.roles import require
from core.operators.sql_store import operators_of
from core.operators.store import Operators
from core.storage.uow import UnitOfWork

REFUSAL = N_("Your Agora account is suspended: {reason}\nYou can't use Agora until it is "
              "restored. If you think this is a mistake, reply to the email we sent you or write "
              "to support.")


def refusal(account: Member) -> str:
    """What a suspended person is told when they write."""
    return _(REFUSAL, reason=account.suspension_reason or _("no reason given"))


SUSPENDED = N_("⛔ Your Agora account has been suspended: {reason}")
RESTORED = N_("✅ Your Agora account is restored: {reason}")


async def suspend(uow: UnitOfWork | Operators, operator_id: int, account_id: int, reason: str
                  ) -> Account:
    """Suspend an account with a reason the person is told on their channel."""
    operators = operators_of(uow)
    await require(operators, operator_id, "suspend_users")
    reason = rules.reason(reason)
    rules.check_suspendable(operator_id, account_id, account_id != operator_id
                            and await operators.is_admin(account_id))
    account = await _set(operators, account_id, suspended=True, reason=reason)
    await operators.tell(account_id, SUSPENDED, reason=reason)
    await operators.record(operator_id, "account-suspended", f"account:{account_id}", reason)
    return account


async def restore(uow: UnitOfWork | Operators, operator_id: int, account_id: int, reason: str
                  ) -> Account:
    """Lift a suspension, telling the person why."""
    operators = operators_of(uow)
    await require(operators, operator_id, "suspend_users")
    reason = rules.reason(reason)
    account = await _set(operators, account_id, suspended=False, reason=None)
    await operators.tell(account_id, RESTORED, reason=reason)
    await operators.record(operator_id, "account-restored", f"account:{account_id}", reason)
    return account


async def _set(operators: Operators, account_id: int, *, suspended: bool, reason: str | None
               ) -> Account:
    """Move between active and suspended with one guarded change (a second tap is refused)."""
    account = await operators.account(account_id)
    if account is None:
        raise NotFound(_("There is no such account."))
    if not await operators.suspend(account_id, reason, suspended=suspended):
        raise Conflict(_("That account is suspended already.") if suspended
                       else _("That account isn't suspended."))
    operators.emit(AccountSuspended(account_id, suspended))
    return account
