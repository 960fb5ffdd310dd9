"""The sandbox payment page through the real FastAPI server: test mode, test cards, receipts."""

from __future__ import annotations

from urllib.parse import urlparse

import httpx
import pytest

from bots.server import create_app
from conversations.messages import Choice
from core.accounts import member as members
from core.money.model import Money
from tests.payments.helpers import BUYER, people
from tests.support.browser import chromium_page
from tests.support.chat import ChatUser
from tests.support.languages import english_in
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


async def _deal_escrow(app):
    """A real deal's escrow awaiting the buyer's payment: 100 t of pellets from Sam."""
    from core.deals import deals
    from tests.deals.chat_helpers import agreed_deal, trading_pair

    _, _, listing_id = await trading_pair(app)
    deal_id = await agreed_deal(app, listing_id)
    return await app.payments.by_reference(deals.reference(deal_id))


async def test_the_payment_page_fits_a_phone_and_names_the_goods_and_the_payee(app):
    view = await _deal_escrow(app)
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        page = (await http.get(base + urlparse(view.pay_url).path)).text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "For 100 t of “ENplus A1 wood pellets” (deal #1), to Sam." in page
    # the payee by name, not a role word
    # in the payer's number format (an English reader in Latvia), as their chat writes amounts
    assert "Sam receives 20\xa0900,00\xa0€ after the 1\xa0100,00\xa0€ platform commission" in page


async def test_a_session_payment_page_names_the_session_and_the_consultant(app):
    from datetime import UTC, datetime

    from core.consulting.sessions import from_booking
    from tests.consulting.helpers import confirmed, consultant, seeker

    cora, bob = await consultant(app, "cora"), await seeker(app)
    booking = await confirmed(app, bob.id, cora.id, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    view = await app.payments.open("session", "consulting", from_booking.reference(booking.id),
                                   bob.id, cora.id, Money(6000, "EUR"), BUYER)
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        page = (await http.get(base + urlparse(view.pay_url).path)).text
    assert f"-minute consulting session on Mon 23 Nov, 10:00 (Europe/Riga) (session booking " \
           f"#{booking.id}), to Cora" in page
    assert "seller" not in page.lower()


async def test_a_declined_card_can_be_retried_on_the_same_page_and_a_good_one_pays_once(app):
    view = await _deal_escrow(app)
    path = urlparse(view.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        declined = await http.post(base + path, data={"card_number": "4000 0000 0000 0002"})
        assert declined.status_code == 402 and "declined" in declined.text
        assert '<form method="post">' in declined.text and "to Sam" in declined.text
        paid = await http.post(base + path, data={"card_number": "4242 4242 4242 4242"})
        again = await http.post(base + path, data={"card_number": "4242 4242 4242 4242"})
    assert paid.status_code == 200 and "Paid 22\xa0000,00\xa0€" in paid.text
    assert '<form method="post">' not in again.text  # a second submit pays nothing more
    assert (await app.payments.get(view.id)).state == "held"
    async with app.uow() as uow:
        from sqlalchemy import func, select

        from payments.tables import Invoice
        assert (await uow.session.execute(select(func.count(Invoice.id)))).scalar_one() == 1


@pytest.mark.browser
async def test_a_person_retries_a_declined_card_in_a_real_browser(app):
    view = await _deal_escrow(app)
    async with serve(create_app(app, run_workers=False)) as base, chromium_page() as page:
        await page.goto(base + urlparse(view.pay_url).path)
        for card in ("4000 0000 0000 0002", "4242 4242 4242 4242"):
            await page.fill("input[name=card_number]", card)
            await page.click("button[type=submit]")
            await page.wait_for_load_state()
            if card.startswith("4000"):
                assert "declined" in await page.inner_text(".err")
        assert "Paid 22\xa0000,00\xa0€" in await page.inner_text("body")
    assert (await app.payments.get(view.id)).state == "held"


@pytest.mark.browser
async def test_in_a_browser_a_bank_transfer_is_sent_in_two_parts_and_the_same_form_counts_once(
        app):
    from payments import transfer_rules

    view = await open_deal(app)
    pay = urlparse(view.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, chromium_page() as page:
        await page.goto(base + pay)
        await page.click("text=pay by bank transfer")
        await page.wait_for_load_state()
        shown = await page.inner_text("body")
        reference = transfer_rules.shown_for(view.id)
        assert "DE89 3704 0044 0532 0130 00" in shown and reference in shown
        assert await page.input_value("input[name=amount]") == "250.00"
        await page.fill("input[name=amount]", "100")
        await page.click("text=Send the test transfer")
        await page.wait_for_load_state()
        assert "€150.00 is still missing" in await page.inner_text("body")
        await page.go_back()  # the same form sent again: the same bank transaction
        await page.click("text=Send the test transfer")
        await page.wait_for_load_state()
        assert "€150.00 is still missing" in await page.inner_text("body")
        await page.goto(base + pay)
        await page.click("text=pay by bank transfer")
        await page.wait_for_load_state()
        assert "Received so far: €100.00 of €250.00" in await page.inner_text("body")
        await page.click("text=Send the test transfer")  # the €150.00 still missing
        await page.wait_for_load_state()
        assert "Paid €150.00" in await page.inner_text("body")
    assert (await app.payments.get(view.id)).state == "held"


async def test_a_transfer_page_refuses_what_is_not_an_amount_without_a_traceback(app):
    view = await open_deal(app)
    pay = urlparse(view.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        for typed in ("abc", "NaN", "Infinity", "-5", "1e400", "9" * 40, "1.234"):
            sent = await http.post(f"{base}{pay}/transfer/send",
                                   data={"bank_ref": "x", "amount": typed})
            assert sent.status_code == 400 and "❌" in sent.text, typed
        other = await http.post(f"{base}/pay/nosuchtoken/transfer")
    assert other.status_code == 409 or other.status_code == 404
    assert (await app.payments.get(view.id)).state == "awaiting_payment"


async def _reader(app, name: str, language: str, country: str) -> None:
    from core.accounts.service import find_account

    async with app.uow() as uow:
        account = await find_account(uow, "terminal", name)
        account.language, account.country = language, country
        await uow.commit()


async def test_the_payment_page_is_written_in_the_payers_language_and_number_format(app):
    view = await _deal_escrow(app)
    await _reader(app, "bob", "de", "DE")
    path = urlparse(view.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        page = (await http.get(base + path)).text
        declined = await http.post(base + path, data={"card_number": "4000 0000 0000 0002"})
        paid = await http.post(base + path, data={"card_number": "4242 4242 4242 4242"})
    assert '<html lang="de">' in page and "TESTMODUS" in page.upper()
    assert "22.000,00\xa0€" in page and "100 t" in page and "€22,000.00" not in page
    assert english_in("de", [page, declined.text, paid.text]) == []
    assert "22.000,00\xa0€" in paid.text


async def test_a_page_with_no_payment_behind_it_speaks_the_browsers_language(app):
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        page = await http.get(base + "/pay/nothing-here", headers={"Accept-Language": "pl-PL"})
    assert page.status_code == 404 and '<html lang="pl">' in page.text
    assert english_in("pl", [page.text]) == []


async def test_the_test_crypto_invoice_takes_a_part_then_the_rest_and_the_same_form_counts_once(
        app):
    view = await open_deal(app)
    pay = urlparse(view.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        page = (await http.get(base + pay)).text
        assert f'href="{pay}/crypto"' in page and "pay in crypto (USDC, BTC…)" in page
        invoice = await http.get(base + pay + "/crypto")
        assert invoice.status_code == 200 and "Pay €250.00 in crypto" in invoice.text
        assert 'name="amount" value="250.00"' in invoice.text
        form = invoice.text.split('name="payment_ref" value="', 1)[1].split('"', 1)[0]
        part = {"payment_ref": form, "amount": "100"}
        short = await http.post(f"{base}{pay}/crypto/send", data=part)
        same = await http.post(f"{base}{pay}/crypto/send", data=part)  # sent twice
        assert "€150.00 is still due" in short.text and "€150.00 is still due" in same.text
        again = (await http.get(base + pay + "/crypto")).text  # the same invoice, for the rest
        assert "Pay €150.00 in crypto" in again and "Received so far: €100.00 of €250.00" in again
        rest = again.split('name="payment_ref" value="', 1)[1].split('"', 1)[0]
        paid = await http.post(f"{base}{pay}/crypto/send",
                               data={"payment_ref": rest, "amount": "150.00"})
        bad = await http.post(f"{base}{pay}/crypto/send", data={"payment_ref": "x",
                                                                "amount": "NaN"})
    assert "Paid €150.00: the money is held" in paid.text
    assert bad.status_code == 400 and "❌" in bad.text
    assert (await app.payments.get(view.id)).state == "held"
    assert (await app.payments.wallet(view.payer_id)).held == [Money(25_000, "EUR")]


@pytest.mark.browser
async def test_in_a_browser_a_test_crypto_payment_holds_the_money(app):
    view = await open_deal(app)
    async with serve(create_app(app, run_workers=False)) as base, chromium_page() as page:
        await page.goto(base + urlparse(view.pay_url).path)
        await page.click("text=pay in crypto")
        await page.wait_for_load_state()
        assert "Pay €250.00 in crypto" in await page.inner_text("body")
        assert await page.input_value("input[name=amount]") == "250.00"
        await page.click("text=Send the test payment")
        await page.wait_for_load_state()
        assert "Paid €250.00: the money is held" in await page.inner_text("body")
    assert (await app.payments.get(view.id)).state == "held"


async def test_the_test_crypto_invoice_is_written_in_the_payers_language(app):
    view = await _deal_escrow(app)
    await _reader(app, "bob", "de", "DE")
    path = urlparse(view.pay_url).path + "/crypto"
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        invoice = (await http.get(base + path)).text
        form = invoice.split('name="payment_ref" value="', 1)[1].split('"', 1)[0]
        short = await http.post(f"{base}{path}/send", data={"payment_ref": form,
                                                            "amount": "2.000,00"})
    assert '<html lang="de">' in invoice and "22.000,00\xa0€" in invoice
    assert 'value="22.000,00"' in invoice  # the test payment, in the reader's number format
    assert "20.000,00\xa0€" in short.text  # 2 000 € typed the German way; 20 000 € still due
    assert english_in("de", [invoice, short.text]) == []


async def test_a_test_crypto_invoice_let_expire_tells_the_payer_and_a_new_one_takes_the_rest(app):
    from tests.payments.test_direct_payment import texts_to

    view = await open_deal(app)
    pay = urlparse(view.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        first = (await http.get(base + pay + "/crypto")).text
        form = first.split('name="payment_ref" value="', 1)[1].split('"', 1)[0]
        await http.post(f"{base}{pay}/crypto/send", data={"payment_ref": form, "amount": "50"})
        expired = await http.post(f"{base}{pay}/crypto/expire")
        again = await http.post(f"{base}{pay}/crypto/expire")  # nothing open any more
        second = (await http.get(base + pay + "/crypto")).text
    assert expired.status_code == 200 and "has expired" in expired.text
    assert again.status_code == 409
    told = (await texts_to(app, view.payer_id))[-1]
    assert "expired before it was paid in full" in told and "€200.00 is still due" in told
    assert "Pay €200.00 in crypto" in second and "Received so far: €50.00 of €250.00" in second
    async with app.uow() as uow:
        from sqlalchemy import select

        from payments.tables import CryptoInvoice
        rows = (await uow.session.execute(select(CryptoInvoice.status, CryptoInvoice.amount)
                                          .order_by(CryptoInvoice.id))).all()
    assert [tuple(r) for r in rows] == [("expired", 25_000), ("new", 20_000)]


async def test_goods_are_paid_only_in_the_ways_their_seller_takes(app):
    view = await open_deal(app)
    async with app.uow() as uow:  # the seller takes bank transfers only
        await members.update(uow, view.payee_id, payment_methods=["transfer"])
        await uow.commit()
    path = urlparse(view.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        page = await http.get(base + path)
        card = await http.post(base + path, data={"card_number": "4242 4242 4242 4242"})
        crypto = await http.get(f"{base}{path}/crypto")
        transfer = await http.post(f"{base}{path}/transfer")
    assert "card_number" not in page.text and "pay by bank transfer" in page.text
    assert "/crypto" not in page.text  # the sandbox takes crypto, this seller doesn't
    assert card.status_code == 402
    assert "take that way to pay; they accept: Bank transfer" in card.text
    assert crypto.status_code == 409 and "they accept: Bank transfer" in crypto.text
    assert (await app.payments.get(view.id)).state == "awaiting_payment"
    assert transfer.status_code == 200 and "Reference" in transfer.text


async def test_a_seller_taking_crypto_alone_is_paid_only_in_crypto(app):
    view = await open_deal(app)
    async with app.uow() as uow:
        await members.update(uow, view.payee_id, payment_methods=["crypto"])
        await uow.commit()
    path = urlparse(view.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        page = await http.get(base + path)
        transfer = await http.post(f"{base}{path}/transfer")
        crypto = await http.get(f"{base}{path}/crypto")
    assert "card_number" not in page.text and "pay by bank transfer" not in page.text
    assert f'href="{path}/crypto">Pay in crypto (USDC, BTC…)' in page.text
    assert transfer.status_code != 200 and "they accept: Crypto" in transfer.text
    assert crypto.status_code == 200 and "Pay €250.00 in crypto" in crypto.text
    bob = ChatUser(app, "bob")
    await bob.send(Choice(f"@go:pay:{view.id}"))
    labels = " ".join(bob.labels())
    assert "Crypto (USDC, BTC…)" in labels and "bank transfer" not in labels
    await bob.send(Choice(f"@go:transfer:{view.id}"))  # an old button: refused by the rule
    assert "they accept: Crypto" in bob.texts()


async def test_in_chat_a_buyer_is_offered_only_the_ways_the_seller_takes(app):
    view = await open_deal(app)
    async with app.uow() as uow:  # the seller takes bank transfers only
        await members.update(uow, view.payee_id, payment_methods=["transfer"])
        await uow.commit()
    bob = ChatUser(app, "bob")
    await bob.send(Choice(f"@go:pay:{view.id}"))
    assert "Pay by bank transfer" in " ".join(bob.labels())
    assert "Arrange payment directly" not in " ".join(bob.labels())
    await bob.say("4242 4242 4242 4242")
    assert "they accept: Bank transfer" in bob.texts()
    assert (await app.payments.get(view.id)).state == "awaiting_payment"
