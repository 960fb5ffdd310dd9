"""Dates typed as “today” or “+60” follow the application clock and the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.clock import FakeClock
from tests.catalog.helpers import list_pellets, make_account
from tests.support.chat import ChatUser


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2031, 3, 9, 23, 30, tzinfo=UTC))  # already 10 March in Tokyo


async def test_today_and_plus_days_are_the_sellers_date_by_the_application_clock(app):
    seller = await make_account(app, "sam")
    async with app.uow() as uow:
        (await uow.session.get(Account, seller.id)).timezone = "Asia/Tokyo"
        await uow.commit()
    sam = ChatUser(app, "sam")
    await list_pellets(sam, publish=False)  # available from “today”, valid until “+60”
    assert "Preview" in sam.texts()
    async with app.uow() as uow:
        listing = (await uow.session.execute(select(Listing))).scalar_one()
        assert listing.available_from.date().isoformat() == "2031-03-10"
        assert listing.valid_until.date().isoformat() == "2031-05-09"
