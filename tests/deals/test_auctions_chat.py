"""A reverse auction in chat: the buyer turns a request into an auction in its details (a step
required, the extension kept, no reserve); sellers bid from the card's Bid, each bad price
re-asked with its reason; the one outbid hears it and sees their rank; the buyer's card ranks
the bids; at the close everyone hears the result."""

from __future__ import annotations

from conversations.messages import Choice, ListPage
from core.deals.requests import auction_close
from tests.catalog.helpers import make_account, publish
from tests.deals.chat_helpers import last_notice
from tests.deals.test_supply_requests import CHIPS
from tests.support.chat import ChatUser


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


async def test_a_reverse_auction_in_chat_from_setup_to_the_close(app, clock):
    await make_account(app, "hanna", roles=("buyer",), country="EE", city="Tartu")
    for name in ("aivar", "birute"):
        await publish(app, await make_account(app, name, roles=("seller",)), **CHIPS)
    hanna = ChatUser(app, "hanna")
    await hanna.say("/request")
    await hanna.tap("Wood chips")
    await hanna.say("2000 t")
    await hanna.say("Tartu")
    await hanna.tap("Change details")
    await hanna.tap("How sellers answer")  # one group of details, not all of them
    await hanna.tap("Reverse auction")
    await hanna.tap("Skip")  # no highest price…
    # …but an auction starts from one: asked again there
    assert "starts from your highest price" in hanna.texts()
    await hanna.say("22")
    await hanna.say("0")  # a step of nothing: asked again
    assert "Minimum step under the best bid" in hanna.texts()
    await hanna.say("0.10")
    await hanna.tap("Keep")  # 3 minutes
    await hanna.tap("Keep")  # no deposit
    await hanna.tap("Skip")  # no reserve
    preview = plain(hanna.texts())
    assert "Reverse auction for the whole quantity: each bid at least 0,10 € under" in preview
    assert "Bids are taken for 3 days once it is published." in preview
    await hanna.tap("Publish")
    assert "2 sellers were asked to bid" in hanna.texts()

    aivar, birute = ChatUser(app, "aivar"), ChatUser(app, "birute")
    assert "Reverse auction" in await last_notice(app, aivar, "Request for supply #")
    await aivar.tap("Bid")
    assert "No bids yet." in aivar.texts() and "at most 22,00" in plain(aivar.texts())
    await aivar.say("cheap")
    assert any(getattr(r, "kind", "") == "error" for r in aivar.last)
    await aivar.say("23")
    assert "pays at most 22,00 € per t" in plain(aivar.texts())
    await aivar.say("21")
    assert "Your bid of 21,00 € per t is in." in plain(aivar.texts())
    assert "ranked 1 of 1" in aivar.texts()
    follow = aivar.button("Follow your rank live")  # their own live page of the auction
    assert follow.url.startswith("http://127.0.0.1:8000/requests/1?as=") and not follow.data

    await last_notice(app, birute, "Request for supply #")
    await birute.tap("Bid")
    assert "Best bid: 21,00 € per t." in plain(birute.texts())
    await birute.say("21")
    assert "Bid at most 20,90 € per t" in plain(birute.texts())
    await birute.say("20.90")
    assert "ranked 1 of 2" in birute.texts()

    outbid = await last_notice(app, aivar, "You were outbid")
    assert "20,90 € per t" in plain(outbid)
    await aivar.tap("Bid")
    assert "ranked 2 of 2" in aivar.texts()
    await aivar.tap("Done")

    await hanna.say("/requests")
    [page] = [r for r in hanna.last if isinstance(r, ListPage)]
    await hanna.send(Choice(page.items[0].button.data))
    card = plain(hanna.texts())
    assert "1. birute: 20,90 € per t" in card.lower() and "2. aivar: 21,00 € per t" in card.lower()
    assert "Award" not in card and "Close the request" not in card

    clock.advance(days=3)
    assert await auction_close.close_due(app.uow)
    assert "You won request #1 at 20,90 € per t" in plain(
        await last_notice(app, birute, "You won"))
    assert "ranked 2 of 2" in await last_notice(app, aivar, "closed")
