"""The API over HTTP, served by uvicorn against SQLite and PostgreSQL: a key reads the market
and trades as its colleague — an offer above her spending limit waits for an approver, as it
would from the chat —, reads her deal, its receipt as PDF and EN 16931 XML, and her statement;
a key without the scope, revoked, or unknown is refused in the one problem shape; a key over
its rate limit is answered 429 with Retry-After; every POST needs an Idempotency-Key, a retry
is answered as the first time, another body under the same key is refused, and the same
request sent five times at once makes one offer."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select

from core.companies import api_keys
from core.deals.approvals import service as approvals
from core.deals.tables import Offer
from tests.api.helpers import bearer, company, fresh, key_for, paid_deal, served
from tests.support import containers
from tests.support.containers import settings_for

PROBLEM = "application/problem+json"


def offer_of(listing_id: int, quantity: str = "20", price: str = "220.00") -> dict[str, object]:
    return {"listing_id": listing_id, "quantity": quantity, "price": price}


async def offers_made(app) -> int:
    async with app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Offer)) or 0)


async def test_a_key_reads_the_market_with_exact_amounts_and_its_rate_limit(app):
    c = await company(app)
    token = await key_for(app, c["alice"].id, c["anna"].id, ["read"])
    async with served(app) as http:
        found = await http.get("/api/v1/listings", headers=bearer(token))
        one = await http.get(f"/api/v1/listings/{c['listing']}", headers=bearer(token))
        auctions = await http.get("/api/v1/auctions", headers=bearer(token))
        schema = await http.get("/api/v1/openapi.json")
        docs = await http.get("/api/v1/docs")
    assert found.status_code == 200, found.text
    listing = found.json()["listings"][0]
    assert listing["id"] == c["listing"] and listing["price"] == {"amount": "230.00",
                                                                  "currency": "EUR"}
    assert (listing["quantity"], listing["min_order"]) == ("500", "20")
    assert one.json() == listing and auctions.json() == {"requests": []}
    assert found.headers["RateLimit-Limit"] == "600"
    assert found.headers["RateLimit-Remaining"] == "599"
    assert one.headers["RateLimit-Remaining"] == "598"
    paths = schema.json()["paths"]
    assert {"/listings", "/offers", "/requests/{request_id}/bids", "/deals/{deal_id}",
            "/documents/{number}.pdf", "/statement"} <= set(paths)
    assert "HTTPBearer" in schema.json()["components"]["securitySchemes"]
    assert docs.status_code == 200 and "/api/v1/openapi.json" in docs.text


async def test_an_offer_above_the_colleagues_limit_waits_for_an_approver(app):
    c = await company(app, limit="10000")
    token = await key_for(app, c["alice"].id, c["anna"].id)
    async with served(app) as http:
        held = await http.post("/api/v1/offers", headers=fresh(token),
                               json=offer_of(c["listing"], "100"))
        sent = await http.post("/api/v1/offers", headers=fresh(token),
                               json=offer_of(c["listing"], "20"))
        mine = await http.get("/api/v1/offers", headers=bearer(token))
    assert held.status_code == 202, held.text
    assert held.json() == {"status": "awaiting_approval", "approval": {
        "id": held.json()["approval"]["id"], "total": {"amount": "22000.00", "currency": "EUR"},
        "limit": {"amount": "10000.00", "currency": "EUR"}, "approvers": ["Alice"]}}
    async with app.uow() as uow:
        waiting = await approvals.get(uow, held.json()["approval"]["id"], c["alice"].id)
    assert (waiting.requester_id, waiting.status) == (c["anna"].id, "pending")
    assert sent.status_code == 201 and sent.json()["status"] == "offer_sent"
    assert [o["id"] for o in mine.json()["offers"]] == [sent.json()["offer_id"]]
    assert mine.json()["offers"][0]["total"] == {"amount": "4400.00", "currency": "EUR"}


async def test_core_refusals_and_bad_requests_are_problems_with_stable_codes(app):
    c = await company(app)
    token = await key_for(app, c["alice"].id, c["anna"].id)
    sam = await key_for(app, c["alice"].id, c["alice"].id)
    async with served(app) as http:
        unknown = await http.post("/api/v1/offers", headers=fresh(token), json=offer_of(999))
        small = await http.post("/api/v1/offers", headers=fresh(token),
                                json=offer_of(c["listing"], "1"))
        shaped = await http.post("/api/v1/offers", headers=fresh(token),
                                 json={"listing_id": "x", "colour": "red"})
        no_key = await http.post("/api/v1/offers", headers=bearer(token),
                                 json=offer_of(c["listing"]))
        missing = await http.get("/api/v1/deals/999", headers=bearer(sam))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert unknown.headers["content-type"] == PROBLEM
    assert (small.status_code, small.json()["code"]) == (422, "invalid_field")
    assert "quantity" in small.json()["errors"]
    assert (shaped.status_code, shaped.json()["code"]) == (422, "invalid_request")
    assert {"listing_id", "colour"} <= set(shaped.json()["errors"])
    assert (no_key.status_code, no_key.json()["code"]) == (400, "idempotency_key_missing")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert await offers_made(app) == 0


async def test_a_key_without_the_scope_a_revoked_key_and_a_stranger_are_refused(app):
    c = await company(app)
    reader = await key_for(app, c["alice"].id, c["anna"].id, ["read"])
    async with served(app) as http:
        trade = await http.post("/api/v1/offers", headers=fresh(reader),
                                json=offer_of(c["listing"]))
        papers = await http.get("/api/v1/statement", headers=bearer(reader))
        before = await http.get("/api/v1/deals", headers=bearer(reader))
        async with app.uow() as uow:
            key = (await api_keys.keys(uow, c["alice"].id))[0]
            await api_keys.revoke(uow, c["alice"].id, key.id)
            await uow.commit()
        after = await http.get("/api/v1/deals", headers=bearer(reader))
        forged = await http.get("/api/v1/deals", headers=bearer(reader[:-4] + "AAAA"))
        none = await http.get("/api/v1/deals")
    assert (trade.status_code, trade.json()["code"]) == (403, "insufficient_scope")
    assert (papers.status_code, papers.json()["code"]) == (403, "insufficient_scope")
    assert before.status_code == 200 and key.last_used_at is not None
    for refused in (after, forged, none):
        assert (refused.status_code, refused.json()["code"]) == (401, "unauthenticated")
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")


async def test_a_key_stops_when_its_colleague_leaves_the_company(app):
    from core.companies import service as companies

    c = await company(app)
    token = await key_for(app, c["alice"].id, c["anna"].id, ["read"])
    async with app.uow() as uow:
        await companies.remove(uow, c["alice"].id, c["anna"].id)
        await uow.commit()
    async with served(app) as http:
        gone = await http.get("/api/v1/deals", headers=bearer(token))
    assert gone.status_code == 401


async def test_a_retry_is_answered_as_the_first_time_and_another_body_is_refused(app):
    c = await company(app)
    token = await key_for(app, c["alice"].id, c["anna"].id)
    headers = fresh(token)
    async with served(app) as http:
        first = await http.post("/api/v1/offers", headers=headers, json=offer_of(c["listing"]))
        again = await http.post("/api/v1/offers", headers=headers, json=offer_of(c["listing"]))
        other = await http.post("/api/v1/offers", headers=headers,
                                json=offer_of(c["listing"], "30"))
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert await offers_made(app) == 1


async def test_the_same_post_sent_five_times_at_once_makes_one_offer(app):
    c = await company(app)
    token = await key_for(app, c["alice"].id, c["anna"].id)
    headers = fresh(token)
    async with served(app) as http:
        answers = await asyncio.gather(*(http.post("/api/v1/offers", headers=headers,
                                                   json=offer_of(c["listing"]))
                                         for __ in range(5)))
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["offer_id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 4
    assert await offers_made(app) == 1


@pytest.fixture
async def tight_app(db_url, clock, mailbox, tmp_path):
    """The application with three requests a minute per key."""
    settings = settings_for(db_url, data_dir=str(tmp_path / "data"), api_requests_per_minute=3)
    async with containers.container(settings, clock=clock, mailbox=mailbox) as app:
        yield app


async def test_a_key_over_its_rate_limit_is_answered_429_with_retry_after(tight_app):
    c = await company(tight_app)
    token = await key_for(tight_app, c["alice"].id, c["anna"].id, ["read"])
    other = await key_for(tight_app, c["alice"].id, c["alice"].id, ["read"])
    async with served(tight_app) as http:
        answers = [await http.get("/api/v1/listings", headers=bearer(token)) for __ in range(4)]
        others = await http.get("/api/v1/listings", headers=bearer(other))
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    refused = answers[-1]
    assert refused.json()["code"] == "rate_limited" and int(refused.headers["Retry-After"]) >= 1
    assert others.status_code == 200  # each key has its own window


async def _other_company_key(app) -> str:
    """The admin of another company, Nordic Heat, and her key."""
    from core.companies import service as companies
    from tests.catalog.helpers import make_account

    olga = await make_account(app, "olga", roles=("buyer",))
    async with app.uow() as uow:
        await companies.found(uow, olga.id, "Nordic Heat OY")
        await uow.commit()
    return await key_for(app, olga.id, olga.id)


async def test_a_key_reads_its_deal_its_receipt_as_pdf_and_xml_and_its_statement(app, issuer):
    c = await company(app)
    token = await key_for(app, c["alice"].id, c["anna"].id, ["read", "documents"])
    deal_id = await paid_deal(app, c["listing"], c["anna"].id, c["sam"].id)
    async with served(app) as http:
        listed = await http.get("/api/v1/deals", headers=bearer(token))
        deal = await http.get(f"/api/v1/deals/{deal_id}", headers=bearer(token))
        receipt = deal.json()["documents"][0]
        pdf = await http.get(receipt["pdf"], headers=bearer(token))
        xml = await http.get(receipt["xml"], headers=bearer(token))
        ubl = await http.get(receipt["xml"] + "?syntax=ubl", headers=bearer(token))
        statement = await http.get("/api/v1/statement", headers=bearer(token))
        admins = await key_for(app, c["alice"].id, c["alice"].id, ["read", "documents"])
        theirs = await http.get(receipt["pdf"], headers=bearer(admins))
        companys = await http.get("/api/v1/deals", headers=bearer(admins))
        read_only = await http.get(f"/api/v1/deals/{deal_id}", headers=bearer(admins))
        outsider = await http.get(f"/api/v1/deals/{deal_id}",
                                  headers=bearer(await _other_company_key(app)))
    assert [d["id"] for d in listed.json()["deals"]] == [deal_id]
    assert deal.json()["role"] == "buyer" and deal.json()["total"] == {
        "amount": "4400.00", "currency": "EUR"}
    assert receipt["kind"] == "payment" and receipt["number"]
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert xml.status_code == 200 and b"CrossIndustryInvoice" in xml.content
    assert receipt["number"].encode() in xml.content
    assert ubl.status_code == 200 and b"<Invoice" in ubl.content
    held = statement.json()["held"]
    assert held == [deal.json()["payable"]], statement.json()
    # Alice, the company's admin, sees Anna's deal among the company's, read only, with its
    # receipt for the company's books.
    assert theirs.status_code == 200 and theirs.content.startswith(b"%PDF")
    assert companys.json()["deals"] == [{"id": deal_id, "title": deal.json()["title"],
                                         "role": "colleague", "status": "to_ship"}]
    assert read_only.json()["role"] == "colleague"
    assert read_only.json()["documents"] == deal.json()["documents"]
    assert read_only.json()["total"] == deal.json()["total"]
    assert (outsider.status_code, outsider.json()["code"]) == (404, "not_found")


async def test_idempotency_keys_are_per_company(app):
    """Another company's key may use the same Idempotency-Key: it is a new request there."""
    c = await company(app)
    ours = await key_for(app, c["alice"].id, c["anna"].id)
    theirs = await _other_company_key(app)
    same = str(uuid.uuid4())
    async with served(app) as http:
        one = await http.post("/api/v1/offers", headers=bearer(ours, **{"Idempotency-Key": same}),
                              json=offer_of(c["listing"]))
        two = await http.post("/api/v1/offers",
                              headers=bearer(theirs, **{"Idempotency-Key": same}),
                              json=offer_of(c["listing"]))
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["offer_id"] != two.json()["offer_id"]


async def test_an_offer_is_withdrawn_once_and_a_second_withdrawal_is_a_conflict(app):
    c = await company(app)
    token = await key_for(app, c["alice"].id, c["anna"].id)
    async with served(app) as http:
        sent = await http.post("/api/v1/offers", headers=fresh(token),
                               json=offer_of(c["listing"]))
        offer_id = sent.json()["offer_id"]
        gone = await http.post(f"/api/v1/offers/{offer_id}/withdraw", headers=fresh(token))
        again = await http.post(f"/api/v1/offers/{offer_id}/withdraw", headers=fresh(token))
        mine = await http.get("/api/v1/offers", headers=bearer(token))
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    assert mine.json() == {"offers": []}


async def test_a_key_posts_its_requests_within_its_colleagues_limit_and_closes_one(app):
    c = await company(app, limit="10000")
    token = await key_for(app, c["alice"].id, c["anna"].id)
    wanted = {"product_type": "pellets", "quantity": "100", "unit": "t", "place": "Tallinn"}
    async with served(app) as http:
        too_dear = await http.post("/api/v1/requests", headers=fresh(token), json={
            **wanted, "mode": "auction", "max_price": "200", "min_step": "1"})
        auction = await http.post("/api/v1/requests", headers=fresh(token), json={
            **wanted, "mode": "auction", "max_price": "90", "min_step": "1"})
        quotes = await http.post("/api/v1/requests", headers=fresh(token), json=wanted)
        mine = await http.get("/api/v1/requests/mine", headers=bearer(token))
        public = await http.get("/api/v1/auctions", headers=bearer(token))
        closed = await http.post(f"/api/v1/requests/{quotes.json()['id']}/close",
                                 headers=fresh(token))
        not_yet = await http.post(f"/api/v1/requests/{auction.json()['id']}/close",
                                  headers=fresh(token))
    assert (too_dear.status_code, too_dear.json()["code"]) == (422, "refused")
    assert "spending limit" in too_dear.json()["detail"]
    assert auction.status_code == 201 and auction.json()["ceiling"] == {
        "amount": "90.00", "currency": "EUR"}
    assert quotes.status_code == 201 and quotes.json()["mode"] == "quotes"
    assert [r["id"] for r in mine.json()["requests"]] == [quotes.json()["id"],
                                                          auction.json()["id"]]
    assert [r["id"] for r in public.json()["requests"]] == [auction.json()["id"]]
    assert closed.status_code == 200 and closed.json()["status"] != "open"
    assert (not_yet.status_code, not_yet.json()["code"]) == (409, "conflict")


async def test_a_key_publishes_a_listing_as_the_chats_form_checks_it_and_pauses_it(app):
    from core.companies import service as companies
    from tests.catalog.helpers import make_account

    olga = await make_account(app, "olga", roles=("seller", "buyer"))
    async with app.uow() as uow:
        await companies.found(uow, olga.id, "Nordic Pellets OY")
        await uow.commit()
    token = await key_for(app, olga.id, olga.id)
    listing = {"product_type": "pellets", "quantity": "120", "unit": "t", "price": "210",
               "negotiable": True, "location": "Riga", "delivery": ["pickup"]}
    async with served(app) as http:
        wrong = await http.post("/api/v1/listings", headers=fresh(token),
                                json={**listing, "price": "0"})
        made = await http.post("/api/v1/listings", headers=fresh(token), json=listing)
        mine = await http.get("/api/v1/listings/mine", headers=bearer(token))
        paused = await http.post(f"/api/v1/listings/{made.json()['id']}/move",
                                 headers=fresh(token), json={"action": "pause"})
        market = await http.get("/api/v1/listings", headers=bearer(token))
    assert (wrong.status_code, wrong.json()["code"]) == (422, "invalid_field")
    assert "price" in wrong.json()["errors"]
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "published" and made.json()["price"] == {
        "amount": "210.00", "currency": "EUR"}
    assert made.json()["negotiable"] and made.json()["quantity"] == "120"
    assert [item["id"] for item in mine.json()["listings"]] == [made.json()["id"]]
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    assert market.json()["listings"] == []


async def test_buy_now_at_the_listed_price_agrees_a_deal_at_once(app):
    from tests.catalog.helpers import publish

    c = await company(app)
    token = await key_for(app, c["alice"].id, c["anna"].id)
    fixed = await publish(app, c["sam"], quantity="300", min_order="10", negotiable="no")
    async with served(app) as http:
        bought = await http.post("/api/v1/offers", headers=fresh(token), json={
            "listing_id": fixed, "quantity": "10", "price": "1.00", "buy_now": True})
        deal = await http.get(f"/api/v1/deals/{bought.json().get('deal_id')}",
                              headers=bearer(token))
    assert bought.status_code == 201 and bought.json()["status"] == "deal_agreed", bought.text
    assert deal.json()["price"] == {"amount": "230.00", "currency": "EUR"}  # the listed price
    assert deal.json()["total"] == {"amount": "2300.00", "currency": "EUR"}
