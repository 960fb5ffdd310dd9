"""Requests for supply on the public site: open requests are listed and shown without who asked
or who bid; a private or cancelled one is not public; a closed auction shows what it was awarded
at; the live stream sends an auction's new best price as bids come and ends at the close; and a
page's “Open in chat” lands the buyer, a seller and a stranger where each belongs; a seller's lot
shows its highest bid and whether its reserve is met (never the reserve), and a bidder's own
page takes their bids, refused with the chat's reasons."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from bots.server import create_app
from core.deals.requests import auction_close, auctions, lots
from core.deals.requests import service as supply_requests
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.deals.test_supply_requests import CHIPS
from tests.site.conftest import BOT
from tests.support.browser import chromium_page
from tests.support.chat import ChatUser
from tests.support.servers import serve


async def _market(app):
    hanna = await make_account(app, "hanna", roles=("buyer",), country="EE", city="Tartu")
    sellers = []
    for name in ("aivar", "birute"):
        seller = await make_account(app, name, roles=("seller",))
        await publish(app, seller, **CHIPS)
        sellers.append(seller)
    return hanna, sellers


async def _post(app, buyer, **changes) -> int:
    draft = supply_requests.Draft(**{"product_type": "chips", "quantity": Decimal("2000"),
                                     "unit": "t", "place": "Tartu", "deadline_days": "1",
                                     "max_price": Money.parse("22", "EUR"), **changes})
    async with app.uow() as uow:
        request = await supply_requests.post(uow, buyer.id, draft)
        await uow.commit()
        return request.id


async def _bid(app, seller, request_id: int, price: str) -> None:
    async with app.uow() as uow:
        await auctions.bid(uow, request_id, seller.id, Money.parse(price, "EUR"))
        await uow.commit()


async def test_open_requests_are_public_without_who_asked_or_bid(site_app, web, clock):
    hanna, (aivar, birute) = await _market(site_app)
    auction = await _post(site_app, hanna, mode="auction", min_step=Money.parse("0.10", "EUR"))
    private = await _post(site_app, hanna, private=True, invite=(aivar.id,))
    await _bid(site_app, aivar, auction, "21.50")
    listed = (await web.get("/requests")).text
    assert f'href="/requests/{auction}"' in listed and f'href="/requests/{private}"' not in listed
    page = (await web.get(f"/requests/{auction}")).text
    assert "2,000 t of Wood chips" in page and "Reverse auction" in page
    assert "€21.50 per t" in page and "Hanna" not in page and "Aivar" not in page
    assert f"https://t.me/{BOT}?start=see_request-{auction}" in page
    assert '<script src="/static/live.js" defer></script>' in page
    assert (await web.get(f"/requests/{private}")).status_code == 404
    assert (await web.get(f"/requests/{private}/live")).status_code == 404
    await _bid(site_app, birute, auction, "21")
    clock.advance(days=1)
    assert await auction_close.close_due(site_app.uow) == [auction]
    closed = (await web.get(f"/requests/{auction}")).text
    assert "Awarded at" in closed and "€21.00 per t" in closed and "Open in Telegram" not in closed
    assert f'href="/requests/{auction}"' not in (await web.get("/requests")).text


async def test_the_live_stream_sends_each_new_best_price_and_ends_at_the_close(site_app, clock):
    hanna, (aivar, birute) = await _market(site_app)
    auction = await _post(site_app, hanna, mode="auction", min_step=Money.parse("0.10", "EUR"))
    async with serve(create_app(site_app, run_workers=False)) as base, \
            httpx.AsyncClient(base_url=base, timeout=10) as http, \
            http.stream("GET", f"/requests/{auction}/live") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        events = _events(stream)
        first = await anext(events)
        assert first == {"open": True, "answers": 0, "best": None,
                         "closes_at": first["closes_at"], "now": clock.now().isoformat()}
        await _bid(site_app, aivar, auction, "21.50")
        assert (await anext(events))["best"] == "€21.50"
        await _bid(site_app, birute, auction, "21.00")
        assert (await anext(events))["answers"] == 2
        clock.advance(days=1)
        await auction_close.close_due(site_app.uow)
        assert (await anext(events))["open"] is False
        assert [e async for e in events] == []  # the stream ended


async def _events(stream):
    async for line in stream.aiter_lines():
        if line.startswith("data: "):
            yield json.loads(line.removeprefix("data: "))


async def test_open_in_chat_lands_each_person_where_they_belong(site_app):
    hanna, __ = await _market(site_app)
    tender = await _post(site_app, hanna, mode="tender")
    quotes = await _post(site_app, hanna)
    await make_account(site_app, "olga", roles=("buyer",))
    seller = ChatUser(site_app, "aivar")
    await seller.say(f"/start see_request-{tender}")
    assert "Type your price per t" in seller.texts()
    await seller.say(f"/start see_request-{quotes}")
    assert {"💶 Quote", "❓ Ask the buyer"} <= set(seller.labels())
    buyer = ChatUser(site_app, "hanna")
    await buyer.say(f"/start see_request-{tender}")
    assert "🔒 0 sellers have bid; bids stay sealed until the deadline." in buyer.texts()
    stranger = ChatUser(site_app, "olga")
    await stranger.say(f"/start see_request-{quotes}")
    assert "Sellers of Wood chips answer this request" in stranger.texts()


@pytest.mark.browser
async def test_an_auction_page_shows_a_new_best_bid_without_reloading(site_app, tmp_path):
    hanna, (aivar, birute) = await _market(site_app)
    auction = await _post(site_app, hanna, mode="auction", min_step=Money.parse("0.10", "EUR"))
    await _bid(site_app, aivar, auction, "21.50")
    async with serve(create_app(site_app, run_workers=False)) as base, chromium_page() as page:
        await page.goto(f"{base}/requests/{auction}")
        assert await page.inner_text(".best") == "€21.50 per t"
        left = await page.inner_text(".time-left")  # by the server's clock, a day to go
        assert left.startswith(("23 h 59 min", "24 h 0 min")), left
        await page.evaluate("window.loadedOnce = true")
        await _bid(site_app, birute, auction, "20.90")
        await page.wait_for_function(
            "document.querySelector('.best').textContent === '€20.90 per t'", timeout=5000)
        assert await page.inner_text(".answers") == "2"
        assert await page.evaluate("window.loadedOnce") is True  # the same page, not reloaded
        await page.screenshot(path=str(tmp_path / "auction.png"), full_page=True)


async def test_a_bidders_own_page_follows_their_rank_live(site_app, clock):
    hanna, (aivar, birute) = await _market(site_app)
    auction = await _post(site_app, hanna, mode="auction", min_step=Money.parse("0.10", "EUR"))
    other = await _post(site_app, hanna, mode="auction", min_step=Money.parse("0.10", "EUR"))
    await _bid(site_app, aivar, auction, "21.50")
    await _bid(site_app, birute, other, "21.50")
    async with site_app.uow() as uow:
        token = await auctions.follow_token(uow, auction, aivar.id)
        elsewhere = await auctions.follow_token(uow, other, birute.id)
        await uow.commit()
    async with serve(create_app(site_app, run_workers=False)) as base, \
            httpx.AsyncClient(base_url=base, timeout=10) as http:
        page = (await http.get(f"/requests/{auction}?as={token}")).text
        assert "Your rank" in page and "1 of 1" in page and "noindex" in page
        for stranger in ("forged", elsewhere):  # no one else's rank, whatever the token
            assert "Your rank" not in (await http.get(f"/requests/{auction}?as={stranger}")).text
        async with http.stream("GET", f"/requests/{auction}/live?as={token}") as stream:
            events = _events(stream)
            first = await anext(events)
            assert (first["rank"], first["own"]) == (1, "€21.50")
            await _bid(site_app, birute, auction, "21.00")  # outbid: their rank moves
            moved = await anext(events)
            assert (moved["rank"], moved["best"], moved["answers"]) == (2, "€21.00", 2)
        async with http.stream("GET", f"/requests/{auction}/live?as=forged") as stream:
            assert "rank" not in await anext(_events(stream))


async def test_a_lots_bidder_bids_from_their_own_page_and_sees_the_reserve_met(site_app, clock):
    sam = await make_account(site_app, "sam", roles=("seller",))
    listing = await publish(site_app, sam, **CHIPS)
    ilze = await make_account(site_app, "ilze", roles=("buyer",))
    juta = await make_account(site_app, "juta", roles=("buyer",))
    async with site_app.uow() as uow:
        lot = await lots.put_up(uow, sam.id, listing, lots.LotTerms(
            Decimal("100"), Money.parse("20", "EUR"), Money.parse("0.10", "EUR"),
            reserve=Money.parse("21", "EUR"), hours=24))
        await uow.commit()
    await _bid(site_app, juta, lot.id, "20.50")
    async with site_app.uow() as uow:
        await auctions.bid(uow, lot.id, ilze.id, Money.parse("20.60", "EUR"))
        token = await auctions.follow_token(uow, lot.id, ilze.id)
        await uow.commit()
    async with serve(create_app(site_app, run_workers=False)) as base, \
            httpx.AsyncClient(base_url=base, timeout=10) as http:
        listed = (await http.get("/requests")).text
        assert "Lot at auction" in listed and "highest bid €20.60 per t" in listed
        public = (await http.get(f"/requests/{lot.id}")).text
        assert "Lot #" in public and "Highest bid" in public and "€20.60" in public
        assert "Reserve not met yet." in public and "€21.00" not in public  # never its figure
        assert 'action="/requests/' not in public  # only a bidder's own page takes bids
        page = (await http.get(f"/requests/{lot.id}?as={token}")).text
        assert 'name="price"' in page and "1 of 2" in page
        refused = await http.post(f"/requests/{lot.id}/bid", data={"as": token, "price": "20.65"})
        assert refused.status_code == 400 and "Bid at least €20.70" in refused.text
        forged = await http.post(f"/requests/{lot.id}/bid", data={"as": "forged", "price": "30"})
        assert forged.status_code == 404
        placed = await http.post(f"/requests/{lot.id}/bid", data={"as": token, "price": "21"},
                                 follow_redirects=True)
        assert placed.status_code == 200 and "Your bid is in." in placed.text
        assert "✅ Reserve met." in placed.text and "€21.00 per t" in placed.text
        async with http.stream("GET", f"/requests/{lot.id}/live?as={token}") as stream:
            live = await anext(_events(stream))
            assert (live["rank"], live["best"], live["reserve_met"]) == (1, "€21.00", True)
    async with site_app.uow() as uow:
        standing = await auctions.standing(uow, lot.id, juta.id)
    assert (standing.rank, standing.best) == (2, Money.parse("21", "EUR"))
