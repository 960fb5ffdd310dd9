"""A company's roster behaves alike in memory and in the database: one set of tests
(`RosterContract`) runs against the tests' `MemoryRoster` (no database) and the `SqlRoster` (on
SQLite and PostgreSQL), so the use cases tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from core.accounts import service as accounts
from core.accounts.billing import Billing
from core.accounts.tables import Identity
from core.companies.roster import Colleague, InvitationView, NewCompany, Roster
from core.companies.sql_roster import SqlRoster
from core.errors import NotAllowed
from core.money.model import Money
from tests.companies.fakes import MemoryRoster

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # both rosters' clocks stand here
ALL = ("buyer", "approver", "finance", "admin")
EUR = Money.parse("500", "EUR")
DETAILS = Billing("Baltic Heat AS", "Pärnu mnt 10", "10148", "Tallinn", "EE", "EE100931558",
                  Decimal("22"))


def new(name: str, founder: int, slack_team: str | None = None) -> NewCompany:
    return NewCompany(name, slack_team, founder, ALL, NOW)


class RosterContract:
    """What every roster does; a subclass gives `rosters`: a roster and how people come to be."""

    async def test_a_company_put_is_got_back_with_its_founder_seated_in_it(self, rosters):
        roster, alice, bob = rosters.roster, await rosters.person("Alice"), await rosters.person("Bob")
        company = await roster.put_company(new("Baltic Heat AS", alice, "T0AGORA"))
        assert (company.name, company.slack_team, company.billing) == (
            "Baltic Heat AS", "T0AGORA", None)
        assert await roster.company(company.id) == company
        assert await roster.company(company.id + 1000) is None
        seat = await roster.seat(alice)
        assert (seat.company, seat.roles, seat.limit) == (company, ALL, None)
        assert await roster.seat(bob) is None
        assert await roster.roles_of(company.id, alice) == ALL
        assert await roster.roles_of(company.id, bob) is None

    async def test_a_workspace_names_the_first_company_founded_from_it(self, rosters):
        roster = rosters.roster
        first = await roster.put_company(new("Baltic Heat AS", await rosters.person("Alice"),
                                             "T0AGORA"))
        await roster.put_company(new("Nordic Heat", await rosters.person("Bob"), "T0AGORA"))
        assert await roster.workspace_company("T0AGORA") == first
        assert await roster.workspace_company("T0OTHER") is None

    async def test_a_seat_follows_its_roles_and_limit_until_the_member_goes(self, rosters):
        roster, alice, anna = rosters.roster, await rosters.person("Alice"), await rosters.person("Anna")
        company = await roster.put_company(new("Baltic Heat AS", alice))
        await roster.seat_member(company.id, anna, ["buyer"], EUR)
        assert ((await roster.seat(anna)).roles, (await roster.seat(anna)).limit) == (
            ("buyer",), EUR)
        await roster.set_roles(company.id, anna, ["buyer", "approver"])
        await roster.set_limit(company.id, anna, None)
        assert ((await roster.seat(anna)).roles, (await roster.seat(anna)).limit) == (
            ("buyer", "approver"), None)
        assert sorted(await roster.with_role(company.id, "approve")) == sorted([alice, anna])
        assert await roster.with_role(company.id, "manage") == [alice]
        await roster.unseat(company.id, anna)
        assert await roster.seat(anna) is None
        assert await roster.roles_of(company.id, anna) is None

    async def test_colleagues_come_in_the_order_they_joined_with_names_and_limits(self, rosters):
        roster = rosters.roster
        alice, anna, fred = [await rosters.person(n) for n in ("Alice", "Anna", "Fred")]
        company = await roster.put_company(new("Baltic Heat AS", alice))
        await roster.seat_member(company.id, fred, ["finance"], None)
        await roster.seat_member(company.id, anna, ["buyer"], EUR)
        assert await roster.colleagues(company.id) == [
            Colleague(alice, "Alice", list(ALL), None), Colleague(fred, "Fred", ["finance"], None),
            Colleague(anna, "Anna", ["buyer"], EUR)]

    async def test_an_invitation_is_kept_as_given_and_claimed_once(self, rosters):
        roster, alice, anna = rosters.roster, await rosters.person("Alice"), await rosters.person("Anna")
        company = await roster.put_company(new("Baltic Heat AS", alice))
        given = InvitationView("ABCDEFGH23", company.id, ("buyer", "approver"), EUR, alice,
                               NOW + timedelta(days=7))
        await roster.put_invitation(given)
        assert await roster.invitation("ABCDEFGH23") == given
        assert await roster.invitation("ZZZZZZZZZZ") is None
        assert await roster.claim("ABCDEFGH23", anna) is True
        assert await roster.claim("ABCDEFGH23", alice) is False
        assert await roster.claim("ZZZZZZZZZZ", anna) is False
        assert (await roster.invitation("ABCDEFGH23")).used_at is not None

    async def test_the_audit_reads_back_the_latest_first_and_a_persons_join_history(self, rosters):
        roster, alice, anna = rosters.roster, await rosters.person("Alice"), await rosters.person("Anna")
        company = await roster.put_company(new("Baltic Heat AS", alice))
        for action, subject in (("founded", f"company:{company.id}"),
                                ("asked_to_join", f"account:{anna}"),
                                ("limit", f"account:{anna}"), ("refused", f"account:{anna}"),
                                ("asked_to_join", f"account:{anna}"),
                                ("asked_to_join", f"account:{alice}")):
            await roster.audit(company.id, alice, action, subject, note="x")
        assert await roster.join_history(company.id, anna) == [
            "asked_to_join", "refused", "asked_to_join"]
        assert await roster.join_history(company.id + 1000, anna) == []
        latest = await roster.decisions(company.id, 2)
        assert [(d.actor_id, d.action, d.subject) for d in latest] == [
            (alice, "asked_to_join", f"account:{alice}"),
            (alice, "asked_to_join", f"account:{anna}")]
        assert latest[0].at == NOW and roster.now() == NOW

    async def test_people_their_slack_identities_and_their_own_billing(self, rosters):
        roster = rosters.roster
        alice, bob = await rosters.person("Alice", slack="T0AGORA:U1"), await rosters.person("Bob")
        assert await roster.slack_keys(alice) == ["T0AGORA:U1"]
        assert await roster.slack_keys(bob) == []
        assert (await roster.account(alice)).display_name == "Alice"
        assert await roster.account(999_999) is None
        assert await roster.own_billing(bob) is None
        given = await roster.give_own_billing(bob, legal_name="Bob Kalns", street="Brivibas 1",
                                              postcode="LV-1010", town="Riga", country="LV",
                                              vat_id=None, vat_rate=None)
        assert await roster.own_billing(bob) == given
        with pytest.raises(NotAllowed):
            await roster.own_billing(999_999)

    async def test_a_companys_billing_details_show_in_its_members_seats(self, rosters):
        roster, alice = rosters.roster, await rosters.person("Alice")
        company = await roster.put_company(new("Baltic Heat AS", alice))
        await roster.set_billing(company.id, DETAILS)
        assert (await roster.company(company.id)).billing == DETAILS
        assert (await roster.seat(alice)).company.billing == DETAILS

    async def test_a_leitweg_id_is_kept_beside_the_billing_details_until_forgotten(self, rosters):
        roster, alice = rosters.roster, await rosters.person("Alice")
        company = await roster.put_company(new("Bezirksamt Mitte", alice))
        await roster.set_billing(company.id, DETAILS)
        await roster.set_leitweg_id(company.id, "991-33333TEST-33")
        assert (await roster.seat(alice)).company.billing.leitweg_id == "991-33333TEST-33"
        await roster.set_billing(company.id, DETAILS)  # details changed: the id stays
        assert (await roster.company(company.id)).billing.leitweg_id == "991-33333TEST-33"
        await roster.set_leitweg_id(company.id, None)
        assert (await roster.company(company.id)).billing == DETAILS

    async def test_approval_cards_routed_to_a_chat_show_in_the_company_until_routed_back(
            self, rosters):
        roster, alice = rosters.roster, await rosters.person("Alice")
        company = await roster.put_company(new("Baltic Heat AS", alice))
        routed = await roster.route_approvals(company.id, "slack:C0BUYING", "de")
        assert (routed.approvals_chat, routed.approvals_language) == ("slack:C0BUYING", "de")
        assert await roster.company(company.id) == routed
        assert (await roster.seat(alice)).company == routed
        back = await roster.route_approvals(company.id, None, None)
        assert (back.approvals_chat, back.approvals_language) == (None, None)
        assert (await roster.seat(alice)).company == back


@dataclass
class MemoryRosters:
    roster: MemoryRoster = field(default_factory=MemoryRoster)

    async def person(self, name: str, *, slack: str | None = None) -> int:
        return self.roster.person(len(self.roster.people) + 1, name,
                                  slack=(slack,) if slack else ())


class TestMemoryRoster(RosterContract):
    @pytest.fixture
    def rosters(self):
        return MemoryRosters()


@dataclass
class SqlRosters:
    """A SqlRoster in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    roster: Roster

    async def person(self, name: str, *, slack: str | None = None) -> int:
        key = name.lower()
        account = await accounts.register(self.uow, accounts.ChannelIdentity(
            "terminal", key, key), accounts.Registration(
            display_name=name, email=f"{key}@example.com", roles=["buyer"]))
        if slack:
            self.uow.add(Identity(account_id=account.id, channel="slack", user_key=slack,
                                  address=slack, created_at=self.uow.clock.now()))
        await self.uow.session.flush()
        return account.id


class TestSqlRoster(RosterContract):
    @pytest.fixture
    async def rosters(self, app):
        async with app.uow() as uow:
            yield SqlRosters(uow, SqlRoster(uow))
