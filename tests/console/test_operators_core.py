"""The operators' core: what each role may do, roles granted and revoked, suspension as a
guarded state, the audit log written in the action's own transaction, and a sign-in link that
two browsers race for signing in once.

Roles and suspension run on the in-memory operators (`MemoryOperators`, tests/console/fakes.py,
held to the database's by test_operators_contract.py); the audit entry rolled back with its
action and the race for one link are the database's to prove."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, DomainError, InvalidField, NotAllowed
from core.operators import grants, signin, suspension
from core.operators.roles import can_handle_support, roles_of
from core.operators.rules import PERMISSIONS, ROLES, may
from core.operators.tables import AuditEntry, ConsoleSession
from tests.catalog.helpers import make_account
from tests.console.fakes import MemoryOperators
from tests.console.helpers import SIGN_IN_LINK


def test_admin_may_everything_and_each_other_role_only_its_share():
    assert all(may({"admin"}, action) for action in PERMISSIONS)
    assert may({"support"}, "handle_support") and may({"support"}, "ask_party")
    assert not may({"support"}, "decide_disputes") and not may({"support"}, "moderate")
    assert may({"moderator"}, "suspend_users") and not may({"moderator"}, "view_payments")
    assert may({"finance"}, "decide_disputes") and not may({"finance"}, "grant_roles")
    assert not any(may(set(), action) for action in PERMISSIONS)
    assert not any(may({role}, "view_audit") for role in ROLES if role != "admin")
    with pytest.raises(KeyError):
        may({"admin"}, "launch_rockets")  # a misspelt action is a bug, not a refusal


async def test_roles_come_from_settings_and_grants_and_answer_the_support_check():
    operators = MemoryOperators()
    root, sue = operators.person("root", admin=True), operators.person("sue")
    assert await roles_of(operators, root) == {"admin"}
    assert not await can_handle_support(operators, sue)
    await grants.grant(operators, root, sue, "support")
    await grants.grant(operators, root, sue, "support")  # twice: still one grant
    assert await roles_of(operators, sue) == {"support"}
    assert await can_handle_support(operators, sue) and await can_handle_support(operators, root)
    with pytest.raises(NotAllowed):
        await grants.grant(operators, sue, sue, "admin")  # only admins grant
    with pytest.raises(DomainError, match="A role is one of"):
        await grants.grant(operators, root, sue, "owner")
    assert [entry[0] for entry in operators.audit] == ["role-granted"]  # the first grant alone


async def test_an_action_that_fails_leaves_no_audit_entry(app):
    root = await make_account(app, "root")
    ann = await make_account(app, "ann")
    async with app.uow() as uow:
        await suspension.suspend(uow, root.id, ann.id, "Selling wet pellets as dry")
        # the transaction never commits: the suspension and its entry go together
    async with app.uow() as uow:
        assert (await uow.session.execute(select(func.count(AuditEntry.id)))).scalar() == 0
        await suspension.suspend(uow, root.id, ann.id, "Selling wet pellets as dry")
        await uow.commit()
    async with app.uow() as uow:
        entries = (await uow.session.execute(select(
            AuditEntry.action, AuditEntry.subject, AuditEntry.actor_id, AuditEntry.reason))).all()
    assert [tuple(e) for e in entries] == [
        ("account-suspended", f"account:{ann.id}", root.id, "Selling wet pellets as dry")]


async def test_suspension_is_a_guarded_state_and_admins_cannot_be_suspended():
    operators = MemoryOperators()
    root, ann = operators.person("root", admin=True), operators.person("ann")
    with pytest.raises(InvalidField):
        await suspension.suspend(operators, root, ann, "no")
    with pytest.raises(NotAllowed):
        await suspension.suspend(operators, root, root, "I want a holiday")
    with pytest.raises(NotAllowed):
        await suspension.suspend(operators, ann, root, "Revenge for everything")
    with pytest.raises(Conflict):
        await suspension.restore(operators, root, ann, "Nothing to restore")
    await suspension.suspend(operators, root, ann, "Spam in every thread")
    with pytest.raises(Conflict):
        await suspension.suspend(operators, root, ann, "Spam in every thread")
    assert await roles_of(operators, ann) == frozenset()


async def test_two_browsers_racing_with_one_link_get_one_session(app):
    root = await make_account(app, "root")
    async with app.uow() as uow:
        link = await signin.send_link(uow, root.id, "terminal")
        await uow.commit()
    token = SIGN_IN_LINK.search(link).group(1)

    async def redeem() -> bool:
        async with app.uow() as uow:
            try:
                await signin.redeem(uow, token)
            except NotAllowed:
                return False
            await uow.commit()
            return True

    results = await asyncio.gather(redeem(), redeem())
    assert sorted(results) == [False, True]
    async with app.uow() as uow:
        assert (await uow.session.execute(select(func.count()).select_from(
            ConsoleSession))).scalar() == 1
