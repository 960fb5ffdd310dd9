"""The Telegram Mini App in a real Chromium, beside the real bot: Telegram's script is a
stand-in that hands the app correctly signed initData and records the main and back buttons.
A seller publishes a listing with a photo on one screen (live preview, Telegram's main
button), a buyer on a 320 px phone in a dark theme finds it with the one-line search and the
map and makes an offer, and the seller receives it in the chat; a seeker finds a booking and
opens its meeting room outside the app, then in My deals the CO₂e her completed deal avoided
and downloads her yearly carbon statement; a buyer bids on a seller's lot from the Auctions tab
(the bid the step refuses is refused with the chat's words, the outbid bidder hears in the
chat) and reads a certified listing's "certified, valid until …"; a forged initData is
refused."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bots.server import create_app
from core.certificates import service as certificates
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.requests import auctions, lots
from core.deals.requests.tables import RequestBid
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.consulting.helpers import confirmed, consultant
from tests.deals.chat_helpers import agreed_between
from tests.deals.test_supply_requests import CHIPS
from tests.site.conftest import jpeg_with_gps
from tests.support.accessibility import violations
from tests.support.browser import chromium_page
from tests.support.mini_app import DARK, TELEGRAM_SCRIPT, signed_init_data, stand_in
from tests.support.pdf import pdf_text
from tests.support.servers import serve

pytestmark = pytest.mark.browser

PUBLIC_URL = "https://agora.example"
SELLER, BUYER = 5101, 5102


async def _open(page: Any, base: str, path: str, init_data: str, **theme: Any) -> None:
    """The app as Telegram opens it: our stand-in for Telegram's script, then the address."""
    script = stand_in(init_data, **theme)
    await page.route(TELEGRAM_SCRIPT, lambda route: route.fulfill(
        body=script, content_type="application/javascript"))
    await page.goto(base + path)


async def _press_main_button(page: Any) -> None:
    await page.evaluate("window.Telegram.WebApp.MainButton.press()")


async def _main_button(page: Any) -> dict[str, Any]:
    return await page.evaluate("""() => { const b = window.Telegram.WebApp.MainButton;
        return {text: b.text, visible: b.isVisible}; }""")


async def _overflowing(page: Any) -> list[str]:
    return await page.evaluate("""() => {
        const width = document.documentElement.clientWidth, found = [];
        for (const el of document.querySelectorAll('body *')) {
            if (el.closest('.map, .tabs')) continue;
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 1) found.push(el.tagName + '.' + el.className);
        }
        return found.slice(0, 5); }""")


async def test_a_listing_made_in_the_mini_app_is_found_and_offered_on_and_the_seller_hears(
        start_bot, fake, clock, tmp_path):
    container, __ = await start_bot(public_url=PUBLIC_URL, data_dir=str(tmp_path / "data"),
                                    map_tiles_url="")
    [menu] = fake.sent("setChatMenuButton")
    button = json.loads(menu.params["menu_button"])
    assert (button["type"], button["web_app"]["url"]) == ("web_app", f"{PUBLIC_URL}/app")
    await make_account(container, str(SELLER), channel="telegram")
    await make_account(container, str(BUYER), channel="telegram", roles=("buyer",))
    cora = (await consultant(container, "cora")).id

    async with serve(create_app(container, run_workers=False)) as base:
        async with chromium_page(375, 740) as seller:
            await _open(seller, base, "/app/sell",
                        signed_init_data(fake.token, SELLER, clock.now(), "Sam"))
            await seller.wait_for_selector("#f-quantity")
            assert await _main_button(seller) == {"text": "Publish", "visible": True}
            assert await violations(seller) == []  # WCAG 2.2 AA in Telegram's light theme
            await seller.select_option("#f-product_type", "pellets")
            await seller.fill("#f-quantity", "120")
            await seller.select_option("#f-unit", "t")
            await seller.fill("#f-price", "abc")
            await seller.wait_for_function(
                "document.querySelector('#f-price-error').textContent.length > 0")
            await seller.fill("#f-price", "205")
            await seller.select_option("#f-negotiable", "yes")
            await seller.fill("#f-location", "Riga")
            await seller.check("input[name=delivery][value=pickup]")
            await seller.set_input_files("#f-photos", files=[{
                "name": "lot.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
            await seller.wait_for_selector("#preview article")  # the live preview
            assert "205" in await seller.inner_text("#preview")
            assert await seller.inner_text("#f-price-error") == ""
            await _press_main_button(seller)
            await seller.wait_for_selector("text=Published! Buyers can find it now.")
            assert await violations(seller) == []
            listing_path = seller.url.removeprefix(base)
            assert listing_path.startswith("/app/listings/")
            await seller.click(f"a[href='{listing_path}']")
            await seller.wait_for_selector("text=This is your listing.")
            assert await violations(seller) == []
            for tab in ("My listings", "My deals"):
                await seller.click(f".tabs >> text={tab}")
                await seller.wait_for_selector(f"main h1 >> text={tab}")
                assert await violations(seller) == [], tab
            # the seller switches Telegram to its dark theme with the app open: it follows
            await seller.evaluate(f"window.Telegram.WebApp.switchTheme({json.dumps(DARK)}, 'dark')")
            assert await seller.get_attribute("html", "data-scheme") == "dark"
            assert await seller.evaluate(
                "getComputedStyle(document.body).backgroundColor") == "rgb(23, 33, 43)"
            assert await violations(seller) == []

        async with chromium_page(320, 640, locale="de-DE") as buyer:
            await _open(buyer, base, "/app/listings",
                        signed_init_data(fake.token, BUYER, clock.now(), "Bea"),
                        theme=DARK, scheme="dark")
            await buyer.wait_for_selector("#q")
            # her phone speaks German, her account English: the tabs follow the account
            await buyer.wait_for_selector(".tabs >> text=My deals")
            assert await buyer.get_attribute("html", "lang") == "en"
            assert await buyer.evaluate(
                "getComputedStyle(document.body).backgroundColor") == "rgb(23, 33, 43)"
            await buyer.fill("#q", "pellets near riga")
            await buyer.press("#q", "Enter")
            await buyer.wait_for_selector(".chip")
            await buyer.wait_for_selector("#map[data-ready='1']")
            assert await _overflowing(buyer) == []
            # Telegram's own dark theme falls below 4.5:1 (white on its button, for one): the
            # app makes each colour readable, and axe finds nothing
            assert await violations(buyer) == []
            # the listing from its marker's card on the map, opened inside the app (no reload)
            await buyer.evaluate("window.stillHere = true")
            await buyer.click("#map path.leaflet-interactive")
            await buyer.click(f".leaflet-popup a[href='{listing_path}']")
            await buyer.wait_for_selector("text=Make an offer")
            assert await buyer.evaluate("window.stillHere === true")
            assert await violations(buyer) == []
            assert await buyer.evaluate("window.Telegram.WebApp.BackButton.isVisible")
            assert await buyer.locator(".gallery img").count() == 1
            await buyer.click("text=Make an offer")
            await buyer.wait_for_selector("#f-quantity")
            await buyer.fill("#f-quantity", "30")
            await buyer.fill("#f-price", "200")
            await _press_main_button(buyer)
            await buyer.wait_for_selector("text=Offer on")
            assert (await _main_button(buyer))["text"] == "📨 Send"
            assert await _overflowing(buyer) == []
            assert await violations(buyer) == []
            await _press_main_button(buyer)
            await buyer.wait_for_selector("text=Sent (offer #")
            await buyer.evaluate("window.Telegram.WebApp.BackButton.press()")
            await buyer.wait_for_selector("#f-quantity")  # back through the screens
            await buyer.goto(base + listing_path)  # opened at the listing again
            await buyer.click("text=Ask the seller")
            await buyer.wait_for_selector("main h1 >> text=Ask the seller")
            assert await violations(buyer) == []
            await buyer.click(".tabs >> text=Consultants")
            await buyer.click(f"a[href='/app/consultants/{cora}']")
            await buyer.wait_for_selector("button[name=starts]")  # the booking calendar
            assert await violations(buyer) == []
            assert await _overflowing(buyer) == []

    await container.dispatcher.run_once()
    to_seller = [c.params["text"] for c in fake.sent() if c.params["chat_id"] == str(SELLER)]
    assert any("30" in text and "200" in text for text in to_seller), to_seller
    to_buyer = [c.params["text"] for c in fake.sent() if c.params["chat_id"] == str(BUYER)]
    assert any("Sent (offer #" in text for text in to_buyer), to_buyer


async def test_a_member_finds_her_booking_and_its_room_and_her_carbon_and_its_statement(
        start_bot, fake, clock, tmp_path):
    container, __ = await start_bot(public_url=PUBLIC_URL, data_dir=str(tmp_path / "data"),
                                    map_tiles_url="")
    bea = await make_account(container, str(BUYER), channel="telegram", roles=("buyer",))
    cora = await consultant(container, "cora")
    booking = await confirmed(container, bea.id, cora.id, datetime(2026, 11, 23, 8, tzinfo=UTC))
    assert booking.meeting_url
    await _bought_pellets(container, bea.id)  # 100 t of pellets, completed
    async with serve(create_app(container, run_workers=False)) as base, \
            chromium_page(320, 640) as page:
        await _open(page, base, "/app/listings",
                    signed_init_data(fake.token, BUYER, clock.now(), "Bea"))
        await page.click(".tabs >> text=My bookings")
        await page.wait_for_selector("main h1 >> text=My bookings")
        assert "with Cora" in await page.inner_text("main")
        assert await violations(page) == []
        assert await _overflowing(page) == []
        await page.click(f"a[href='/app/bookings/{booking.id}']")
        # The booking's own page (the list shows a meeting link too: waiting for the words alone
        # passed on the list before the app had moved, on a busy machine).
        await page.wait_for_url(f"**/app/bookings/{booking.id}")
        await page.wait_for_selector("p.meeting >> text=Meeting link")
        assert await violations(page) == []
        await page.click("a[rel~=external]")  # the room opens outside; the app stays
        assert await page.evaluate("window.Telegram.WebApp.opened") == [booking.meeting_url]
        assert page.url.endswith(f"/app/bookings/{booking.id}")
        # Her deals: what her completed deal avoided, and the year's statement to download.
        await page.click(".tabs >> text=My deals")
        await page.wait_for_selector("main h1 >> text=My deals")
        carbon = await page.inner_text(".carbon")
        assert "CO₂e avoided by what you bought: 126,1 t CO₂e in 2026" in carbon, carbon  # LV
        assert await violations(page) == []
        assert await _overflowing(page) == []
        # The statement opens outside the app (where Telegram can save it), by a link signed
        # for her alone, as the deal room's documents do.
        await page.click("text=Carbon statement 2026 (PDF)")
        opened = await page.evaluate("window.Telegram.WebApp.opened")
        statement = opened[-1]
        assert statement.startswith(f"{PUBLIC_URL}/app/documents/statement-2026-"), opened
        assert page.url.endswith("/app/deals")
        response = await page.request.get(statement.replace(PUBLIC_URL, base))
        assert response.ok
        assert 'filename="agora-carbon-statement-2026.pdf"' \
            in response.headers["content-disposition"]
        text = " ".join(pdf_text(await response.body()).split())
        assert "Carbon statement 2026" in text and "126,1 t CO₂e" in text


async def _bought_pellets(container: Any, buyer_id: int) -> None:
    """A deal of 100 t of pellets Bea bought, paid, shipped and confirmed."""
    sam = await make_account(container, "sam")
    listing_id = await publish(container, sam, quantity="500", min_order="20")
    deal_id = await agreed_between(container, listing_id, buyer_id, sam.id, "100", "220")
    escrow = await container.payments.by_reference(deals.reference(deal_id))
    await container.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    async with container.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "DSV", "CMR-1", None)
        await deals.take(uow, deal_id, "confirm-receipt", buyer_id)
        await uow.commit()


def _eur(text: str) -> Money:
    return Money.parse(text, "EUR")


async def test_a_buyer_bids_on_a_sellers_lot_from_the_auctions_tab_and_reads_a_certified_listing(
        start_bot, fake, clock, tmp_path):
    container, __ = await start_bot(public_url=PUBLIC_URL, data_dir=str(tmp_path / "data"),
                                    map_tiles_url="")
    sam = await make_account(container, str(SELLER), channel="telegram", roles=("seller",))
    bea = await make_account(container, str(BUYER), channel="telegram", roles=("buyer",))
    ilze = await make_account(container, "5103", channel="telegram", roles=("buyer",))
    chips = await publish(container, sam, **CHIPS)
    async with container.uow() as uow:
        lot = await lots.put_up(uow, sam.id, chips, lots.LotTerms(
            quantity=Decimal("100"), start=_eur("20"), step=_eur("0.10"), reserve=_eur("21")))
        assert lot.id is not None
        await auctions.bid(uow, lot.id, ilze.id, _eur("20.50"))  # Ilze bids first, in the chat
        await certificates.add(uow, sam.id, "enplus", "DE 301 1234", "Sam Pellets SIA",
                               date(2027, 6, 30), certificates.Document(
                                   "ab/ab12cd.pdf", "enplus.pdf", "application/pdf"))
        await uow.commit()
    pellets = await publish(container, sam, certifications=["enplus"])  # backed: no document
    await container.dispatcher.run_once()
    screen = f"/app/auctions/{lot.id}"

    async with serve(create_app(container, run_workers=False)) as base, \
            chromium_page(375, 740) as page:
        async def slow(route: Any) -> None:  # the first screen answers late
            await asyncio.sleep(0.5)
            await route.continue_()

        await page.route("**/app/part/listings", slow)
        await _open(page, base, "/app/listings",
                    signed_init_data(fake.token, BUYER, clock.now(), "Bea"))
        # The tab is tapped while the first screen still loads: the tapped one stays.
        await page.click(".tabs >> text=Auctions")
        await page.wait_for_selector("main h1 >> text=Auctions")
        await asyncio.sleep(0.7)  # the listings' late answer has come, and was dropped
        assert await page.locator("main h1").inner_text() == "Auctions"
        await page.unroute("**/app/part/listings")
        assert await violations(page) == []
        await page.click(f"a[href='{screen}']")
        await page.wait_for_selector("input[name=price]")
        assert "at least 20,60\xa0€" in await page.inner_text("main")  # a step above Ilze's (LV)
        assert (await _main_button(page))["text"] == "🔨 Bid"
        await page.fill("input[name=price]", "21")
        await _press_main_button(page)
        await page.wait_for_selector("text=Your bid of 21,00\xa0€ per t is in.")
        standing = await page.inner_text(".standing")
        assert "Highest bid: 21,00\xa0€ per t." in standing, standing
        assert "ranked 1 of 2" in standing, standing
        assert await violations(page) == []
        # A bid under the step above her own is refused with the chat's reason.
        await page.fill("input[name=price]", "21.05")
        await _press_main_button(page)
        await page.wait_for_selector("[role=alert]")
        refused = await page.inner_text("[role=alert]")
        assert "Bid at least 21,10\xa0€" in refused, refused
        assert await violations(page) == []

        # The certified listing reads its profile certificate, dated as Bea reads dates.
        await page.goto(base + f"/app/listings/{pellets}")
        await page.wait_for_selector("dd.certified")
        assert await page.inner_text("dd.certified") \
            == "ENplus certified, valid until 30 Jun 2027"
        assert await violations(page) == []

    async with container.uow() as uow:
        bids = await uow.session.execute(select(RequestBid.seller_id, RequestBid.price_minor)
                                         .where(RequestBid.request_id == lot.id))
        assert sorted(bids.all()) == sorted([(ilze.id, 2050), (bea.id, 2100)])
    await container.dispatcher.run_once()
    to_ilze = [str(c.params.get("text")) for c in fake.sent()
               if c.params.get("chat_id") == "5103"]
    assert any("You were outbid on lot" in t for t in to_ilze), to_ilze


async def test_a_forged_init_data_opens_nothing(start_bot, fake, clock, tmp_path):
    container, __ = await start_bot(public_url=PUBLIC_URL, data_dir=str(tmp_path / "data"),
                                    map_tiles_url="")
    await make_account(container, str(SELLER), channel="telegram")
    forged = signed_init_data("999:someone-else", SELLER, clock.now())
    async with serve(create_app(container, run_workers=False)) as base, \
            chromium_page(375, 740) as page:
        await _open(page, base, "/app/deals", forged)
        await page.wait_for_selector("text=Open Agora again")
        assert "My deals" not in await page.inner_text("main")
        assert await violations(page) == []
