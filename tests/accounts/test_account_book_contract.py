"""The accounts' book behaves alike in memory and in the database: one set of tests
(`AccountBookContract`) runs against the tests' `MemoryAccountBook` (on the engine's members, no
database) and `SqlAccountBook` (on SQLite and PostgreSQL), so the settings changes, profiles and
links tested in a chat in memory hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.accounts.book import AccountBook, KeptLinkCode, SqlAccountBook
from core.accounts.member import Member
from core.accounts.tables import Account, EmailVerification
from core.clock import FakeClock
from tests.accounts.fakes import MemoryAccountBook
from tests.support.accounts import person_in
from tests.support.memory_engine import MemoryTurns


def link(code: str, at: datetime, account_id: int | None = None, key: str = "ann") -> KeptLinkCode:
    return KeptLinkCode(code=code, account_id=account_id, channel="terminal", user_key=key,
                        address=key, expires_at=at + timedelta(minutes=15))


class AccountBookContract:
    """What every book does; a subclass gives `books`: a book, its clock, how people come to
    be and what the book keeps that its protocol doesn't read back."""

    async def test_a_member_is_found_by_identity_and_by_id_and_no_one_else(self, books):
        ann = await books.person("Ann", roles=("seller",), language="de")
        assert await books.book.find("terminal", "ann") == ann
        assert await books.book.member(ann.id) == ann
        assert (ann.display_name, ann.roles, ann.language) == ("Ann", ("seller",), "de")
        assert await books.book.find("telegram", "ann") is None
        assert await books.book.find("terminal", "bob") is None
        assert await books.book.member(ann.id + 1000) is None

    async def test_an_account_opened_holds_what_it_was_given_and_the_tables_defaults(self, books):
        ann = await books.book.open_account("telegram", "42", "4242", {
            "display_name": "Ann", "company": "Baltic Pellets", "email": "ann@example.com",
            "roles": ["seller"], "country": "LV", "city": "Riga", "latitude": 56.9,
            "longitude": 24.1, "interests": ["pellets"], "timezone": "Europe/Riga",
            "notify_channel": "telegram", "currency": "EUR", "language": "lv",
            "email_verified_at": None})
        assert (ann.display_name, ann.company, ann.email, ann.roles, ann.country, ann.city,
                ann.latitude, ann.longitude, ann.interests, ann.timezone, ann.notify_channel,
                ann.currency, ann.language) == (
            "Ann", "Baltic Pellets", "ann@example.com", ("seller",), "LV", "Riga", 56.9, 24.1,
            ("pellets",), "Europe/Riga", "telegram", "EUR", "lv")
        assert (ann.weekly_picks, ann.quiet_start, ann.suspended_at, ann.billing_name,
                ann.email_verified_at) == (True, None, None, None, None)
        assert await books.book.find("telegram", "42") == ann
        assert await books.book.channels(ann.id) == ["telegram"]
        bob = await books.book.open_account("telegram", "43", "43", {
            "display_name": "Bob", "email": "bob@example.com", "roles": ["buyer"]})
        assert bob.id != ann.id and (bob.language, bob.currency, bob.timezone) == (
            "en", "EUR", "UTC")

    async def test_the_newest_email_code_waits_counts_wrong_guesses_and_is_used_once(self, books):
        ann = await books.person("Ann")
        at = books.clock.now()
        assert await books.book.pending_email_code(ann.id + 1000) is None
        await books.book.issue_email_code(ann.id, "ann@example.com", "h1", at)
        await books.book.issue_email_code(ann.id, "ann@example.org", "h2", at)
        waiting = await books.book.pending_email_code(ann.id)
        assert waiting is not None
        assert (waiting.email, waiting.code_hash, waiting.attempts, waiting.expires_at) == (
            "ann@example.org", "h2", 0, at)
        await books.book.count_wrong_code(waiting.id)
        await books.book.count_wrong_code(waiting.id)
        again = await books.book.pending_email_code(ann.id)
        assert again is not None and (again.id, again.attempts) == (waiting.id, 2)
        await books.book.use_email_code(waiting.id)
        assert await books.book.pending_email_code(ann.id) is None
        assert await books.open_email_codes() == []

    async def test_a_change_sets_the_fields_named_and_is_read_back(self, books):
        ann = await books.person("Ann")
        bob = await books.person("Bob")
        changed = await books.book.change(ann.id, {
            "language": "lv", "roles": ["buyer", "seller"], "interests": ["pellets"],
            "quiet_start": "22:00", "weekly_picks": False, "country": "EE"})
        assert changed is not None
        assert (changed.language, changed.roles, changed.interests, changed.quiet_start,
                changed.weekly_picks, changed.country) == (
            "lv", ("buyer", "seller"), ("pellets",), "22:00", False, "EE")
        assert changed.display_name == "Ann" and changed.email == ann.email
        assert await books.book.member(ann.id) == changed
        assert await books.book.find("terminal", "ann") == changed
        assert await books.book.member(bob.id) == bob
        assert await books.updated_at(ann.id) == books.clock.now()
        assert await books.book.change(ann.id + 1000, {"language": "lv"}) is None

    async def test_an_email_left_unverified_reads_so(self, books):
        ann = await books.person("Ann", verified=True)
        assert ann.email_verified_at is not None
        changed = await books.book.change(ann.id, {"email_verified_at": None})
        assert changed is not None and changed.email_verified_at is None

    async def test_billing_details_are_kept_and_read_back_as_written(self, books):
        ann = await books.person("Ann")
        given = {"billing_name": "Ann SIA", "billing_street": "Brīvības iela 1",
                 "billing_postcode": "LV-1010", "billing_town": "Rīga",
                 "billing_country": "LV", "vat_id": "LV40003000000", "vat_rate": "21"}
        changed = await books.book.change(ann.id, given)
        again = await books.book.member(ann.id)
        assert changed == again and again is not None
        assert {name: getattr(again, name) for name in given} == given
        cleared = await books.book.change(ann.id, {"vat_id": None, "vat_rate": None})
        assert cleared is not None and (cleared.vat_id, cleared.vat_rate) == (None, None)
        assert cleared.billing_name == "Ann SIA"

    async def test_onboarding_is_noted_the_first_time_only(self, books):
        ann = await books.person("Ann")
        assert await books.onboarded_at(ann.id) is None
        first = books.clock.now()
        await books.book.mark_onboarded(ann.id)
        books.clock.advance(minutes=5)
        await books.book.mark_onboarded(ann.id)
        assert await books.onboarded_at(ann.id) == first
        await books.book.mark_onboarded(ann.id + 1000)  # no one: nothing to note

    async def test_a_new_email_code_ends_the_earlier_ones(self, books):
        ann = await books.person("Ann")
        bob = await books.person("Bob")
        at = books.clock.now()
        await books.book.issue_email_code(ann.id, "ann@example.com", "h1", at)
        await books.book.issue_email_code(bob.id, "bob@example.com", "h2", at)
        await books.book.issue_email_code(ann.id, "ann@example.org", "h3", at)
        assert await books.open_email_codes() == [
            (bob.id, "bob@example.com", "h2"), (ann.id, "ann@example.org", "h3")]

    async def test_the_channels_of_a_member_are_each_named_once_sorted(self, books):
        ann = await books.person("Ann")
        assert await books.book.channels(ann.id) == ["terminal"]
        await books.book.add_identity(ann.id, "telegram", "42", "42")
        await books.book.add_identity(ann.id, "slack", "T1:U1", "U1")
        await books.book.add_identity(ann.id, "slack", "T2:U1", "U1")
        assert await books.book.channels(ann.id) == ["slack", "telegram", "terminal"]
        assert await books.book.find("telegram", "42") == await books.book.member(ann.id)
        assert await books.book.channels(ann.id + 1000) == []

    async def test_an_identity_belongs_to_one_account(self, books):
        ann = await books.person("Ann")
        await books.person("Bob")
        with pytest.raises(Exception):  # noqa: B017 — the database's IntegrityError, or the fake's
            await books.book.add_identity(ann.id, "terminal", "bob", "bob")

    async def test_a_link_code_is_kept_as_given_and_claimed_once(self, books):
        ann = await books.person("Ann")
        now = books.clock.now()
        mine, guest = link("ABCD2345", now, ann.id), link("WXYZ6789", now, key="guest")
        await books.book.keep_link_code(mine)
        await books.book.keep_link_code(guest)
        assert await books.book.link_code("ABCD2345") == mine
        assert await books.book.link_code("WXYZ6789") == guest
        assert await books.book.link_code("NOPE2345") is None
        books.clock.advance(minutes=1)
        assert await books.book.claim_link_code("ABCD2345") is True
        assert await books.book.claim_link_code("ABCD2345") is False
        assert await books.book.claim_link_code("NOPE2345") is False
        claimed = await books.book.link_code("ABCD2345")
        assert claimed is not None and claimed.used_at == books.clock.now()
        assert await books.book.link_code("WXYZ6789") == guest


@dataclass
class MemoryBooks:
    clock: FakeClock
    turns: MemoryTurns
    book: MemoryAccountBook

    async def person(self, name: str, *, roles: tuple[str, ...] = ("buyer",),
                     language: str = "en", verified: bool = False) -> Member:
        key = name.lower()
        member = self.turns.register("terminal", key, name, roles=roles, language=language)
        return await self.book.change(member.id, {  # type: ignore[return-value]
            "email": f"{key}@example.com",
            "email_verified_at": self.clock.now() if verified else None})

    async def updated_at(self, account_id: int) -> datetime | None:
        return self.book.updated.get(account_id)

    async def onboarded_at(self, account_id: int) -> datetime | None:
        return self.book.onboarded.get(account_id)

    async def open_email_codes(self) -> list[tuple[int, str, str]]:
        return [(c.account_id, c.email, c.code_hash) for c in self.book.email_codes
                if c.consumed_at is None]


class TestMemoryAccountBook(AccountBookContract):
    @pytest.fixture
    def books(self, clock):
        turns = MemoryTurns()
        return MemoryBooks(clock, turns, MemoryAccountBook(turns.members, clock))


@dataclass
class SqlBooks:
    """A SqlAccountBook in one open unit of work; people registered in it, rolled back after."""

    uow: Any
    book: AccountBook
    clock: FakeClock

    async def person(self, name: str, *, roles: tuple[str, ...] = ("buyer",),
                     language: str = "en", verified: bool = False) -> Member:
        account_id = await person_in(self.uow, name, roles=roles, language=language)
        if verified:
            account = await self.uow.get(Account, account_id)
            account.email_verified_at = self.clock.now()
        found = await self.book.member(account_id)
        assert found is not None
        return found

    async def _account(self, account_id: int) -> Account:
        await self.uow.session.flush()
        account = await self.uow.get(Account, account_id)
        assert account is not None
        return account  # type: ignore[no-any-return]

    async def updated_at(self, account_id: int) -> datetime | None:
        return (await self._account(account_id)).updated_at

    async def onboarded_at(self, account_id: int) -> datetime | None:
        return (await self._account(account_id)).onboarded_at

    async def open_email_codes(self) -> list[tuple[int, str, str]]:
        await self.uow.session.flush()
        rows = await self.uow.session.execute(
            select(EmailVerification.account_id, EmailVerification.email,
                   EmailVerification.code_hash)
            .where(EmailVerification.consumed_at.is_(None),
                   EmailVerification.code_hash.in_(("h1", "h2", "h3")))
            .order_by(EmailVerification.id))
        return [tuple(row) for row in rows.all()]


class TestSqlAccountBook(AccountBookContract):
    @pytest.fixture
    async def books(self, app, clock):
        async with app.uow() as uow:
            yield SqlBooks(uow, SqlAccountBook(uow), clock)
