"""A company's own system on the API, its key made in the chat: Tom, an admin of Baltic Heat on
Telegram, makes a key with /apikeys (acting as himself, with every scope) and is shown it
once; the system, calling the server as served, lists the market, bids on Sam's lot and makes
an offer on his listing, which Sam accepts on Telegram; it reads the deal once paid, downloads
its receipt as PDF and as EN 16931 XML, and reads Tom's statement. Bob, the company's other
admin, on Slack, revokes the key from his /apikeys list: the system's next request is refused."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from core.deals import deals
from core.deals.requests import lots
from core.deals.terms import service as terms
from core.issuer import ISSUER, Issuer
from core.money.model import Money
from tests.api.helpers import bearer, billed, fresh
from tests.catalog.helpers import publish
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER
from tests.telegram.conftest import TelegramUser

TOM = 4343
KEY = re.compile(r"agora_[0-9a-f]{12}_[A-Za-z0-9_-]+")


@pytest.fixture
def issuer(monkeypatch):
    monkeypatch.setitem(ISSUER, "issuer", Issuer("Agora SIA", "Brīvības iela 2, LV-1010 Rīga",
                                                 "LV40003000001", "LV", Decimal("21")))


async def _company(app):
    """Tom founds Baltic Heat; Bob joins it as its second admin."""
    from core.companies import service as companies

    tom = await registered(app, str(TOM), channel="telegram", address=str(TOM),
                           display_name="Tom", country="EE", city="Tallinn")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           display_name="Bob", country="EE", city="Tallinn")
    async with app.uow() as uow:
        await companies.found(uow, tom.id, "Baltic Heat AS")
        code = await companies.invite(uow, tom.id, ["admin"], None)
        await uow.commit()
    async with app.uow() as uow:
        await companies.join(uow, bob.id, code.code)
        await uow.commit()
    return tom, bob


async def _terms_accepted(app, deal_id: int, *party_ids: int) -> None:
    """Both accept the deal's terms (through the service: the deal's steps are not the API's)."""
    async with app.uow() as uow:
        version = await terms.current(uow, deal_id)
        assert version is not None
        for party in party_ids:
            await terms.accept(uow, deal_id, party, version.sha256)
        await uow.commit()


async def _key_made_on_telegram(tom: TelegramUser) -> str:
    await tom.say("/apikeys", expect="No API keys yet")
    await tom.tap("New key", expect="The system that uses it")
    await tom.say("ERP", expect="What it may do")
    for scope in ("Read", "Trade", "Documents"):
        await tom.tap(scope, expect="What it may do")
    await tom.tap("Done", expect="It acts as")
    shown = await tom.tap("Tom", expect="New key “ERP”")
    text = str(shown.params["text"])
    assert "acting as Tom (read, trade, documents)" in text and "cannot show it again" in text
    found = KEY.search(text)
    assert found is not None, text
    return found.group(0)


@pytest.mark.journey
async def test_a_key_made_on_telegram_trades_and_reads_then_revoked_on_slack(world, issuer):
    app, http = world.app, world.http
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram",
                           address=str(TELEGRAM_USER), roles=("seller",), display_name="Sam",
                           country="LV", city="Riga")
    tom, bob = await _company(app)
    listing_id = await publish(app, sam, negotiable="yes", min_order="20", quantity="500")
    chips = await publish(app, sam, negotiable="yes", min_order="10", quantity="300")
    async with app.uow() as uow:
        lot = await lots.put_up(uow, sam.id, chips, lots.LotTerms(
            Decimal("100"), Money.parse("150", "EUR"), Money.parse("5", "EUR")))
        await uow.commit()

    key = await _key_made_on_telegram(TelegramUser(world.telegram, TOM))

    listed = await http.get("/api/v1/listings", headers=bearer(key))
    assert {item["id"] for item in listed.json()["listings"]} == {listing_id, chips}
    auctions = await http.get("/api/v1/auctions", headers=bearer(key))
    assert [a["id"] for a in auctions.json()["requests"]] == [lot.id]
    assert auctions.json()["requests"][0]["side"] == "seller"
    bid = await http.post(f"/api/v1/requests/{lot.id}/bids", headers=fresh(key),
                          json={"price": "155.00"})
    assert bid.status_code == 201, bid.text
    assert bid.json()["own"] == {"amount": "155.00", "currency": "EUR"}
    assert bid.json()["rank"] == 1

    await billed(app, sam.id, tom.id)
    mark = world.telegram.mark()
    offer = await http.post("/api/v1/offers", headers=fresh(key),
                            json={"listing_id": listing_id, "quantity": "20", "price": "220",
                                  "incoterm": "EXW", "place": "Riga port"})
    assert offer.status_code == 201 and offer.json()["status"] == "offer_sent", offer.text
    await world.sam_told(f"Offer #{offer.json()['offer_id']}", mark)
    await world.sam.tap("Accept", "deal #")
    deal_id = (await http.get("/api/v1/deals", headers=bearer(key))).json()["deals"][0]["id"]
    await _terms_accepted(app, deal_id, tom.id, sam.id)
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")

    deal = await http.get(f"/api/v1/deals/{deal_id}", headers=bearer(key))
    assert deal.json()["role"] == "buyer" and deal.json()["total"] == {
        "amount": "4400.00", "currency": "EUR"}
    receipt = next(d for d in deal.json()["documents"] if d["kind"] == "payment")
    pdf = await http.get(receipt["pdf"], headers=bearer(key))
    xml = await http.get(receipt["xml"], headers=bearer(key))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert xml.status_code == 200 and receipt["number"].encode() in xml.content
    statement = await http.get("/api/v1/statement", headers=bearer(key))
    assert statement.json()["held"] == [deal.json()["payable"]]

    # Bob revokes it on Slack; the system is refused from its next request.
    await world.bob.command("apikeys")
    await _settle()
    await world.bob_sees("ERP")
    await world.bob_presses("Revoke")
    await world.bob_sees("Key “ERP” revoked")
    refused = await http.get("/api/v1/listings", headers=bearer(key))
    assert (refused.status_code, refused.json()["code"]) == (401, "unauthenticated")
    assert bob.id != tom.id
