"""The Mini App's deal room over HTTP: a party opens a deal from My deals and takes each of their
steps there — accept the terms (billing details first, as the chat asks them), pay on the pay
page, ship with the chat's shipment details, confirm delivery and quality, rate — through the
chat's core services, so the other party hears as from the chat. Only the deal's two parties
read it; a step that is not theirs, or no longer possible, is refused with the deal as it is
now; nothing is read without Telegram's initData, and the terms' PDF only by a link signed
for its reader."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from bots.server import create_app
from config.container import Container
from core.catalog import media
from core.catalog.media import FileStore
from core.consulting.inspections import rules as inspection_rules
from core.consulting.inspections import service as inspections
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.offers.facts import Terms
from core.deals.tables import Deal
from core.deals.threads.service import SharedFile
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.consulting.inspection_helpers import inspector
from tests.deals.chat_helpers import agreed_between, status_of
from tests.site.conftest import BOT, PUBLIC_URL
from tests.site.test_mini_app import TOKEN, defaults, signed
from tests.support import containers
from tests.support.containers import settings_for
from tests.support.outbox import told, told_texts

SELLER, BUYER, STRANGER = 7101, 7102, 7103
BILLING = {"legal_name": "Bea Buyer SIA", "street": "Brivibas 1", "postcode": "LV-1010",
           "town": "Riga", "country": "LV"}


# The room's own application and client, named for it rather than the site's `site_app` and
# `web`: each step is a guarded change of state, so these run on SQLite and PostgreSQL both.
@pytest.fixture
async def room_app(db_url: str, clock: Any, mailbox: Any, tmp_path: Any
                   ) -> AsyncIterator[Container]:
    settings = settings_for(db_url, data_dir=str(tmp_path / "data"), public_url=PUBLIC_URL,
                            telegram_token=TOKEN, telegram_bot_username=BOT, map_tiles_url="")
    async with containers.container(settings, clock=clock, mailbox=mailbox) as app:
        yield app


@pytest.fixture
async def room_web(room_app: Container) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(room_app, run_workers=False))
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
        yield http


async def _people(app: Any) -> tuple[Any, Any]:
    seller = await make_account(app, str(SELLER), channel="telegram")
    buyer = await make_account(app, str(BUYER), channel="telegram", roles=("buyer",))
    return seller, buyer


async def _agreed(app: Any, seller: Any, buyer: Any) -> int:
    """A deal the seller agreed to on the buyer's offer: its terms wait for both."""
    listing = await publish(app, seller, negotiable="yes", min_order="20", quantity="500")
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing, buyer.id, Terms(
            Decimal("100"), Money.parse("220", "EUR"), "EXW", "Riga port"))
        deal = await offers.accept(uow, offer.id, seller.id)
        await uow.commit()
        return int(deal.id)


async def _shipped(app: Any, seller: Any, buyer: Any, **listed: Any) -> int:
    """A deal paid into escrow and shipped (through the services)."""
    listing = await publish(app, seller, negotiable="yes", min_order="20", quantity="500",
                            **listed)
    deal_id = await agreed_between(app, listing, buyer.id, seller.id, "100", "220")
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, seller.id, "DSV", "CMR-77", None)
        await uow.commit()
    return deal_id


def _link(html: str, start: str) -> str:
    return start + html.split(f'href="{start}')[1].split('"')[0]


async def test_each_party_takes_their_steps_in_the_room_and_the_other_hears_in_the_chat(
        room_app, room_web, clock):
    seller, buyer = await _people(room_app)
    deal_id = await _agreed(room_app, seller, buyer)
    bea, sam = signed(clock, BUYER), signed(clock, SELLER)
    mine = await room_web.get("/app/part/deals", headers=bea)
    assert f'href="/app/deals/{deal_id}"' in mine.text  # My deals opens the room

    room = await room_web.get(f"/app/part/deals/{deal_id}", headers=bea)
    assert room.status_code == 200 and room.headers["x-app-location"] == f"/app/deals/{deal_id}"
    # The frozen terms in her words and figures (a Latvian account: “220,00 €”).
    for words in (f"Deal #{deal_id}", "You are the buyer", "Wood pellets, ENplus A1", "100 t",
                  "220,00\xa0€ per t", "EXW", "Riga port", "Escrow through Agora", "📄 Terms (PDF)"):
        assert words in room.text, words
    assert f'href="/app/deals/{deal_id}/sign-terms"' in room.text
    assert "Mark shipped" not in room.text and "/pay/" not in room.text  # not hers, not yet
    # The card's rarer steps open the deal in the chat.
    assert "Propose a change · ✖ Cancel the deal · 🚚 Ask for transport" in room.text
    assert f'href="https://t.me/agora_test_bot?start=deal-{deal_id}"' in room.text

    # Accepting asks the billing details first, as the chat does; a missing one is named.
    step = await room_web.get(f"/app/part/deals/{deal_id}/sign-terms", headers=bea)
    assert 'name="street"' in step.text and "Accept version 1" in step.text
    sha = defaults(step.text)["sha256"]
    wrong = await room_web.post(f"/app/part/deals/{deal_id}/sign-terms", headers=bea,
                           data={**BILLING, "street": "", "sha256": sha})
    assert wrong.status_code == 400 and "is required" in wrong.text
    accepted = await room_web.post(f"/app/part/deals/{deal_id}/sign-terms", headers=bea,
                              data={**BILLING, "sha256": sha})
    assert accepted.status_code == 200
    assert "Waiting for the other party to accept the same version" in accepted.text
    assert await told(room_app, seller.id, "accepted version 1 of the terms")
    again = await room_web.get(f"/app/part/deals/{deal_id}/sign-terms", headers=bea)
    assert "You accepted this version." in again.text and 'name="sha256"' not in again.text
    seller_step = await room_web.get(f"/app/part/deals/{deal_id}/sign-terms", headers=sam)
    both = await room_web.post(f"/app/part/deals/{deal_id}/sign-terms", headers=sam, data={
        **defaults(seller_step.text), **BILLING, "legal_name": "Sam Seller SIA"})
    assert "payment is open" in both.text, both.text
    assert await told(room_app, buyer.id, "Both accepted the terms. Pay")

    # Paying opens the pay page, outside the app.
    room = await room_web.get(f"/app/part/deals/{deal_id}", headers=bea)
    pay = _link(room.text, "https://agora.example/pay/")
    assert 'rel="external' in room.text.split(pay)[1][:40]
    page = await room_web.get(pay.removeprefix("https://agora.example"))
    assert page.status_code == 200 and "000,00" in page.text
    escrow = await room_app.payments.by_reference(deals.reference(deal_id))
    await room_app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")

    # The seller ships with the chat's shipment details; the buyer hears it in the chat.
    room = await room_web.get(f"/app/part/deals/{deal_id}", headers=sam)
    assert f'href="/app/deals/{deal_id}/mark-shipped"' in room.text
    form = await room_web.get(f"/app/part/deals/{deal_id}/mark-shipped", headers=sam)
    assert 'name="carrier"' in form.text and 'name="tracking"' in form.text
    shipped = await room_web.post(f"/app/part/deals/{deal_id}/mark-shipped", headers=sam,
                             data={"carrier": "DSV", "tracking": "CMR-77", "expected": ""})
    assert "Marked shipped; the buyer is told" in shipped.text and "via DSV (CMR-77)" in shipped.text
    assert await told(room_app, buyer.id, "Your goods are on the way")

    # The buyer confirms delivery and quality: both hear the deal completed.
    room = await room_web.get(f"/app/part/deals/{deal_id}", headers=bea)
    assert f'href="/app/deals/{deal_id}/confirm-receipt"' in room.text
    assert f'href="/app/deals/{deal_id}/report-quality"' in room.text  # as the chat allows
    ask = await room_web.get(f"/app/part/deals/{deal_id}/confirm-receipt", headers=bea)
    assert "the goods arrived as agreed" in ask.text
    done = await room_web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=bea)
    assert "Done; the other party is told" in done.text and "Status: completed" in done.text
    assert await told(room_app, seller.id, "Deal completed: the escrow is released")
    assert await told(room_app, buyer.id, "Deal completed. Your carbon receipt")
    assert "/invoices/" in done.text and "Payment receipt" in done.text  # her receipt
    assert "Carbon receipt" in done.text
    # Each party's own documents: the seller's payout statement and commission invoice are his.
    sams = (await room_web.get(f"/app/part/deals/{deal_id}", headers=sam)).text
    assert "Payout statement" in sams and "Commission invoice" in sams
    assert "Payout statement" not in done.text and "Commission invoice" not in done.text

    rated = await room_web.post(f"/app/part/deals/{deal_id}/rate", headers=bea,
                           data={"stars": "5", "comment": ""})
    assert "Thank you. Your rating shows" in rated.text
    assert f"/app/deals/{deal_id}/rate" not in rated.text  # rated once
    assert await status_of(room_app, deal_id) == "completed"
    # The seller rates too, from the same room.
    assert f'href="/app/deals/{deal_id}/rate"' in (
        await room_web.get(f"/app/part/deals/{deal_id}", headers=sam)).text


async def test_delivery_a_quality_report_and_the_sellers_answer_are_taken_in_the_room(
        room_app, room_web, clock):
    seller, buyer = await _people(room_app)
    deal_id = await _shipped(room_app, seller, buyer, moisture="8")  # at most 8 %
    sam, bea = signed(clock, SELLER), signed(clock, BUYER)
    delivered = await room_web.post(f"/app/part/deals/{deal_id}/mark-delivered", headers=sam)
    assert "Done; the other party is told" in delivered.text
    assert "Status: delivered" in delivered.text
    assert await told(room_app, buyer.id, "Marked delivered. Confirm receipt and quality")

    form = await room_web.get(f"/app/part/deals/{deal_id}/report-quality", headers=bea)
    assert 'name="delivered"' in form.text and 'name="moisture"' in form.text
    reported = await room_web.post(f"/app/part/deals/{deal_id}/report-quality", headers=bea,
                              data={"delivered": "90", "moisture": "12"})
    assert "Outside the agreed tolerances" in reported.text and "Moisture 12" in reported.text
    assert await told(room_app, seller.id, "The buyer reported the quality outside")

    room = await room_web.get(f"/app/part/deals/{deal_id}", headers=sam)
    for step in ("accept-adjustment", "reject-adjustment"):
        assert f'href="/app/deals/{deal_id}/{step}"' in room.text
    ask = await room_web.get(f"/app/part/deals/{deal_id}/accept-adjustment", headers=sam)
    assert "Measured: Moisture 12" in ask.text and "the buyer is refunded that much" in ask.text
    answered = await room_web.post(f"/app/part/deals/{deal_id}/accept-adjustment", headers=sam)
    assert "Done; the other party is told" in answered.text
    assert "Status: completed" in answered.text
    assert await told(room_app, buyer.id, "Deal completed. Your carbon receipt")


async def test_a_step_that_is_not_yours_or_no_longer_possible_is_refused_with_the_deal_now(
        room_app, room_web, clock):
    seller, buyer = await _people(room_app)
    await make_account(room_app, str(STRANGER), channel="telegram", roles=("buyer",))
    deal_id = await _shipped(room_app, seller, buyer)
    sam, bea, other = signed(clock, SELLER), signed(clock, BUYER), signed(clock, STRANGER)

    theirs = await room_web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=sam)
    assert theirs.status_code == 403 and "Only the other party can do that" in theirs.text
    assert "Status: shipped" in theirs.text  # the deal as it is
    for ask in (room_web.get(f"/app/part/deals/{deal_id}", headers=other),
                room_web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=other)):
        refused = await ask
        assert refused.status_code == 404 and "Riga port" not in refused.text
    assert await status_of(room_app, deal_id) == "shipped"

    first = await room_web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=bea)
    assert first.status_code == 200
    again = await room_web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=bea)
    assert again.status_code == 409 and "no longer possible" in again.text
    assert "Status: completed" in again.text and "/rate" in again.text  # what is possible now
    stale = await room_web.get(f"/app/part/deals/{deal_id}/mark-shipped", headers=sam)
    assert stale.status_code == 409 and "no longer possible" in stale.text
    async with room_app.uow() as uow:
        assert (await uow.session.get(Deal, deal_id)).status == "completed"
    assert len(await told_texts(room_app, seller.id, "Deal completed")) == 1  # told once


async def test_terms_changed_since_they_were_read_are_not_accepted(room_app, room_web, clock):
    from core.deals.terms import service as terms

    seller, buyer = await _people(room_app)
    deal_id = await _agreed(room_app, seller, buyer)
    bea = signed(clock, BUYER)
    read = await room_web.get(f"/app/part/deals/{deal_id}/sign-terms", headers=bea)
    async with room_app.uow() as uow:  # the seller proposes version 2 meanwhile
        await terms.propose_change(uow, deal_id, seller.id, {"place": "Liepaja port"})
        await uow.commit()
    refused = await room_web.post(f"/app/part/deals/{deal_id}/sign-terms", headers=bea,
                             data={**defaults(read.text), **BILLING})
    assert refused.status_code == 409 and "Those terms were changed" in refused.text
    assert "Liepaja port" in refused.text  # the terms as they are now


async def test_the_room_and_its_documents_need_telegrams_signature(room_app, room_web, clock):
    seller, buyer = await _people(room_app)
    deal_id = await _agreed(room_app, seller, buyer)
    for path in (f"/app/part/deals/{deal_id}", f"/app/part/deals/{deal_id}/sign-terms"):
        assert (await room_web.get(path)).status_code == 401
        assert (await room_web.get(path, headers=signed(clock, BUYER, ago=timedelta(hours=2)))
                ).status_code == 401
    assert (await room_web.post(f"/app/part/deals/{deal_id}/sign-terms",
                           data={"sha256": "x"})).status_code == 401
    room = await room_web.get(f"/app/part/deals/{deal_id}", headers=signed(clock, BUYER))
    terms_pdf = _link(room.text, "https://agora.example/app/documents/").removeprefix(
        "https://agora.example")
    got = await room_web.get(terms_pdf)
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    forged = terms_pdf.replace(f"-{buyer.id}-", f"-{seller.id}-")
    assert (await room_web.get(forged)).status_code == 404
    clock.advance(hours=2)
    assert (await room_web.get(terms_pdf)).status_code == 404  # the link lasts an hour


async def test_two_taps_at_once_move_the_deal_once_and_tell_each_party_once(
        room_app, room_web, clock):
    import asyncio

    seller, buyer = await _people(room_app)
    deal_id = await _shipped(room_app, seller, buyer)
    bea = signed(clock, BUYER)
    answers = await asyncio.gather(*(
        room_web.post(f"/app/part/deals/{deal_id}/confirm-receipt", headers=bea)
        for __ in range(2)))
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert await status_of(room_app, deal_id) == "completed"
    assert len(await told_texts(room_app, seller.id, "Deal completed")) == 1
    assert len(await told_texts(room_app, buyer.id, "Deal completed")) == 1


async def test_the_independent_inspector_s_sampling_record_is_among_both_parties_documents(
        room_app, room_web, clock):
    seller, buyer = await _people(room_app)
    deal_id = await _shipped(room_app, seller, buyer, moisture="10")
    ines = await inspector(room_app, "ines")
    record = b"%PDF-1.4 sampling record\n%%EOF\n"
    __, path = media.keep(FileStore(room_app.settings.data_dir), "document", "probe.pdf",
                          "application/pdf", record)
    async with room_app.uow() as uow:
        booked = await inspections.book(uow, deal_id, buyer.id, ines.id)
        await uow.commit()
    fee = await room_app.payments.by_reference(inspection_rules.reference(booked.id))
    await room_app.payments.pay_with_test_card(fee.id, "4242 4242 4242 4242")
    async with room_app.uow() as uow:
        await inspections.answer(uow, booked.id, ines.id, accept=True)
        await inspections.keep_record(uow, booked.id, ines.id,
                                      SharedFile(path, "probe.pdf", "application/pdf"))
        await uow.commit()
    for reader in (BUYER, SELLER):
        room = await room_web.get(f"/app/part/deals/{deal_id}", headers=signed(clock, reader))
        assert "Sampling record" in room.text
        # its card as the chat's: the inspection's line, and its steps to take in the chat
        assert "🔬 Inspection by Ines Prüf: accepted" in html.unescape(room.text)
        assert "🔬 Inspection · 📄 Sampling record — " in html.unescape(room.text)
        link = _link(room.text, "https://agora.example/app/documents/inspection-")
        got = await room_web.get(link.removeprefix("https://agora.example"))
        assert (got.status_code, got.content) == (200, record)
    stranger = await make_account(room_app, str(STRANGER), channel="telegram")
    forged = link.removeprefix("https://agora.example").replace(f"-{seller.id}-",
                                                                f"-{stranger.id}-")
    assert (await room_web.get(forged)).status_code == 404
