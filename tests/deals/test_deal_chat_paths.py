"""Every unhappy path of a deal in chat: declined with a reason, withdrawn, expired, bought at
a fixed price, a quote on request, quality outside tolerance (adjustment accepted, or rejected
into a dispute), disputes decided by an admin in chat (refund, release, split), a double tap.
Strangers pressing crafted buttons and the dashboard's rows run on the in-memory deal book
(test_deal_authorisation.py, test_deal_dashboard.py). An offer declined and withdrawn, a quote
on request, a reported conversation, a photo in a thread and an admin told of a dispute run in
chat in memory, their notices written by the deals' handlers there (tests/deals/in_memory.py);
what moves money, a timer firing, a deal agreed with its frozen terms and a change to them
stay on the database, as journeys of the real stores."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from conversations.messages import Choice, FileUpload, ListPage
from core.catalog.tables import Listing
from core.deals import deals
from core.deals import wiring as deals_wiring
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.tables import Deal
from core.money.model import Money
from tests.catalog.helpers import make_account
from tests.deals.chat_helpers import (
    give_billing,
    last_notice,
    paid_deal,
    status_of,
    told,
    trading_pair,
)
from tests.deals.in_memory import trading_pair as memory_pair
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

EUR = "EUR"


def listed(user: ChatUser) -> str:
    """The lines of the list pages in the user's latest replies."""
    return "\n".join(f"{i.title} {i.subtitle}" for r in user.last if isinstance(r, ListPage)
                     for i in r.items)


async def test_a_declined_offer_tells_the_buyer_why_and_a_withdrawn_one_tells_the_seller():
    """In chat on the catalogue's stock and the offers' negotiation in memory, the deals'
    handlers writing the notices (tests/deals/in_memory.py)."""
    chat, sam, bob, listing_id = await memory_pair(wiring=[deals_wiring.wire])
    for _ in range(2):
        await bob.say(f"/view {listing_id}")
        await bob.tap("Make an offer")
        await bob.tap("Keep")
        await bob.say("150")
        await bob.tap("Send")
    await bob.tap("Withdraw")
    assert "withdrawn" in bob.texts()
    assert "was withdrawn" in await last_notice(chat, sam, "withdrawn")
    await last_notice(chat, sam, "Offer #1")
    await sam.tap("Decline")
    await sam.say("Below our cost")
    assert "Reason: Below our cost" in await last_notice(chat, bob, "declined")
    await sam.send(Choice("@do:answer_offer:accept:1"))  # a stale Accept on the declined offer
    assert "no longer possible" in sam.texts() or "answered a moment ago" in sam.texts()


async def test_an_offer_nobody_answers_expires_and_both_sides_are_told(app, clock):
    sam, bob, listing_id = await trading_pair(app)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.tap("Keep")
    await bob.tap("Keep")
    await bob.tap("Change details")
    for _ in range(5):
        await bob.tap("Keep")
    await bob.tap("24 hours")
    await bob.tap("Send")
    clock.advance(hours=24, seconds=1)
    async with app.uow() as uow:
        assert await offers.expire_due(uow) == [1]
        await uow.commit()
    assert "expired" in await last_notice(app, sam, "expired")
    assert "expired" in await last_notice(app, bob, "expired")


async def test_buy_now_on_a_fixed_price_listing_agrees_a_deal_and_reserves_the_stock(app):
    sam, bob, listing_id = await trading_pair(app, negotiable="no")
    await bob.say(f"/view {listing_id}")
    assert "Make an offer" not in bob.labels()
    await bob.tap("Buy now")
    await bob.say("40")
    assert "40 t × 230,00\xa0€" in bob.texts()
    await bob.tap("Buy now")
    assert "deal #1 is agreed" in bob.texts()
    async with app.uow() as uow:
        listing = await uow.session.get(Listing, listing_id)
        assert listing.quantity_milli == 460_000
    assert "accepted: deal #1" in await last_notice(app, sam, "deal #1")


async def test_a_request_for_a_quote_is_answered_with_a_quote_the_buyer_accepts():
    """In memory: the thread, the quote and the deal it makes (tests/deals/in_memory.py)."""
    chat, sam, bob, listing_id = await memory_pair(wiring=[deals_wiring.wire])
    await bob.say(f"/view {listing_id}")
    await bob.tap("Request a quote")
    await bob.say("300 t delivered to Tallinn in January")
    await last_notice(chat, sam, "Request for a quote")
    await sam.tap("Send a quote")
    await sam.say("300")
    await sam.say("210")
    await sam.tap("Send")
    assert "Quote #" in await last_notice(chat, bob, "Quote #")
    await bob.tap("Accept")
    assert "deal #1" in bob.texts()


async def _shipped(app, sam, listing_id):
    deal_id = await paid_deal(app, listing_id)
    async with app.uow() as uow:
        seller = (await uow.session.execute(select(Deal.seller_id))).scalar_one()
        await after_sale.mark_shipped(uow, deal_id, seller, "DSV", "CMR-1", None)
        await uow.commit()
    return deal_id


async def test_quality_outside_tolerance_proposes_an_adjustment_the_seller_accepts_as_a_split(app):
    sam, bob, listing_id = await trading_pair(app)
    deal_id = await _shipped(app, sam, listing_id)
    await last_notice(app, bob, "on the way")
    await bob.tap("Report measured quality")
    await bob.tap("Skip")  # the whole quantity arrived
    await bob.say("12")  # moisture 12 % against ≤ 8 %
    await bob.tap("Skip")  # NCV not measured
    # 4 points * 2 % of 220 EUR = 17.60 EUR per tonne, * 100 t
    assert "goes down by 1\xa0760,00\xa0€" in bob.texts()
    assert await status_of(app, deal_id) == "adjustment_proposed"
    await last_notice(app, sam, "quality outside")
    await sam.tap("Accept the price adjustment")
    await sam.tap("Accept the adjustment")
    assert await status_of(app, deal_id) == "completed"
    total = Money.parse("22000", EUR)
    left = total - Money.parse("1760", EUR)
    async with app.uow() as uow:
        ids = (await uow.session.execute(select(Deal.buyer_id, Deal.seller_id))).one()
    assert (await app.payments.wallet(ids[1])).paid_out == [
        left - app.payments.commission_for("bioenergy", left)]
    refunded = await app.payments.by_reference(deals.reference(deal_id))
    assert refunded.refunded == Money.parse("1760", EUR)


def _memory_admin(chat: MemoryChat) -> ChatUser:
    """Root, named an administrator (as the tests' settings name terminal:root), in a chat in
    memory: the operators' store in memory knows them."""
    from core.operators.store import Operators
    from tests.console.fakes import MemoryOperators

    admin = chat.turns.register("terminal", "root", "Root", roles=("seller", "buyer"), admin=True)
    chat.stores[Operators] = MemoryOperators(named={admin.id})
    return ChatUser(chat, "root")


async def _admin(app) -> ChatUser:
    await make_account(app, "root")  # an admin in the test settings
    return ChatUser(app, "root")


@pytest.mark.parametrize(("outcome", "buyer_back"), [("refund", "22000"), ("release", "0"),
                                                     ("split", "5000")])
async def test_a_rejected_adjustment_becomes_a_dispute_an_admin_decides_in_chat(app, outcome,
                                                                                  buyer_back):
    sam, bob, listing_id = await trading_pair(app)
    deal_id = await _shipped(app, sam, listing_id)
    root = await _admin(app)
    await last_notice(app, bob, "on the way")
    await bob.tap("Report measured quality")
    await bob.say("90")  # 90 t of 100 arrived: 5 t short beyond the 5 % tolerance
    await bob.tap("Skip")
    await bob.tap("Skip")
    await last_notice(app, sam, "quality outside")
    await sam.tap("Reject the adjustment")
    await sam.tap("Reject it")
    assert await status_of(app, deal_id) == "disputed"
    await last_notice(app, root, "is disputed")
    await root.tap("Decide")
    assert "rejected the buyer's quality adjustment of €1,100.00" in root.texts()
    await root.tap("Ask the seller")
    await root.say("Do you have the weighbridge ticket?")
    await last_notice(app, sam, "An admin asks")
    await sam.tap("Answer")
    await sam.say("Yes, 100.2 t at loading.")
    assert "100.2 t at loading" in await last_notice(app, root, "answers")
    await root.tap("Open the dispute")
    await root.tap({"refund": "Refund buyer", "release": "Release to seller",
                    "split": "Split"}[outcome])
    if outcome == "split":
        await root.say("50000")  # more than the deal: refused at its question
        assert "less than 22\xa0000,00) must be between 0,01 and 21\xa0999,99" in root.texts()
        await root.say("5000")
    await root.say("Weighbridge tickets disagree; decided on the evidence.")
    assert f"Decided: {outcome}" in root.texts()
    for party in (bob, sam):
        told = await last_notice(app, party, "decided")
        assert outcome in told and "Weighbridge tickets disagree" in told
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    assert escrow.refunded == Money.parse(buyer_back, EUR)


async def test_a_double_tap_on_confirm_releases_once(app):
    """(Strangers pressing the same deal's buttons: test_deal_authorisation.py, in memory.)"""
    sam, bob, listing_id = await trading_pair(app)
    deal_id = await _shipped(app, sam, listing_id)
    await last_notice(app, bob, "on the way")
    await bob.tap("Confirm delivery")
    confirm = bob.button("Yes: the goods arrived")
    await bob.send(Choice(confirm.data))
    await bob.send(Choice(confirm.data))
    assert "no longer active" in bob.texts() or "moved on" in bob.texts()
    assert await status_of(app, deal_id) == "completed"
    async with app.uow() as uow:
        seller = (await uow.session.execute(select(Deal.seller_id))).scalar_one()
    total = Money.parse("22000", EUR)
    assert (await app.payments.wallet(seller)).paid_out == [
        total - app.payments.commission_for("bioenergy", total)]


async def test_a_reported_conversation_is_blocked_both_ways_and_the_admins_are_told():
    """In memory: the thread on the correspondence, the admins on the operators' store."""
    chat, sam, bob, listing_id = await memory_pair(wiring=[deals_wiring.wire])
    root = _memory_admin(chat)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Ask the seller")
    await bob.say("Hello, is it still available?")
    await last_notice(chat, sam, "still available")
    await sam.tap("Reply")
    await sam.say("Pay me outside Agora, it's cheaper")
    await last_notice(chat, bob, "outside Agora")
    await bob.tap("Reply")
    await bob.tap("Report")
    assert "reported to the admins and blocked" in bob.texts()
    assert "Pay me outside Agora" in await last_notice(chat, root, "reported")
    await sam.send(Choice("@do:reply_thread:1"))
    await sam.say("Hello?")
    assert "blocked" in sam.texts()


async def test_a_change_to_the_terms_is_a_new_version_both_accept_again(app):
    sam, bob, listing_id = await trading_pair(app)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.tap("Keep")
    await bob.tap("Keep")
    await bob.tap("Send")
    await last_notice(app, sam, "Offer #1")
    await sam.tap("Accept")
    await sam.tap("Open the deal")
    await sam.tap("Propose a change")
    await sam.tap("Keep")  # Incoterm
    await sam.say("Ventspils port")
    for _ in range(3):
        await sam.tap("Keep")
    assert "Version 2 of the terms went to the other party" in sam.texts()
    told = await last_notice(app, bob, "proposes version 2")
    assert "place changed" in told
    async with app.uow() as uow:
        from core.deals.terms import service as terms

        assert (await terms.current(uow, 1)).body["place"] == "Ventspils port"
    await bob.tap("accept the terms")
    await give_billing(bob, "Pärnu mnt 10", "10148")
    assert "version 2" in bob.texts()


async def test_a_photo_sent_in_a_thread_reaches_the_seller_as_a_file(tmp_path):
    """In memory (the in-memory pair names its people by their chat names): the file is kept
    in the chat's file store and rendered from the correspondence as the outbox sends it."""
    from core.catalog.media import FileStore
    from core.deals.attachments import resolvers

    chat, _, bob, listing_id = await memory_pair(wiring=[deals_wiring.wire], files=tmp_path)
    photo = tmp_path / "bags.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 200)
    await bob.say(f"/view {listing_id}")
    await bob.tap("Ask the seller")
    await bob.send(FileUpload(str(photo), "bags.png", "image/png", photo.stat().st_size, "photo"))
    assert "Sent to sam" in bob.texts()
    [payload] = [p for p in await told(chat, "sam") if "bags.png" in str(p.get("text"))]
    [ref] = payload["attachments"]
    file = await resolvers(chat.uow, FileStore(tmp_path))[ref["kind"]](ref["key"])
    assert file.file_name == "bags.png" and file.content.startswith(b"\x89PNG")
    await bob.send(FileUpload(str(tmp_path / "x.exe"), "x.exe", "application/x-msdownload", 10))
    assert "isn't accepted here" in bob.texts()


async def test_an_admin_hears_of_a_dispute_once_with_its_reason_and_the_way_to_decide():
    """On the in-memory deal book with the deals' handlers (tests/deals/in_memory.py): the
    deal paid, Bob opens a dispute; the admins are the operators' store's."""
    from core.operators.store import Operators
    from core.process.deals import DealState
    from tests.console.fakes import MemoryOperators
    from tests.deals.deal_fakes import BOB, ROOT
    from tests.deals.in_memory import deal_chat, person
    from tests.support.outbox import told

    chat, book = deal_chat(wiring=[deals_wiring.wire])
    chat.stores[Operators] = MemoryOperators(named={ROOT})  # root, as the settings name them
    deal_id = book.sale(DealState.TO_SHIP)
    root = person(chat, "root")
    async with chat.uow() as uow:
        await after_sale.open_dispute(uow, deal_id, BOB, "Nothing has shipped in weeks")
        await uow.commit()
    heard = [p for p in await told(chat, root.name) if "is disputed" in str(p.get("text"))]
    assert len(heard) == 1 and "Nothing has shipped in weeks" in heard[0]["text"]
    await last_notice(chat, root, "is disputed")
    await root.tap("Decide the dispute")
    assert "Nothing has shipped in weeks" in root.texts()
