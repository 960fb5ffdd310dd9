"""The operators' storage behaves alike in memory and in the database: one set of tests
(`OperatorsContract`) runs against the tests' `MemoryOperators` (no database) and
`SqlOperators` (on SQLite and PostgreSQL), so roles and suspension tested on the fake
(test_operators_core.py) hold on the real one — the suspension's guarded change among them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from core.notifications.tables import OutboxMessage
from core.operators.sql_store import SqlOperators
from core.operators.tables import AuditEntry
from tests.console.fakes import MemoryOperators
from tests.support.accounts import person_in


class OperatorsContract:
    """What every operators' store does; a subclass gives `staff`: a store, and how people
    come to be and what they were told and what the audit log holds is read."""

    async def test_an_admin_is_named_or_granted_and_nobody_else_is(self, staff):
        root, ann = await staff.person("root", admin=True), await staff.person("ann")
        store = staff.store
        assert (await store.account(ann)).display_name == "Ann"
        assert await store.account(ann + 100) is None
        assert await store.is_admin(root) and not await store.is_admin(ann)
        assert await store.granted(root) == set()  # named, not granted
        assert await store.admins() == [root]
        assert await store.grant(ann, "admin", root)
        assert await store.is_admin(ann) and await store.granted(ann) == {"admin"}
        assert await store.admins() == sorted({root, ann})

    async def test_a_role_is_granted_once_and_revoked_once(self, staff):
        root, sue = await staff.person("root", admin=True), await staff.person("sue")
        store = staff.store
        assert await store.grant(sue, "support", root)
        assert not await store.grant(sue, "support", root)
        assert await store.grant(sue, "finance", root)
        assert await store.granted(sue) == {"support", "finance"}
        assert await store.revoke(sue, "support")
        assert not await store.revoke(sue, "support")
        assert not await store.revoke(root, "admin")  # named by settings: no grant to take
        assert await store.granted(sue) == {"finance"}

    async def test_suspension_moves_only_from_the_other_state(self, staff):
        ann = await staff.person("ann")
        store = staff.store
        assert not await store.suspend(ann, None, suspended=False)
        assert await store.suspend(ann, "Spam in every thread", suspended=True)
        account = await store.account(ann)
        assert account.suspended_at == store.now()
        assert account.suspension_reason == "Spam in every thread"
        assert not await store.suspend(ann, "Again", suspended=True)
        assert (await store.account(ann)).suspension_reason == "Spam in every thread"
        assert await store.suspend(ann, None, suspended=False)
        account = await store.account(ann)
        assert account.suspended_at is None and account.suspension_reason is None

    async def test_the_person_is_told_and_the_action_recorded(self, staff):
        root, ann = await staff.person("root", admin=True), await staff.person("ann")
        await staff.store.tell(ann, "✅ Your Agora account is restored: {reason}",
                               reason="A mistake")
        await staff.store.record(root, "account-restored", f"account:{ann}", "A mistake",
                                 role="x")
        assert await staff.told(ann) == ["✅ Your Agora account is restored: A mistake"]
        assert await staff.audit() == [("account-restored", f"account:{ann}", root, "A mistake")]


@dataclass
class MemoryStaff:
    store: MemoryOperators

    async def person(self, name: str, admin: bool = False) -> int:
        return self.store.person(name, admin=admin)

    async def told(self, account_id: int) -> list[str]:
        return [text for to, text in self.store.told if to == account_id]

    async def audit(self) -> list[tuple[Any, ...]]:
        return list(self.store.audit)


class TestMemoryOperators(OperatorsContract):
    @pytest.fixture
    def staff(self):
        return MemoryStaff(MemoryOperators())


@dataclass
class SqlStaff:
    """SqlOperators in one open unit of work; what the tests did there rolled back after."""

    uow: Any
    store: SqlOperators

    async def person(self, name: str, admin: bool = False) -> int:
        # terminal:root is named an administrator by the tests' settings; nobody else is
        assert admin == (name == "root")
        return await person_in(self.uow, name.capitalize())

    async def told(self, account_id: int) -> list[str]:
        await self.uow.flush()  # the outbox's rows are staged until then
        rows = await self.uow.session.execute(select(OutboxMessage.payload).where(
            OutboxMessage.account_id == account_id).order_by(OutboxMessage.id))
        return [payload["text"] for payload in rows.scalars()]

    async def audit(self) -> list[tuple[Any, ...]]:
        await self.uow.flush()
        rows = await self.uow.session.execute(select(
            AuditEntry.action, AuditEntry.subject, AuditEntry.actor_id, AuditEntry.reason)
            .order_by(AuditEntry.id))
        return [tuple(row) for row in rows.all()]


class TestSqlOperators(OperatorsContract):
    @pytest.fixture
    async def staff(self, app):
        async with app.uow() as uow:
            yield SqlStaff(uow, SqlOperators(uow))
