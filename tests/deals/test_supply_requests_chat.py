"""A request for supply in chat, one question at a time: the buyer asks in three answers (a
wrong unit re-asked at its question), previews it with its defaults and publishes it; a seller
quotes from the card's Quote (the quote starts from the request's terms); the buyer compares
the quotes under /requests and awards one with a tap — a deal, as from any offer (a seller's
question and the buyer's answer on the way: the questions' own paths are
test_request_questions.py's, in memory). How the
request counts its questions needs no database."""

from __future__ import annotations

from sqlalchemy import select

from conversations.messages import Choice, ListPage
from core.catalog import media
from core.catalog.media import FileStore
from core.deals.tables import Deal, Offer
from tests.catalog.helpers import make_account, publish
from tests.deals.chat_helpers import last_notice
from tests.deals.test_supply_requests import CHIPS
from tests.support.chat import ChatUser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_the_request_counts_its_questions_without_jumping():
    """The request's form alone, in chat without a database (tests/support/memory_engine.py)."""
    from dataclasses import replace

    from conversations.flows.all_flows import ALL_FLOWS
    from core.companies.seats import Seats
    from tests.companies.fakes import MemoryRoster
    from tests.support.memory_engine import MemoryChat

    chat = MemoryChat(ALL_FLOWS, stores={Seats: MemoryRoster()})  # in no company
    hanna = chat.turns.register("terminal", "hanna", "Hanna", roles=("buyer",))
    chat.turns.members["terminal", "hanna"] = replace(hanna, country="EE", city="Tartu")
    hanna = ChatUser(chat, "hanna")
    await hanna.say("/request")
    assert "Ask for supply · 1/3" in hanna.texts()
    await hanna.tap("Wood chips")
    assert "Ask for supply · 2/3" in hanna.texts()
    await hanna.say("2000")  # no unit: one more question, counted from now on
    assert "Ask for supply · 3/4" in hanna.texts() and "Unit?" in hanna.texts()
    await hanna.tap("t")
    assert "Ask for supply · 4/4" in hanna.texts() and "Delivered to?" in hanna.texts()


async def test_a_buyer_asks_sellers_quote_and_the_buyer_awards_in_chat(app):
    await make_account(app, "hanna", roles=("buyer",), country="EE", city="Tartu")
    listings = [await publish(app, await make_account(app, name, roles=("seller",)), **CHIPS)
                for name in ("aivar", "birute")]
    async with app.uow() as uow:  # aivar's listing carries its lab report
        await media.attach(uow, FileStore(app.settings.data_dir), listings[0], kind="document",
                           name="lab-report.pdf", mime="application/pdf", data=PDF)
        await uow.commit()
    hanna = ChatUser(app, "hanna")
    await hanna.say("/request")
    await hanna.tap("Wood chips")
    await hanna.say("2000 l")  # not a unit chips are traded in: asked again, at the quantity
    assert "Quantity needed" in hanna.texts()
    await hanna.say("2000 t")
    await hanna.say("Tartu")
    preview = hanna.texts()
    assert "Request for supply: 2\xa0000 t of Wood chips." in preview and "DAP Tartu" in preview
    assert "Quotes are taken for 3 days once it is published." in preview
    await hanna.tap("Change details")
    await hanna.tap("Highest price")
    await hanna.say("22")  # the most per tonne
    await hanna.tap("Skip")  # none per MWh
    assert "At most" in hanna.texts() and "22,00" in hanna.texts()
    await hanna.tap("Publish")
    assert "2 sellers were asked to quote" in hanna.texts()

    aivar = ChatUser(app, "aivar")
    card = await last_notice(app, aivar, "Request for supply #")
    assert "2\xa0000 t of Wood chips" in card
    await aivar.tap("Ask the buyer")  # the questions' notices, on the database
    await aivar.say("Is bark acceptable?")
    await last_notice(app, hanna, "A seller asks about your request")
    await hanna.tap("Answer for every seller")
    await hanna.say("Up to 5 % bark is fine.")
    assert "A: Up to 5 % bark is fine." in await last_notice(app, aivar, "Questions and answers")
    await last_notice(app, aivar, "Request for supply #")
    await aivar.tap("Quote")
    await aivar.tap("Keep")  # 2000 t, the request's quantity
    await aivar.say("21")  # per tonne, under the ceiling
    assert "Quote on “Wood chips G30”" in aivar.texts() and "DAP Tartu" in aivar.texts()
    await aivar.tap("Send")
    assert "Sent (offer #" in aivar.texts()

    await hanna.say("/requests")
    [page] = [r for r in hanna.last if isinstance(r, ListPage)]
    assert "#1 2\xa0000 t of Wood chips" in page.items[0].title
    await hanna.send(Choice(page.items[0].button.data))
    compared = hanna.texts()
    assert "aivar" in compared.lower() and "2 000 t × 21,00" in compared.replace("\xa0", " ")
    assert "km away · 📎 lab-report.pdf" in compared  # how far, and the listing's documents
    await hanna.tap("Award #")
    async with app.uow() as uow:
        deal = (await uow.session.execute(select(Deal))).scalar_one()
        offer = (await uow.session.execute(select(Offer))).scalar_one()
        assert (offer.status, offer.request_id, deal.quantity_milli) == ("accepted", 1, 2_000_000)
