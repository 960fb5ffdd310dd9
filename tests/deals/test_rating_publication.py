"""Deal ratings are double-blind: when they are published (both rated, or the window closed)
both parties are told, and a seller's one 4★ rating reads “★ 4.0 from 1 rating”. Who is told
what runs on the in-memory deal book; the window closing (a timer) and the public figures on the
database."""

from __future__ import annotations

from decimal import Decimal

from core.deals import deals
from core.deals import wiring as deals_wiring
from core.deals.after_sale import service as after_sale
from core.deals.ratings.reputation import stars_text
from core.process.deals import DealState
from core.public import listings as public
from tests.deals.chat_helpers import told
from tests.deals.deal_fakes import BOB, SAM
from tests.deals.in_memory import deal_chat
from tests.deals.test_after_sale import paid


async def _delivered(app) -> tuple:
    sam, bob, _, deal_id = await paid(app)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", None, None)
        await after_sale.update_shipment(uow, deal_id, sam.id, "delivered")
        await deals.take(uow, deal_id, "confirm-receipt", bob.id)
        await uow.commit()
    return sam, bob, deal_id


async def _published(app, name: str) -> list[str]:  # the app or a chat in memory
    return [str(p.get("text")) for p in await told(app, name) if "are published" in
            str(p.get("text"))]


async def test_both_parties_are_told_when_their_ratings_are_published():
    """On the in-memory deal book with the deals' handlers (tests/deals/in_memory.py): the
    deal delivered and confirmed."""
    chat, book = deal_chat(wiring=[deals_wiring.wire])
    deal_id = book.sale(DealState.COMPLETED)
    for rater, stars in ((BOB, 4), (SAM, 5)):
        if rater == SAM:  # blind until both rated
            assert await _published(chat, "sam") == [] and await _published(chat, "bob") == []
        async with chat.uow() as uow:
            await after_sale.rate(uow, deal_id, rater, stars)
            await uow.commit()
    assert await _published(chat, "sam") == [
        f"⭐ The ratings of deal #{deal_id} are published: you were rated 4★. Ratings stay "
        "hidden until both parties rate or the rating window closes."]
    assert "you were rated 5★" in (await _published(chat, "bob"))[0]


async def test_a_lone_rating_published_when_the_window_closes_is_told_to_both(app, clock):
    _, bob, deal_id = await _delivered(app)
    async with app.uow() as uow:
        await after_sale.rate(uow, deal_id, bob.id, 4)
        await uow.commit()
    clock.advance(days=14, seconds=1)
    async with app.uow() as uow:
        assert await deals.run_due(uow) == [(deal_id, "close-reviews")]
        await uow.commit()
    assert "you were rated 4★" in (await _published(app, "sam"))[0]
    assert "the other party did not rate you" in (await _published(app, "bob"))[0]


async def test_one_four_star_rating_shows_4_0_from_1_rating_not_the_bayesian_score(app):
    sam, bob, deal_id = await _delivered(app)
    async with app.uow() as uow:
        await after_sale.rate(uow, deal_id, bob.id, 4)
        await after_sale.rate(uow, deal_id, sam.id, 5)
        await uow.commit()
    async with app.uow() as uow:
        seller = await public.seller(uow, sam.id)
        info = await public.views.seller_info(uow, sam.id)
    assert (seller.rating, seller.ratings) == (Decimal("4.0"), 1)
    assert stars_text(info.stars_total, info.ratings) == "★ 4.0 from 1 rating"


def test_no_ratings_show_no_stars_and_one_is_singular():
    assert stars_text(0, 0) == "No ratings yet" and stars_text(0, 0, "review") == "No reviews yet"
    assert stars_text(9, 2, "review") == "★ 4.5 from 2 reviews"
