"""The points ledger: each event earns once, every journal balances, tiers by the last 12 months.
What deals, ratings, payments and sessions earn runs on the database (the handlers' wiring);
the ledger's and the standing's rules on the in-memory book (`tests/loyalty/fakes.py`), which
`test_book_contract.py` holds to the SQL one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.deals.after_sale import service as after_sale
from core.loyalty import earning, points, rules, service
from core.loyalty.rules import EARN
from core.money.model import Money
from tests.loyalty.fakes import MemoryPointsBook
from tests.loyalty.helpers import agreed_deal, balance, complete, kinds, unbalanced
from tests.payments.helpers import BUYER, people

BUYER_ID, SELLER_ID = 1, 2


@pytest.fixture
def book() -> MemoryPointsBook:
    return MemoryPointsBook()


async def give(book: MemoryPointsBook, account_id: int, amount: int, key: str = "gift") -> None:
    """Points issued to a member (as any earning event issues them)."""
    await points.earn(book, f"{key}:{account_id}", "deal", account_id, amount, "test points")


async def test_a_completed_deal_earns_both_parties_once_even_when_handled_twice(app):
    sam, bob, _, deal_id = await agreed_deal(app)
    await complete(app, deal_id, sam.id, bob.id)
    assert await balance(app, sam.id) == EARN["deal"]
    assert await balance(app, bob.id) == EARN["deal"]
    async with app.uow() as uow:  # the same event again (a retried handler) earns nothing
        assert not await earning.award(uow, "deal", sam.id, f"deal:{deal_id}")
        await uow.commit()
    assert await balance(app, sam.id) == EARN["deal"]
    assert await unbalanced(app) == []


async def test_a_rating_given_earns_the_rater_once(app):
    sam, bob, _, deal_id = await agreed_deal(app)
    await complete(app, deal_id, sam.id, bob.id)
    async with app.uow() as uow:
        await after_sale.rate(uow, deal_id, bob.id, 5, {"quality": 5})
        await uow.commit()
    assert await balance(app, bob.id) == EARN["deal"] + EARN["rating"]
    assert await balance(app, sam.id) == EARN["deal"]
    assert await kinds(app, bob.id) == ["deal", "rating"]


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
