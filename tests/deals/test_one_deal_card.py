"""One card per object: a deal's card opened in chat (the card /deals opens) and the card that
rewrites a party's latest one after the deal changed (the card builder the dispatchers call)
carry the same lines and the same buttons — in every state a deal passes through: agreed,
paid, shipped by a booked haulier (the 🚚 line, the transport, its CMR once delivered),
completed (the carbon receipt) — for each party; and the Mini App's deal room reads the same
lines. Only the frame differs: the chat's card ends with ✔ Done (and the flow's ✖ Cancel), a
notice's with 🤝 Open the deal."""

from __future__ import annotations

from conversations.messages import Choice, go
from core.deals import deals
from core.deals.freight import journey
from core.deals.freight import service as freight
from core.deals.room import deal_room
from core.deals.tables import Deal
from core.deals.threads import service as threads
from core.notifications.outbox import addressed_to
from tests.deals.freight_helpers import CARD, Haul, ask, haul, quote
from tests.support.chat import ChatUser

# A drawing's own frame: the chat's flow ends its card with Done (and its navigation), a
# notice with the deal itself.
CHAT_FRAME, OPEN = ("✔ Done", "◀ Back", "✖ Cancel"), "🤝 Open the deal"


async def both_cards(app, h: Haul, party) -> tuple[str, list[str]]:
    """The party's card opened in chat and the card rewritten for them, checked alike; the
    card's words and buttons."""
    user = ChatUser(app, "bob" if party is h.bob else "sam")
    await user.send(Choice(go("deal", h.deal_id)))
    shown, pressed = user.texts(), user.labels()
    rewritten = await app.card_builders["deal"](str(h.deal_id), party.id)
    assert rewritten is not None
    labels = [b["label"] for row in rewritten["buttons"] for b in row]
    assert rewritten["text"] == shown
    assert [label for label in labels if label != OPEN] == \
        [label for label in pressed if label not in CHAT_FRAME]
    assert labels[-1] == OPEN and "✔ Done" in pressed
    services = app.engine.services  # and the Mini App's deal room reads the same lines
    async with app.uow() as uow, addressed_to(uow, party.id):  # in the party's conventions
        room = await deal_room(uow, services.payments, h.deal_id, party.id,
                               services.deal_card_parts)
    assert "\n".join(room.lines) == shown
    return shown, labels


async def test_the_card_opened_in_chat_and_the_card_rewritten_read_the_same_in_every_state(app):
    h = await haul(app, paid=False)  # agreed and the terms accepted: awaiting payment
    async with app.uow() as uow:
        deal = await uow.get(Deal, h.deal_id)
        thread = await threads.open_thread(uow, deal.listing_id, h.bob.id, any_status=True)
        await threads.post(uow, thread.id, h.bob.id, "Loading hours?")
        await uow.commit()
    for party in (h.bob, h.sam):
        text, labels = await both_cards(app, h, party)
        assert "Goods:" in text and "Terms: version 1" in text
        assert {"💬 Messages", "📄 Terms (PDF)", "📣 Share", "🚚 Ask for transport"} <= set(labels)
    assert "💳 Pay" in (await both_cards(app, h, h.bob))[1]

    escrow = await app.payments.by_reference(deals.reference(h.deal_id))
    await app.payments.pay_with_test_card(escrow.id, CARD)  # paid: the seller ships
    assert "Mark shipped" in (await both_cards(app, h, h.sam))[1]

    request_id = await ask(app, h)  # a haulier booked, paid, and loading: the deal ships
    async with app.uow() as uow:
        await freight.accept(uow, await quote(app, h, request_id, h.hugo), h.bob.id)
        await uow.commit()
    await app.payments.pay_with_test_card(
        (await app.payments.by_reference(freight.reference(request_id))).id, CARD)
    async with app.uow() as uow:
        await journey.post(uow, request_id, h.hugo.id, "loaded")
        await uow.commit()
    for party in (h.bob, h.sam):
        text, labels = await both_cards(app, h, party)
        assert "Status: shipped" in text and "🚚 Transport" in text
        assert "🚚 Transport" in labels and "📄 CMR" not in labels
    async with app.uow() as uow:
        await journey.post(uow, request_id, h.hugo.id, "delivered", cmr_path="ab/cmr.jpg",
                           cmr_mime="image/jpeg")
        await uow.commit()
    assert "📄 CMR" in (await both_cards(app, h, h.bob))[1]

    async with app.uow() as uow:
        await deals.take(uow, h.deal_id, "confirm-receipt", h.bob.id)
        await uow.commit()
    for party in (h.bob, h.sam):
        text, labels = await both_cards(app, h, party)
        assert "Status: completed" in text
        assert {"🌱 Carbon receipt", "⭐ Rate", "📄 CMR"} <= set(labels)
