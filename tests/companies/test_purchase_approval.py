"""Company accounts and purchase approval through the core services: colleagues join by
invitation with roles and limits; a purchase above a buyer's limit is held — nothing reaches
the seller — until an approver approves (then it is made in her name) or rejects it with a
reason; every decision is audited, taken once, and the company sees its deals by role. The
company's own use cases (joining, roles, the last admin, billing details) are tested on the
in-memory roster (`test_colleagues.py`, `test_company_records.py`), and the approvals' rules —
the limit's guard, a reason, a decision taken once, a lapse — on the in-memory approval book
(`test_approval_rules.py`), and a purchase held and made with its notices, and the other
approvers' cards replaced by who decided, with the notices' handlers in memory
(`test_approvals_chat.py`); here what only the database shows: two approvers at once, the
company's deal and its money, a seat read once per transaction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from core.companies import seats as company_seats
from core.companies import service as companies
from core.companies.billing import give, party_for
from core.deals import company_deals, deals
from core.deals.approvals import service as approvals
from core.deals.offers.facts import Terms
from core.deals.tables import Deal, Offer
from core.errors import Conflict, NotAllowed, NotFound
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.companies import approval_chat as in_memory
from tests.companies.approval_chat import company_chat
from tests.companies.test_approval_rules import ANNA
from tests.support.outbox import told


def terms(quantity: str = "100", price: str = "220.00") -> Terms:
    return Terms(Decimal(quantity), Money.parse(price, "EUR"), "EXW", "Riga")


async def company_of_three(app, limit: str | None = "10000"):
    """Sam sells; Alice founds Baltic Heat (admin), invites Anna (buyer, limit) and Fred
    (finance); Bob buys on his own."""
    sam = await make_account(app, "sam", roles=("seller",))
    alice, anna, fred, bob = [await make_account(app, name, roles=("buyer",))
                              for name in ("alice", "anna", "fred", "bob")]
    listing_id = await publish(app, sam, quantity="500", min_order="20", negotiable="yes")
    async with app.uow() as uow:
        await companies.found(uow, alice.id, "Baltic Heat AS")
        anna_code = await companies.invite(uow, alice.id, ["buyer"],
                                           Money.parse(limit, "EUR") if limit else None)
        fred_code = await companies.invite(uow, alice.id, ["finance"], None)
        await uow.commit()
    async with app.uow() as uow:
        await companies.join(uow, anna.id, anna_code.code)
        await companies.join(uow, fred.id, fred_code.code)
        await uow.commit()
    return sam, alice, anna, fred, bob, listing_id


async def second_approver(app, admin_id: int):
    """Carl joins the company as a second approver."""
    carl = await make_account(app, "carl", roles=("buyer",))
    async with app.uow() as uow:
        invite = await companies.invite(uow, admin_id, ["approver"], None)
        await uow.commit()
    async with app.uow() as uow:
        await companies.join(uow, carl.id, invite.code)
        await uow.commit()
    return carl


async def test_two_approvers_pressing_at_once_make_one_offer(app):
    import asyncio

    _sam, alice, anna, _fred, _bob, listing_id = await company_of_three(app)
    carl = await second_approver(app, alice.id)
    async with app.uow() as uow:
        held = (await approvals.offer(uow, listing_id, anna.id, terms("100"))).held
        await uow.commit()

    async def approve(who: int) -> str:
        async with app.uow() as uow:
            try:
                await approvals.approve(uow, held, who)
                await uow.commit()
                return "made"
            except Conflict:
                return "refused"

    assert sorted(await asyncio.gather(approve(alice.id), approve(carl.id))) == ["made", "refused"]
    async with app.uow() as uow:
        assert len((await uow.session.execute(select(Offer.id))).all()) == 1


async def test_buy_now_approved_is_the_companys_deal_billed_to_the_company_and_seen_by_finance(app):
    sam, alice, anna, fred, bob, _listing_id = await company_of_three(app, limit="1000")
    fixed = await publish(app, sam, quantity="100", min_order="20", negotiable="no",
                          price="150")
    async with app.uow() as uow:
        await give(uow, anna.id, legal_name="Baltic Heat AS", street="Pärnu mnt 10",
                   postcode="10148", town="Tallinn", country="EE", vat_id="EE100931558")
        placed = await approvals.buy(uow, fixed, anna.id, Terms(
            Decimal("20"), Money.parse("150", "EUR"), "EXW", "Riga"))
        await uow.commit()
    async with app.uow() as uow:
        request = await approvals.approve(uow, placed.held, alice.id)
        await uow.commit()
    async with app.uow() as uow:
        deal = await uow.session.get(Deal, request.result_deal_id)
        assert deal.company_id is not None and deal.buyer_id == anna.id
        assert (await party_for(uow, anna.id)).name == "Baltic Heat AS"
        assert await deals.get(uow, deal.id, fred.id)  # finance sees it
        assert [row.id for row in await company_deals.company_deals(uow, fred.id)] == [deal.id]
        with pytest.raises(NotFound):
            await deals.get(uow, deal.id, bob.id)
        with pytest.raises(NotAllowed):  # billing details, once given, are finance's to change
            await give(uow, anna.id, legal_name="Other", street="x street", postcode="1",
                       town="Tallinn", country="EE")


async def test_finance_gets_the_receipt_of_a_colleagues_payment(app):
    from tests.deals.chat_helpers import paid_deal

    _sam, _alice, _anna, _fred, _bob, listing_id = await company_of_three(app, limit=None)
    await paid_deal(app, listing_id, buyer="anna", seller="sam")
    copies = [p for p in await told(app, "fred") if "For Baltic Heat AS" in p["text"]]
    assert len(copies) == 1 and "Anna paid 22" in copies[0]["text"]
    assert copies[0]["attachments"][0]["kind"] == "invoice"
    assert copies[0]["buttons"][0][0]["label"] == "🧾 Receipt"
    assert not any("For Baltic Heat AS" in p["text"] for p in await told(app, "anna"))


async def test_the_other_approvers_card_is_replaced_by_who_decided():
    chat, book, listing_id = await company_chat()
    carl = await in_memory.second_approver(book)
    async with chat.uow() as uow:
        held = (await approvals.offer(uow, listing_id, ANNA, terms("100"))).held
        await uow.commit()
    async with chat.uow() as uow:
        await approvals.reject(uow, held, carl, "Wait for the spring prices")
        await uow.commit()
    told_alice = [p for p in await told(chat, "alice") if f"purchase:{held}" in p.get("about", [])]
    assert [bool(p["buttons"]) for p in told_alice] == [True, False]  # the card, then who decided
    assert "Carl rejected Anna's purchase" in told_alice[-1]["text"]
    assert not any("Carl rejected" in p["text"] for p in await told(chat, "carl"))


async def test_a_seat_read_earlier_in_a_transaction_follows_what_the_transaction_changes(app):
    """The seat is read once per transaction (a deal asks it at every step); a company founded,
    a limit set or a member removed in the same transaction is in the next answer."""
    alice, anna = [await make_account(app, name, roles=("buyer",)) for name in ("alice", "anna")]
    async with app.uow() as uow:
        assert await company_seats.seat_of(uow, alice.id) is None
        await companies.found(uow, alice.id, "Baltic Heat AS")
        assert (await company_seats.seat_of(uow, alice.id)).company.name == "Baltic Heat AS"
        code = await companies.invite(uow, alice.id, ["buyer"], None)
        assert await company_seats.seat_of(uow, anna.id) is None
        await companies.join(uow, anna.id, code.code)
        assert (await company_seats.seat_of(uow, anna.id)).limit is None
        await companies.set_limit(uow, alice.id, anna.id, Money.parse("500", "EUR"))
        assert (await company_seats.seat_of(uow, anna.id)).limit == Money.parse("500", "EUR")
        await companies.remove(uow, alice.id, anna.id)
        assert await company_seats.seat_of(uow, anna.id) is None
        await uow.commit()
