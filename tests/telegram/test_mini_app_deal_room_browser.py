"""A deal taken through the Mini App's deal room in a real Chromium, beside the real bot and
the fake Bot API: the buyer opens the deal from My deals and accepts its terms (Telegram's
main button), opens the pay page outside the app; the seller ships with the carrier and
reference; the buyer confirms delivery and quality and rates. Each party hears in the chat as
from the chat's own steps, and the seller's card there is rewritten to the deal as it is."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bots.server import create_app
from core.companies import billing
from core.deals import deals
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.terms import service as terms
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.support.accessibility import violations
from tests.support.browser import chromium_page
from tests.support.mini_app import TELEGRAM_SCRIPT, signed_init_data, stand_in
from tests.support.servers import serve

pytestmark = pytest.mark.browser

PUBLIC_URL = "https://agora.example"
SELLER, BUYER = 5201, 5202


async def _open(page: Any, base: str, path: str, init_data: str) -> None:
    script = stand_in(init_data)
    await page.route(TELEGRAM_SCRIPT, lambda route: route.fulfill(
        body=script, content_type="application/javascript"))
    await page.goto(base + path)


async def _press_main_button(page: Any) -> None:
    await page.evaluate("window.Telegram.WebApp.MainButton.press()")


async def _agreed(container: Any, seller: Any, buyer: Any) -> int:
    """Bea's offer accepted by Sam, who accepted the terms already; both billed before."""
    listing = await publish(container, seller, negotiable="yes", min_order="20", quantity="500")
    async with container.uow() as uow:
        for who, name in ((seller, "Sam Seller SIA"), (buyer, "Bea Buyer OÜ")):
            await billing.give(uow, who.id, legal_name=name, street="Brivibas 1",
                               postcode="LV-1010", town="Riga", country="LV")
        offer = await offers.make_offer(uow, listing, buyer.id, Terms(
            Decimal("100"), Money.parse("220", "EUR"), "EXW", "Riga port"))
        deal = await offers.accept(uow, offer.id, seller.id)
        version = await terms.current(uow, deal.id)
        assert version is not None
        await terms.accept(uow, deal.id, seller.id, version.sha256)
        await uow.commit()
        return int(deal.id)


def _told(fake: Any, chat: int) -> list[str]:
    return [str(c.params.get("text") or c.params.get("caption") or "")
            for c in fake.calls if c.method in ("sendMessage", "sendDocument")
            and str(c.params.get("chat_id")) == str(chat)]


async def test_a_deal_is_taken_from_terms_to_rating_in_the_deal_room_and_the_chat_hears(
        start_bot, fake, clock, tmp_path):
    container, __ = await start_bot(public_url=PUBLIC_URL, data_dir=str(tmp_path / "data"),
                                    map_tiles_url="")
    sam = await make_account(container, str(SELLER), channel="telegram")
    bea = await make_account(container, str(BUYER), channel="telegram", roles=("buyer",))
    deal_id = await _agreed(container, sam, bea)
    room = f"/app/deals/{deal_id}"

    async with serve(create_app(container, run_workers=False)) as base, \
            chromium_page(375, 740) as buyer, chromium_page(375, 740) as seller:
        # Bea opens the deal from My deals and accepts the terms with Telegram's main button.
        await _open(buyer, base, "/app/deals",
                    signed_init_data(fake.token, BUYER, clock.now(), "Bea"))
        await buyer.click(f"a[href='{room}']")
        await buyer.wait_for_selector("text=Read and accept the terms")
        assert "Riga port" in await buyer.inner_text(".facts")
        assert await violations(buyer) == []
        await buyer.click("text=Read and accept the terms")
        await buyer.wait_for_selector("main h1 >> text=Read and accept the terms")
        assert await buyer.evaluate("window.Telegram.WebApp.MainButton.text") \
            == "✅ Accept version 1"
        await _press_main_button(buyer)
        await buyer.wait_for_selector("text=payment is open")
        assert buyer.url.endswith(room)
        assert await violations(buyer) == []
        # Paying opens the pay page outside the app; she pays there.
        await buyer.click(f"a[rel~=external][href^='{PUBLIC_URL}/pay/']")
        [pay] = await buyer.evaluate("window.Telegram.WebApp.opened")
        assert pay.startswith(f"{PUBLIC_URL}/pay/")
        escrow = await container.payments.by_reference(deals.reference(deal_id))
        await container.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
        await container.dispatcher.run_once()
        ship_by = next(m for m in fake.shown(SELLER) if "Ship by" in str(m.get("text")))

        # Sam ships from the room, with the chat's shipment details.
        await _open(seller, base, room, signed_init_data(fake.token, SELLER, clock.now(), "Sam"))
        await seller.click("text=Mark shipped")
        await seller.wait_for_selector("#f-carrier")
        await seller.fill("#f-carrier", "DSV")
        await seller.fill("#f-tracking", "CMR-77")
        await _press_main_button(seller)
        await seller.wait_for_selector("text=Marked shipped; the buyer is told")
        assert "via DSV (CMR-77)" in await seller.inner_text("main")
        assert await violations(seller) == []
        # Sam heard nothing new: his "Ship by" card is rewritten to the deal as it is now.
        clock.advance(seconds=10)
        await container.dispatcher.run_once()
        card = fake.messages[ship_by["message_id"]]
        assert "Status: shipped" in card["text"] and "via DSV (CMR-77)" in card["text"]
        assert "Mark shipped" not in str(card.get("reply_markup"))

        # Bea confirms delivery and quality, then rates Sam.
        await buyer.goto(base + room)
        await buyer.click("text=Confirm delivery and quality")
        await buyer.wait_for_selector("main h1 >> text=Confirm delivery and quality")
        await _press_main_button(buyer)
        await buyer.wait_for_selector("text=Done; the other party is told")
        assert "Status: completed" in await buyer.inner_text("main")
        assert await buyer.locator("a[href*='/invoices/']").count() == 1  # her receipt
        await buyer.click(f"a[href='{room}/rate']")
        await buyer.select_option("#f-stars", "5")
        await _press_main_button(buyer)
        await buyer.wait_for_selector("text=Thank you. Your rating shows")
        assert await buyer.locator(f"a[href='{room}/rate']").count() == 0
        assert await violations(buyer) == []

    # The chat heard each step as from the chat's own.
    await container.dispatcher.run_once()
    to_sam, to_bea = _told(fake, SELLER), _told(fake, BUYER)
    assert any("Both accepted the terms. The buyer pays" in t for t in to_sam), to_sam
    assert any("Both accepted the terms. Pay" in t for t in to_bea), to_bea
    assert any("Your goods are on the way" in t for t in to_bea), to_bea
    assert any("Deal completed: the escrow is released" in t for t in to_sam), to_sam
    assert any("Deal completed. Your carbon receipt" in t for t in to_bea), to_bea
