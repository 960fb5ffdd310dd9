"""The domain events a company's endpoints hear, driven through the core services on the
database (SQLite and PostgreSQL) and read from the webhooks' outbox: a deal cancelled before
payment; a paid deal whose quality report is rejected into a dispute an admin decides as a
refund (quality reported, disputed, refunded, and the credit note with its number); a
reverse auction closing with a winner (`request.awarded` to the buyer's company); a framework
contract started (`contract.signed`). Each fact queued once, with the payload docs/webhooks.md
shows."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from core.companies import service as companies
from core.deals import deals
from core.deals.after_sale import quality_report
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.requests import auction_close, auctions
from core.deals.tables import Dispute
from core.deals.terms import service as deal_terms
from core.money.model import Money
from core.webhooks import rules
from core.webhooks import service as webhooks
from core.webhooks.tables import WebhookDelivery, WebhookEvent
from payments.escrow_rows import by_reference
from tests.catalog.helpers import make_account
from tests.contracts.support import contract_terms
from tests.deals.test_offers import terms, world
from tests.deals.test_supply_requests import market, posted
from tests.tickets.helpers import with_admins

ENDPOINT = "https://erp.example.com/agora"  # resolved to a public address by the tests' names


async def _listening(app, admin_id: int, name: str) -> int:
    """`admin_id` founds a company whose endpoint takes every event; the company's id."""
    async with app.uow() as uow:
        company = await companies.found(uow, admin_id, name)
        await webhooks.register(uow, admin_id, app.engine.services.webhooks, ENDPOINT,
                                list(rules.EVENT_TYPES))
        await uow.commit()
    return int(company.id)


async def _heard(app, company_id: int) -> list[dict[str, Any]]:
    """The company's queued events (each with one delivery), oldest first."""
    async with app.uow() as uow:
        found = (await uow.session.execute(
            select(WebhookEvent, WebhookDelivery.id).join(
                WebhookDelivery, WebhookDelivery.event_id == WebhookEvent.id)
            .where(WebhookEvent.company_id == company_id).order_by(WebhookEvent.id))).all()
    assert Counter(event.id for event, _ in found).most_common(1)[0][1] == 1
    return [event.payload for event, _ in found]


def _about(heard: list[dict[str, Any]], deal_id: int) -> list[dict[str, Any]]:
    return [e for e in heard if e["data"].get("deal", {}).get("id") == deal_id]


async def _accepted(app, deal_id: int, *people) -> None:
    async with app.uow() as uow:
        version = await deal_terms.current(uow, deal_id)
        for person in people:
            await deal_terms.accept(uow, deal_id, person.id, version.sha256)
        await uow.commit()


async def test_a_cancelled_deal_and_a_rejected_quality_report_refunded_by_an_admin(app, clock):
    sam, bob, _, listing_id = await world(app, quantity="100")
    root = await make_account(app, "root")
    await with_admins(app, "terminal:root")
    company_id = await _listening(app, sam.id, "Sam Pellets SIA")
    async with app.uow() as uow:
        cancelled, refunded = [(await offers.accept(uow, (await offers.make_offer(
            uow, listing_id, bob.id, terms(quantity="40"))).id, sam.id)).id for __ in range(2)]
        await uow.commit()
    async with app.uow() as uow:
        await deals.take(uow, cancelled, "cancel-deal", bob.id)
        await uow.commit()
    await _accepted(app, refunded, bob, sam)
    async with app.uow() as uow:
        escrow = await by_reference(uow, deals.reference(refunded))
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, refunded, sam.id, "DSV", "CMR-1", None)
        await after_sale.update_shipment(uow, refunded, sam.id, "delivered")
        await quality_report.report(uow, refunded, bob.id, {}, delivered="30")
        await quality_report.answer(uow, refunded, sam.id, False)  # rejected: a dispute
        await uow.commit()
    async with app.uow() as uow:
        dispute_id = (await uow.session.execute(select(Dispute.id).where(
            Dispute.deal_id == refunded))).scalar_one()
        await after_sale.decide(uow, dispute_id, root.id, "refund", "Short by ten tonnes")
        await uow.commit()

    heard = await _heard(app, company_id)
    assert [e["type"] for e in _about(heard, cancelled)] == ["deal.agreed", "deal.cancelled"]
    [gone] = _about(heard, cancelled)[1:]
    assert gone["data"]["deal"]["status"] == "cancelled"
    assert (gone["data"]["transition"], gone["data"]["previous_status"]) == ("cancel-deal",
                                                                             "agreed")
    moves = [(e["type"], e["data"].get("transition"), e["data"].get("previous_status"),
              e["data"]["deal"]["status"]) for e in _about(heard, refunded)]
    assert moves == [
        ("deal.agreed", None, None, "agreed"),
        ("deal.paid", "payment-received", "awaiting_payment", "to_ship"),
        ("deal.shipped", "mark-shipped", "to_ship", "shipped"),
        ("deal.delivered", "mark-delivered", "shipped", "delivered"),
        ("deal.quality_reported", "report-quality", "delivered", "adjustment_proposed"),
        ("deal.disputed", "reject-adjustment", "adjustment_proposed", "disputed"),
        ("deal.refunded", "resolve-refund", "disputed", "refunded")]
    assert _about(heard, refunded)[-1]["data"]["deal"]["total"] == {"amount": "8800.00",
                                                                      "currency": "EUR"}
    documents = {e["data"]["document"]["kind"]: e["data"]["document"] for e in heard
                 if e["type"] == "document.issued"}
    assert set(documents) == {"payment", "credit_note"}  # the refund credits the receipt
    for document in documents.values():
        assert document["reference"] == f"deal:{refunded}"
        assert document["total"] == {"amount": "8800.00", "currency": "EUR"}
        assert document["download_url"].endswith(".pdf")
    assert documents["credit_note"]["number"].startswith("CN-")


async def test_an_auction_closing_with_a_winner_is_awarded_to_the_buyer_s_company_once(
        app, clock):
    hanna, (aivar, birute, *__) = await market(app)
    company_id = await _listening(app, hanna.id, "Tartu Heat AS")
    request_id = await posted(app, hanna, mode="auction", min_step=Money.parse("0.10", "EUR"),
                              deadline_days="1")
    for seller, price in ((aivar, "21.50"), (birute, "21.00")):
        async with app.uow() as uow:
            await auctions.bid(uow, request_id, seller.id, Money.parse(price, "EUR"))
            await uow.commit()
    clock.advance(days=1, minutes=1)
    assert await auction_close.close_due(app.uow) == [request_id]
    assert await auction_close.close_due(app.uow) == []

    heard = await _heard(app, company_id)
    [awarded] = [e for e in heard if e["type"] == "request.awarded"]
    request = awarded["data"]["request"]
    assert (request["id"], request["status"], request["product_type"]) == (request_id,
                                                                           "awarded", "chips")
    assert request["quantity"] == {"value": "2000.000", "unit": "t"}
    assert awarded["data"]["bid"]["id"] and awarded["data"]["bid"]["price"] == {
        "amount": "21.00", "currency": "EUR"}
    [agreed] = [e for e in heard if e["type"] == "deal.agreed"]
    deal = agreed["data"]["deal"]
    assert awarded["data"]["deal"] == deal
    assert (deal["seller_id"], deal["buyer_id"], deal["price"], deal["status"]) == (
        birute.id, hanna.id, {"amount": "21.00", "currency": "EUR"}, "agreed")


async def test_a_framework_contract_started_is_signed_once_for_both_companies(app, clock):
    sam, bob, _, listing_id = await world(app)
    sellers = await _listening(app, sam.id, "Sam Pellets SIA")
    buyers = await _listening(app, bob.id, "Bob Heat OÜ")
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, bob.id, contract_terms())
        deal_id = (await offers.accept(uow, offer.id, sam.id)).id
        await uow.commit()
    await _accepted(app, deal_id, bob, sam)

    for company_id in (sellers, buyers):
        [signed] = [e for e in await _heard(app, company_id) if e["type"] == "contract.signed"]
        contract = signed["data"]["contract"]
        assert (contract["status"], contract["buyer_id"], contract["seller_id"]) == (
            "active", bob.id, sam.id)
        assert (contract["call_offs"], contract["every"], contract["listing_id"]) == (
            3, "month", listing_id)
        assert contract["price"] == {"amount": "220.00", "currency": "EUR"}
