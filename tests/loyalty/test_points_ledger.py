"""The points ledger: each event earns once, every journal balances, tiers by the last 12 months.
What a completed deal and a rating earn runs in memory, the handlers wired as on the database
on the deal book's and the points book's fakes; payments and sessions on the database; the
ledger's and the standing's rules on the in-memory book (`tests/loyalty/fakes.py`), which
`test_book_contract.py` holds to the SQL one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.after_sale.logbook import Logbook
from core.deals.deal_book import DealBook
from core.deals.ratings.scoreboard import Scoreboard
from core.loyalty import earning, points, rules, service
from core.loyalty import wiring as loyalty_wiring
from core.loyalty.book import PointsBook
from core.loyalty.rules import EARN
from core.money.model import Money
from core.process.deals import DealState
from tests.deals.deal_fakes import BOB, SAM, MemoryDeals
from tests.loyalty.fakes import MemoryPointsBook
from tests.loyalty.helpers import balance
from tests.payments.helpers import BUYER, people
from tests.support.memory_engine import MemoryChat

BUYER_ID, SELLER_ID = 1, 2


@pytest.fixture
def book() -> MemoryPointsBook:
    return MemoryPointsBook()


async def give(book: MemoryPointsBook, account_id: int, amount: int, key: str = "gift") -> None:
    """Points issued to a member (as any earning event issues them)."""
    await points.earn(book, f"{key}:{account_id}", "deal", account_id, amount, "test points")


def earning_chat() -> tuple[MemoryChat, MemoryDeals, MemoryPointsBook]:
    """A chat in memory whose deals are the deal book returned (Sam sells to Bob) and whose
    points the points book, loyalty's handlers wired as on the database."""
    deals_book, book = MemoryDeals(), MemoryPointsBook()
    chat = MemoryChat([], stores={DealBook: deals_book, Logbook: deals_book,
                                  Scoreboard: deals_book, PointsBook: book},
                      wiring=[loyalty_wiring.wire])
    return chat, deals_book, book


async def completed_in(chat: MemoryChat, deals_book: MemoryDeals) -> int:
    """A delivered sale whose buyer confirms receipt (the move that earns points), committed."""
    deal_id = deals_book.sale(DealState.DELIVERED)
    async with chat.uow() as uow:
        await deals.take(uow, deal_id, "confirm-receipt", BOB)
        await uow.commit()
    return deal_id


async def test_a_completed_deal_earns_both_parties_once_even_when_handled_twice():
    chat, deals_book, book = earning_chat()
    deal_id = await completed_in(chat, deals_book)
    assert await points.balance(book, points.member(SAM)) == EARN["deal"]
    assert await points.balance(book, points.member(BOB)) == EARN["deal"]
    async with chat.uow() as uow:  # the same event again (a retried handler) earns nothing
        assert not await earning.award(uow, "deal", SAM, f"deal:{deal_id}")
        await uow.commit()
    assert await points.balance(book, points.member(SAM)) == EARN["deal"]
    assert await points.unbalanced_journals(book) == []


async def test_a_rating_given_earns_the_rater_once():
    chat, deals_book, book = earning_chat()
    deal_id = await completed_in(chat, deals_book)
    async with chat.uow() as uow:
        await after_sale.rate(uow, deal_id, BOB, 5, {"quality": 5})
        await uow.commit()
    assert await points.balance(book, points.member(BOB)) == EARN["deal"] + EARN["rating"]
    assert await points.balance(book, points.member(SAM)) == EARN["deal"]
    assert [m.kind for m in reversed(await points.history(book, BOB))] == ["deal", "rating"]


async def test_a_payment_made_earns_the_payer_once_even_when_confirmed_twice(app):
    buyer, seller = await people(app)
    view = await app.payments.open("goods", "bioenergy", "deal:7", buyer, seller,
                                   Money(10_000, "EUR"), BUYER)
    await app.payments.pay_with_test_card(view.id, "4242 4242 4242 4242")
    await app.payments.confirm_payment(view.id, "again", BUYER)  # a replayed webhook
    assert await balance(app, buyer) == EARN["payment"]
    assert await balance(app, seller) == 0


async def test_a_completed_session_earns_both_once(app):
    from tests.loyalty.sessions import ended_session

    seeker, consultant, session_id = await ended_session(app)
    assert await balance(app, seeker) == EARN["session"] + EARN["payment"]
    assert await balance(app, consultant) == EARN["session"]
    async with app.uow() as uow:
        assert not await earning.award(uow, "session", seeker, f"session:{session_id}")


async def test_a_deal_completed_twice_earns_both_parties_once(book):
    for __ in range(2):  # a retried handler
        await earning.completed(book, "deal", "deal:7", (BUYER_ID, SELLER_ID))
    assert await points.balance(book, points.member(BUYER_ID)) == EARN["deal"]
    assert await points.balance(book, points.member(SELLER_ID)) == EARN["deal"]
    assert not await earning.award(book, "deal", SELLER_ID, "deal:7")
    [movement] = await points.history(book, SELLER_ID)
    assert (movement.kind, movement.reason) == ("deal", "completed deal (deal 7)")
    assert await points.unbalanced_journals(book) == []


async def test_a_journal_that_does_not_balance_or_overdraws_is_refused(book):
    buyer = BUYER_ID
    refused = MemoryPointsBook()  # a transaction of its own, rolled back
    with pytest.raises(points.UnbalancedPoints):
        await points.post(refused, "x", "deal", buyer, "x", [(points.ISSUED, -5),
                                                             (points.member(buyer), 4)])
    with pytest.raises(points.NotEnoughPoints):
        await points.post(refused, "y", "redeem", buyer, "y", [(points.member(buyer), -1),
                                                               (points.REDEEMED, 1)])
    await give(book, buyer, 700)
    await service.redeem(book, buyer, 500)
    assert await points.balance(book, points.member(buyer)) == 200
    assert await points.unbalanced_journals(book) == []
    # the platform's side mirrors the members'
    assert await points.balance(book, points.ISSUED) == -700
    assert await points.balance(book, points.REDEEMED) == 500


async def test_tiers_count_points_earned_in_the_last_twelve_months(book):
    assert rules.tier_of(0) == "Bronze" and rules.tier_of(499) == "Bronze"
    assert rules.tier_of(500) == "Silver" and rules.tier_of(2000) == "Gold"
    buyer = BUYER_ID
    await give(book, buyer, 2500, key="old")
    mine = await service.standing(book, buyer)
    assert (mine.tier, mine.next_tier) == ("Gold", None)
    await service.redeem(book, buyer, 2000)  # spending keeps the tier: it is what was earned
    assert (await service.standing(book, buyer)).tier == "Gold"
    book.at += timedelta(days=366)
    await give(book, buyer, 600, key="new")
    mine = await service.standing(book, buyer)
    assert (mine.tier, mine.earned_in_year, mine.balance) == ("Silver", 600, 1100)
    assert mine.next_tier == ("Gold", 1400)
    assert [m.points for m in mine.history] == [600, -2000, 2500]
    assert (await service.brief(book, buyer)).tier == "Silver"
