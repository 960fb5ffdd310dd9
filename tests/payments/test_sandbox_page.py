"""The sandbox payment page through the real FastAPI server: test mode, test cards, receipts."""

from __future__ import annotations

from urllib.parse import urlparse

import httpx
import pytest

from bots.server import create_app
from core.money.model import Money
from tests.payments.helpers import BUYER, people
from tests.support.browser import chromium_page
from tests.support.servers import serve


async def open_deal(app, amount=25_000):
    buyer, seller = await people(app)
    return await app.payments.open("goods", "bioenergy", "deal:77", buyer, seller,
                                   Money(amount, "EUR"), BUYER)


async def test_the_payment_page_is_clearly_test_mode_and_shows_amount_and_commission(app):
    view = await open_deal(app)
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        page = await http.get(base + urlparse(view.pay_url).path)
    assert page.status_code == 200
    assert "TEST MODE" in page.text and "€250.00" in page.text
    assert "€237.50 after the €12.50 platform commission" in page.text


async def test_paying_with_4242_through_the_server_holds_the_money(app):
    view = await open_deal(app)
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        paid = await http.post(base + urlparse(view.pay_url).path,
                               data={"card_number": "4242 4242 4242 4242"})
        again = await http.get(base + urlparse(view.pay_url).path)
    assert paid.status_code == 200 and "Paid €250.00" in paid.text
    assert (await app.payments.get(view.id)).state == "held"
    assert "This payment is held" in again.text


async def test_a_declined_card_through_the_server_is_refused_and_nothing_is_held(app):
    view = await open_deal(app)
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        declined = await http.post(base + urlparse(view.pay_url).path,
                                   data={"card_number": "4000 0000 0000 0002"})
        wrong = await http.post(base + urlparse(view.pay_url).path, data={"card_number": "1234"})
    assert declined.status_code == 402 and "declined" in declined.text
    assert wrong.status_code == 402 and "incorrect" in wrong.text
    assert (await app.payments.get(view.id)).state == "awaiting_payment"


async def test_an_unknown_payment_token_is_not_found(app):
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        page = await http.get(base + "/pay/nope")
    assert page.status_code == 404


async def test_the_receipt_of_a_payment_downloads_as_a_pdf(app):
    view = await open_deal(app)
    await app.payments.pay_with_test_card(view.id, "4242424242424242")
    async with app.uow() as uow:
        from sqlalchemy import select

        from payments.tables import Invoice
        token = (await uow.session.execute(select(Invoice.token))).scalar_one()
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        pdf = await http.get(f"{base}/invoices/{token}.pdf")
        missing = await http.get(f"{base}/invoices/nope.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert missing.status_code == 404


@pytest.mark.browser
async def test_a_person_pays_on_the_test_page_in_a_real_browser(app, tmp_path):
    view = await open_deal(app)
    async with serve(create_app(app, run_workers=False)) as base, chromium_page() as page:
        await page.goto(base + urlparse(view.pay_url).path)
        assert "TEST MODE" in await page.inner_text(".test")
        await page.fill("input[name=card_number]", "4242 4242 4242 4242")
        await page.click("button[type=submit]")
        await page.wait_for_load_state()
        await page.screenshot(path=str(tmp_path / "paid.png"))
        assert "Paid €250.00" in await page.inner_text("body")
    assert (await app.payments.get(view.id)).state == "held"
    assert (tmp_path / "paid.png").stat().st_size > 1000
