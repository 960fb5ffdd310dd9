"""Answering through the API, served by uvicorn against SQLite and PostgreSQL, by the core
services the chat's offer card and request card use: a seller's system counters, declines and
accepts the offers on its listings — a company buyer's acceptance of a counter above her limit
waits for an approver, as from the chat —; an offer answered meanwhile is a 409 carrying the
offer as it is now, one's own offer cannot be accepted, and a retried acceptance is replayed;
a buyer's system compares the quotes on its request and awards one (the chat's award: an
acceptance), a quote of another request being none of that request's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from core.companies import service as companies
from core.deals.offers import service as offers
from tests.api.helpers import bearer, company, fresh, key_for, served
from tests.deals.test_offers import terms
from tests.deals.test_supply_requests import market, posted, quoted


async def _offered(app, listing_id: int, buyer_id: int, count: int) -> list[int]:
    """Offers of 20 t at 220.00 the buyer made in the chat (her approver let them go)."""
    soon = app.clock.now().date() + timedelta(days=7)
    wanted = replace(terms("20"), delivery_from=soon, delivery_to=soon + timedelta(days=7))
    async with app.uow() as uow:
        made = [(await offers.make_offer(uow, listing_id, buyer_id, wanted,
                                         approved=True)).id for __ in range(count)]
        await uow.commit()
    return made


async def _own_company_key(app, account_id: int, name: str) -> str:
    async with app.uow() as uow:
        await companies.found(uow, account_id, name)
        await uow.commit()
    return await key_for(app, account_id, account_id)


async def test_a_seller_s_system_counters_declines_and_accepts_and_a_stale_answer_is_409(app):
    c = await company(app, limit="3000")
    sams = await _own_company_key(app, c["sam"].id, "Sam Pellets SIA")
    annas = await key_for(app, c["alice"].id, c["anna"].id)
    countered, declined, accepted = await _offered(app, c["listing"], c["anna"].id, 3)
    async with served(app) as http:
        waiting = await http.get("/api/v1/offers", headers=bearer(sams))
        counter = await http.post(f"/api/v1/offers/{countered}/counter", headers=fresh(sams),
                                  json={"price": "210.00"})
        assert counter.status_code == 201, counter.text
        own = await http.post(f"/api/v1/offers/{counter.json()['offer_id']}/accept",
                              headers=fresh(sams))
        held = await http.post(f"/api/v1/offers/{counter.json()['offer_id']}/accept",
                               headers=fresh(annas))
        no = await http.post(f"/api/v1/offers/{declined}/decline", headers=fresh(sams),
                             json={"reason": "Sold  out  this week"})
        once = fresh(sams)
        deal = await http.post(f"/api/v1/offers/{accepted}/accept", headers=once)
        replayed = await http.post(f"/api/v1/offers/{accepted}/accept", headers=once)
        stale = await http.post(f"/api/v1/offers/{accepted}/decline", headers=fresh(sams),
                                json={})
        late = await http.post(f"/api/v1/offers/{declined}/counter", headers=fresh(sams),
                               json={"price": "200"})
    assert {(o["id"], o["role"]) for o in waiting.json()["offers"]} == {
        (countered, "seller"), (declined, "seller"), (accepted, "seller")}
    assert (counter.status_code, counter.json()["status"]) == (201, "offer_sent"), counter.text
    assert (own.status_code, own.json()["code"]) == (403, "not_allowed")
    # 20 t at 210.00 is above Anna's 3,000.00: her acceptance waits for Alice, as in the chat.
    assert (held.status_code, held.json()["status"]) == (202, "awaiting_approval"), held.text
    assert held.json()["approval"]["total"] == {"amount": "4200.00", "currency": "EUR"}
    assert (no.status_code, no.json()["status"]) == (200, "declined")
    assert (deal.status_code, deal.json()["status"]) == (201, "deal_agreed"), deal.text
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json()["deal_id"] == deal.json()["deal_id"]
    for refused, status in ((stale, "accepted"), (late, "declined")):
        assert (refused.status_code, refused.json()["code"]) == (409, "conflict"), refused.text
        assert refused.json()["offer"]["status"] == status
    async with app.uow() as uow:
        first, __ = await offers.summary(uow, countered, c["sam"].id)
        gone, __ = await offers.summary(uow, declined, c["sam"].id)
    assert (first.status, gone.reason) == ("countered", "Sold out this week")


async def test_a_buyer_s_system_compares_the_quotes_on_its_request_and_awards_one(app):
    hanna, (aivar, birute, *_) = await market(app)
    key = await _own_company_key(app, hanna.id, "Tartu Heat AS")
    request_id = await posted(app, hanna)
    other = await posted(app, hanna, quantity=Decimal(500))
    dear = await quoted(app, aivar, request_id, "1200", "21")
    cheap = await quoted(app, birute, request_id, "800", "20")
    elsewhere = await quoted(app, aivar, other, "500", "21")
    async with served(app) as http:
        compared = await http.get(f"/api/v1/requests/{request_id}/quotes", headers=bearer(key))
        wrong = await http.post(f"/api/v1/requests/{request_id}/quotes/{elsewhere}/award",
                                headers=fresh(key))
        award = await http.post(f"/api/v1/requests/{request_id}/quotes/{cheap}/award",
                                headers=fresh(key))
        again = await http.post(f"/api/v1/requests/{request_id}/quotes/{cheap}/award",
                                headers=fresh(key))
        after = await http.get(f"/api/v1/requests/{request_id}/quotes", headers=bearer(key))
    quotes = compared.json()["quotes"]
    assert [q["id"] for q in quotes] == [cheap, dear]
    assert quotes[0]["total"] == {"amount": "16000.00", "currency": "EUR"}
    assert (quotes[0]["quantity"], quotes[0]["status"]) == ("800", "open")
    assert (wrong.status_code, wrong.json()["code"]) == (404, "not_found")
    assert (award.status_code, award.json()["status"]) == (201, "deal_agreed"), award.text
    assert (again.status_code, again.json()["offer"]["status"]) == (409, "accepted")
    assert {q["id"]: q["status"] for q in after.json()["quotes"]} == {cheap: "accepted",
                                                                       dear: "open"}
