"""“Ask the seller”: one thread per listing and buyer, contacts masked before a deal, blocking."""

from __future__ import annotations

import pytest

from core.deals.events import MessagePosted, ThreadReported
from core.deals.offers import service as offers
from core.deals.threads import service as threads
from core.disclosure import HIDDEN, mask
from core.errors import DomainError, NotAllowed, NotFound
from tests.catalog.helpers import make_account, publish
from tests.deals.test_offers import terms
from tests.deals.thread_fakes import MemoryCorrespondence


@pytest.mark.parametrize("text", ["call me on +371 2912 3456", "mail sam@pellets.lv today",
                                  "see https://example.com/offer", "or www.pellets.lv",
                                  "phone (029) 123-45-67"])
def test_contact_details_are_masked(text):
    hidden, masked = mask(text)
    assert masked and HIDDEN in hidden


def test_ordinary_numbers_are_left_alone():
    assert mask("500 t at 230 EUR, moisture 8.5%, delivery 2026-12-01") == (
        "500 t at 230 EUR, moisture 8.5%, delivery 2026-12-01", False)


async def test_a_buyer_asks_the_seller_answers_contacts_stay_hidden_until_a_deal_then_a_block(
        app):
    sam = await make_account(app, "sam")
    bob, eve = await make_account(app, "bob", roles=("buyer",)), await make_account(app, "eve")
    listing_id = await publish(app, sam, min_order="20")
    async with app.uow() as uow:
        first = await threads.ask(uow, listing_id, bob.id, "Is it bagged? +371 2912 3456")
        again = await threads.ask(uow, listing_id, bob.id, "And pallets?")
        assert first.thread_id == again.thread_id and first.masked
        reply = await threads.post(uow, first.thread_id, sam.id, "Yes: sam@pellets.lv")
        assert reply.masked and "sam@pellets.lv" not in reply.text
        with pytest.raises(NotFound):
            await threads.post(uow, first.thread_id, eve.id, "hello")
        with pytest.raises(NotFound):
            await threads.history(uow, first.thread_id, eve.id)
        offer = await offers.make_offer(uow, listing_id, bob.id, terms())
        await offers.accept(uow, offer.id, sam.id)
        after = await threads.post(uow, first.thread_id, sam.id, "Call +371 2912 3456")
        assert not after.masked and "+371" in after.text
        assert [m.id for m in await threads.history(uow, first.thread_id, bob.id)] == [
            after.id, reply.id, again.id, first.id]
        await threads.block(uow, first.thread_id, sam.id, report=True)  # kept with the rest
        await uow.commit()
    async with app.uow() as uow:
        assert (await threads.get(uow, first.thread_id, bob.id)).blocked
        with pytest.raises(NotAllowed):
            await threads.post(uow, first.thread_id, bob.id, "hello?")


# --- the use cases on the in-memory correspondence (tests/deals/thread_fakes.py) ---------------

SAM, BOB, EVE = 1, 2, 3


def mailroom(visible: bool = True) -> tuple[MemoryCorrespondence, int]:
    """Sam's listing (on the market unless `visible` is False) in an empty correspondence."""
    mail = MemoryCorrespondence()
    return mail, mail.listing(SAM, visible)


async def test_one_thread_per_listing_and_buyer_each_message_relayed_to_the_other_party():
    mail, listing_id = mailroom()
    first = await threads.ask(mail, listing_id, BOB, "Is it bagged?")
    again = await threads.ask(mail, listing_id, BOB, "And pallets?")
    reply = await threads.post(mail, first.thread_id, SAM, "Yes")
    assert first.thread_id == again.thread_id == reply.thread_id and len(mail.threads) == 1
    assert mail.events == [MessagePosted(first.thread_id, first.id, BOB, SAM),
                           MessagePosted(first.thread_id, again.id, BOB, SAM),
                           MessagePosted(first.thread_id, reply.id, SAM, BOB)]
    assert await threads.of_listing(mail, listing_id, BOB) == await threads.get(
        mail, first.thread_id, SAM) == threads.ThreadView(first.thread_id, listing_id, BOB, SAM,
                                                          False)
    assert await threads.of_listing(mail, listing_id, EVE) is None
    assert (reply.created_at, reply.sender_id) == (mail.at, SAM)


async def test_contacts_are_masked_until_a_deal_is_agreed_and_shown_after():
    mail, listing_id = mailroom()
    first = await threads.ask(mail, listing_id, BOB, "Is it bagged? +371 2912 3456")
    reply = await threads.post(mail, first.thread_id, SAM, "Yes: sam@pellets.lv")
    assert first.masked and reply.masked and "sam@pellets.lv" not in reply.text
    mail.agree(listing_id, BOB)
    after = await threads.post(mail, first.thread_id, SAM, "Call +371 2912 3456")
    assert not after.masked and "+371" in after.text


async def test_only_the_two_parties_read_or_write_a_thread():
    mail, listing_id = mailroom()
    first = await threads.ask(mail, listing_id, BOB, "hello")
    for step in (threads.post(mail, first.thread_id, EVE, "hello"),
                 threads.history(mail, first.thread_id, EVE), threads.get(mail, first.thread_id,
                                                                         EVE),
                 threads.block(mail, first.thread_id, EVE), threads.get(mail, 99, BOB)):
        with pytest.raises(NotFound):
            await step
    assert [m.id for m in await threads.history(mail, first.thread_id, SAM)] == [first.id]


async def test_the_history_is_newest_first_a_page_at_a_time():
    mail, listing_id = mailroom()
    sent = [await threads.ask(mail, listing_id, BOB, f"question {n}")
            for n in range(threads.PAGE + 3)]
    thread_id = sent[0].thread_id
    newest = [m.id for m in reversed(sent)]
    assert [m.id for m in await threads.history(mail, thread_id, BOB)] == newest[:threads.PAGE]
    assert [m.id for m in await threads.history(mail, thread_id, SAM, 1)] == newest[threads.PAGE:]
    assert await threads.history(mail, thread_id, SAM, 2) == []
    assert await threads.history(mail, thread_id, SAM, -1) == await threads.history(
        mail, thread_id, SAM)


async def test_nobody_asks_about_their_own_or_a_listing_off_the_market_but_a_deals_parties_may():
    mail, listing_id = mailroom(visible=False)
    with pytest.raises(NotAllowed):
        await threads.ask(mail, mail.listing(SAM), SAM, "mine")
    with pytest.raises(NotFound):
        await threads.ask(mail, listing_id, BOB, "still there?")
    with pytest.raises(NotFound):
        await threads.open_thread(mail, 99, BOB, any_status=True)
    opened = await threads.open_thread(mail, listing_id, BOB, any_status=True)
    assert (opened.buyer_id, opened.seller_id) == (BOB, SAM)


async def test_a_message_is_one_to_two_thousand_characters_or_a_file_named():
    mail, listing_id = mailroom()
    for text in ("", "   ", "x" * (threads.MAX_LENGTH + 1)):
        with pytest.raises(DomainError):
            await threads.ask(mail, listing_id, BOB, text)
    assert (await threads.ask(mail, listing_id, BOB, "x" * threads.MAX_LENGTH)).text
    photo = threads.SharedFile("ab/cd", "bags.jpg", "image/jpeg")
    sent = await threads.ask(mail, listing_id, BOB, " ", photo)
    assert (sent.text, sent.file_name) == ("📎 bags.jpg", "bags.jpg")
    assert (mail.sent[sent.id].file_path, mail.sent[sent.id].mime_type) == ("ab/cd", "image/jpeg")


async def test_either_party_can_block_and_then_nothing_more_is_sent():
    mail, listing_id = mailroom()
    message = await threads.ask(mail, listing_id, BOB, "hi")
    blocked = await threads.block(mail, message.thread_id, SAM, report=True)
    assert blocked.blocked and mail.events[-1] == ThreadReported(message.thread_id, SAM)
    for party in (BOB, SAM):
        with pytest.raises(NotAllowed):
            await threads.post(mail, message.thread_id, party, "hello?")
    await threads.block(mail, message.thread_id, BOB, report=True)  # reported once, by Sam
    thread = mail.threads[message.thread_id]
    assert (thread.blocked_by, thread.reported_by) == (SAM, SAM)
    assert sum(isinstance(e, ThreadReported) for e in mail.events) == 1
