"""The threads' storage behaves alike in memory and in the database: one set of tests
(`CorrespondenceContract`) runs against the tests' `MemoryCorrespondence` (no database) and the
`SqlCorrespondence` (on SQLite and PostgreSQL), so that the threads' use cases tested on the
fake hold on the real one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from core.deals.offers import service as offers
from core.deals.threads.correspondence import Correspondence, SqlCorrespondence
from core.deals.threads.tables import Thread, ThreadMessage
from core.errors import NotFound
from tests.catalog.helpers import make_account, publish
from tests.deals.test_offers import terms
from tests.deals.thread_fakes import MemoryCorrespondence


class CorrespondenceContract:
    """What every correspondence does; a subclass gives `correspondence`: one, with people,
    listings and deals it can make."""

    async def test_a_listing_is_asked_about_while_on_the_market_or_by_a_deals_parties(
            self, correspondence):
        sam, bob = await correspondence.person("sam"), await correspondence.person("bob")
        live = await correspondence.listing(sam)
        gone = await correspondence.listing(sam, visible=False)
        mail = correspondence.mail
        assert await mail.seller_of(live, bob, False) == sam
        assert await mail.seller_of(gone, sam, False) == sam  # the seller sees their own
        with pytest.raises(NotFound):
            await mail.seller_of(gone, bob, False)
        assert await mail.seller_of(gone, bob, True) == sam
        for any_status in (False, True):
            with pytest.raises(NotFound):
                await mail.seller_of(live + 1000, bob, any_status)

    async def test_a_thread_is_kept_found_by_listing_and_buyer_and_changed_in_place(
            self, correspondence):
        sam, bob = await correspondence.person("sam"), await correspondence.person("bob")
        eve = await correspondence.person("eve")
        listing_id = await correspondence.listing(sam)
        mail = correspondence.mail
        thread = Thread(listing_id=listing_id, buyer_id=bob, seller_id=sam, created_at=mail.now())
        await mail.put(thread)
        assert thread.id is not None and await mail.thread(thread.id) is thread
        assert await mail.thread_of(listing_id, bob) is thread
        assert await mail.thread_of(listing_id, eve) is None
        assert await mail.thread(thread.id + 1000) is None
        thread.blocked_by, thread.reported_by = sam, sam
        assert ((await mail.thread(thread.id)).blocked_by,
                (await mail.thread_of(listing_id, bob)).reported_by) == (sam, sam)

    async def test_messages_come_newest_first_skipping_and_limited_per_thread(
            self, correspondence):
        sam, bob = await correspondence.person("sam"), await correspondence.person("bob")
        eve = await correspondence.person("eve")
        listing_id = await correspondence.listing(sam)
        mail = correspondence.mail
        ours, theirs = (Thread(listing_id=listing_id, buyer_id=b, seller_id=sam,
                               created_at=mail.now()) for b in (bob, eve))
        await mail.put(ours)
        await mail.put(theirs)
        sent = []
        for n, thread in enumerate((ours, theirs, ours, ours, theirs)):
            message = ThreadMessage(thread_id=thread.id, sender_id=sam, text=f"m{n}",
                                    masked=False, created_at=mail.now())
            await mail.put(message)
            sent.append(message)
        assert sent[0].id is not None
        assert [m.text for m in await mail.messages(ours.id, 0, 10)] == ["m3", "m2", "m0"]
        assert [m.text for m in await mail.messages(ours.id, 1, 1)] == ["m2"]
        assert [m.text for m in await mail.messages(theirs.id, 0, 10)] == ["m4", "m1"]
        assert await mail.messages(ours.id, 3, 10) == []

    async def test_a_notice_reads_a_message_a_partys_last_words_and_the_listings_title(
            self, correspondence):
        sam, bob = await correspondence.person("sam"), await correspondence.person("bob")
        listing_id = await correspondence.listing(sam, visible=False)  # named all the same
        mail = correspondence.mail
        thread = Thread(listing_id=listing_id, buyer_id=bob, seller_id=sam, created_at=mail.now())
        await mail.put(thread)
        sent = []
        for sender, text in ((sam, "a"), (bob, "b"), (sam, "c"), (sam, "d")):
            message = ThreadMessage(thread_id=thread.id, sender_id=sender, text=text,
                                    masked=False, created_at=mail.now())
            await mail.put(message)
            sent.append(message)
        assert await mail.message(sent[1].id) is sent[1]
        assert await mail.message(sent[-1].id + 1000) is None
        assert await mail.last_from(thread.id, sam, 2) == ["d", "c"]
        assert await mail.last_from(thread.id, bob, 3) == ["b"]
        assert await mail.last_from(thread.id + 1000, sam, 3) == []
        assert await mail.title(listing_id) == "ENplus A1 wood pellets"
        assert await mail.title(listing_id + 1000) is None

    async def test_a_deal_agreed_on_the_listing_is_known_to_its_buyer_only(self, correspondence):
        sam, bob = await correspondence.person("sam"), await correspondence.person("bob")
        eve = await correspondence.person("eve")
        listing_id = await correspondence.listing(sam)
        mail = correspondence.mail
        assert not await mail.agreed(listing_id, bob)
        await correspondence.agree(listing_id, bob)
        assert await mail.agreed(listing_id, bob)
        assert not await mail.agreed(listing_id, eve)


@dataclass
class MemoryAdapter:
    mail: MemoryCorrespondence = field(default_factory=MemoryCorrespondence)
    people: int = 0

    async def person(self, name: str) -> int:
        self.people += 1
        return self.people

    async def listing(self, seller_id: int, visible: bool = True) -> int:
        return self.mail.listing(seller_id, visible)

    async def agree(self, listing_id: int, buyer_id: int) -> None:
        self.mail.agree(listing_id, buyer_id)


class TestMemoryCorrespondence(CorrespondenceContract):
    @pytest.fixture
    def correspondence(self):
        return MemoryAdapter()


@dataclass
class SqlAdapter:
    """A SqlCorrespondence in one open unit of work (people and listings made before, each
    committed)."""

    app: Any
    uow: Any
    mail: Correspondence

    async def person(self, name: str) -> int:
        return (await make_account(self.app, name)).id

    async def listing(self, seller_id: int, visible: bool = True) -> int:
        from core.accounts.tables import Account
        from core.catalog import lifecycle

        async with self.app.uow() as uow:
            seller = await uow.get(Account, seller_id)
        listing_id = await publish(self.app, seller, quantity="500", min_order="20")
        if not visible:
            async with self.app.uow() as uow:
                await lifecycle.act(uow, listing_id, seller_id, "pause")
                await uow.commit()
        return listing_id

    async def agree(self, listing_id: int, buyer_id: int) -> None:
        offer = await offers.make_offer(self.uow, listing_id, buyer_id, terms())
        seller_id = await self.mail.seller_of(listing_id, buyer_id, True)
        await offers.accept(self.uow, offer.id, seller_id)


class TestSqlCorrespondence(CorrespondenceContract):
    @pytest.fixture
    async def correspondence(self, app):
        async with app.uow() as uow:
            yield SqlAdapter(app, uow, SqlCorrespondence(uow))
