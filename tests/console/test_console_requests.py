"""The console's requests for supply: operators who see deals see every request with its
quotes; a moderator cancels an open one with a reason — its open quotes declined, the buyer and
every seller asked told why, once each — and a reason too short is refused at its field."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.deals.requests.tables import BidDeposit
from core.deals.tables import Offer, SupplyRequest
from core.errors import Conflict
from core.money.model import Money
from core.operators import grants
from tests.catalog.helpers import make_account
from tests.console.helpers import client, post_form, root, signed_in
from tests.deals.test_supply_requests import market, posted, quoted
from tests.support.outbox import told_texts

PAGE = "/admin/requests"


async def test_a_moderator_cancels_a_request_with_a_reason_everyone_hears(app):
    hanna, (aivar, birute, carl, _dace) = await market(app)
    request_id = await posted(app, hanna)
    offer_id = await quoted(app, aivar, request_id, "1000", "21")
    admin, sue = await root(app), await make_account(app, "sue")
    async with app.uow() as uow:
        await grants.grant(uow, admin.id, sue.id, "support")
        await uow.commit()
    async with client(app) as http:
        await signed_in(app, http, sue)  # support sees deals, so requests, but cannot cancel
        listed = await http.get(PAGE)
        assert listed.status_code == 200 and "hanna" in listed.text.lower()
        assert (await http.post(f"{PAGE}/{request_id}/cancel",
                                data={"reason": "Duplicate"})).status_code == 403
    async with client(app) as http:
        await signed_in(app, http, admin)
        short = await post_form(http, PAGE, f"{PAGE}/{request_id}/cancel", reason="no")
        assert short.status_code == 400 and f'id="reason-{request_id}-error"' in short.text
        ok = await post_form(http, PAGE, f"{PAGE}/{request_id}/cancel",
                             reason="Posted twice by mistake; see request #2.")
        assert ok.status_code == 303 and "done=request-cancelled" in ok.headers["location"]
    async with app.uow() as uow:
        assert (await uow.session.get(SupplyRequest, request_id)).status == "cancelled"
        assert (await uow.session.get(Offer, offer_id)).status == "declined"
        assert [a for (a,) in (await uow.session.execute(select(Offer.status))).all()] == [
            "declined"]
    for party in (hanna, aivar, birute, carl):
        assert len(await told_texts(app, party.id, "was cancelled by Agora: Posted twice")) == 1
    assert not await told_texts(app, aivar.id, "was declined")  # told once, by the cancellation
    with pytest.raises(Conflict):
        await quoted(app, birute, request_id, "500", "20")


async def test_cancelling_an_auction_returns_its_deposits(app):
    from core.deals.requests import auctions, bid_deposits
    from tests.deals.test_bid_deposits import auction, pay_deposit

    hanna, (aivar, *_) = await market(app)
    request_id = await auction(app, hanna)
    escrow = await pay_deposit(app, aivar, request_id)
    async with app.uow() as uow:
        await auctions.bid(uow, request_id, aivar.id, Money.parse("21", "EUR"))
        await uow.commit()
    admin = await root(app)
    async with client(app) as http:
        await signed_in(app, http, admin)
        listed = (await http.get(PAGE)).text
        assert "auction" in listed and "<td>1</td><td>1</td>" in listed  # a bidder, a deposit
        ok = await post_form(http, PAGE, f"{PAGE}/{request_id}/cancel",
                             reason="The buyer asked us to stop it.")
        assert ok.status_code == 303
    async with app.uow() as uow:
        row = await uow.session.get(BidDeposit, (request_id, aivar.id))
        assert row.state == bid_deposits.RETURNED
    assert (await app.payments.get(escrow)).state == "refunded"
