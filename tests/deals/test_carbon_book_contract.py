"""The carbon book behaves alike in memory and in the database: one set of tests runs against
the tests' `MemoryCarbonBook` (no database) and `SqlCarbonBook` (SQLite and PostgreSQL), so the
totals tested on the fake hold on the real one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import delete

from core.accounts import member
from core.deals.carbon.book import SqlCarbonBook
from core.deals.carbon.tables import CarbonRecord
from core.deals.carbon.totals import entry_for
from tests.deals.carbon_fakes import MemoryCarbonBook
from tests.deals.carbon_helpers import completed_deal

EARLIER = datetime(2025, 12, 31, 22, 30, tzinfo=UTC)


class CarbonBookContract:
    """`carbon_book` gives (book, deal id, buyer, seller, stranger, allow): a book where the
    deal is completed and unrecorded, and a way to let the seller show their figure."""

    async def test_a_deals_record_is_kept_once_and_read_back_as_it_was_given(self, carbon_book):
        book, deal_id, buyer, seller, stranger, __ = carbon_book
        entry = entry_for(deal_id, buyer, seller, "hvo", Decimal("1000.5"), "l",
                          Decimal("0.009516"), EARLIER)
        assert await book.keep(entry)
        assert not await book.keep(replace(entry, avoided_kg=Decimal(1)))
        assert await book.entries(buyer) == [entry] == await book.entries(seller)
        assert await book.entries(stranger) == []

    async def test_the_public_figure_is_off_until_the_member_allows_it(self, carbon_book):
        book, __, __, seller, __, allow = carbon_book
        assert not await book.shown_publicly(seller)
        await allow(seller)
        assert await book.shown_publicly(seller)


class TestMemoryCarbonBook(CarbonBookContract):
    @pytest.fixture
    def carbon_book(self):
        book = MemoryCarbonBook()

        async def allow(account_id: int) -> None:
            book.public.add(account_id)
        return book, 7, 2, 1, 3, allow


class TestSqlCarbonBook(CarbonBookContract):
    @pytest.fixture
    async def carbon_book(self, app):
        sam, bob, deal_id = await completed_deal(app)
        async with app.uow() as uow:
            await uow.session.execute(delete(CarbonRecord))  # as if it had not been recorded
            await uow.commit()
        async with app.uow() as uow:

            async def allow(account_id: int) -> None:
                await member.update(uow, account_id, carbon_public=True)
            yield SqlCarbonBook(uow), deal_id, bob.id, sam.id, bob.id + 100, allow
