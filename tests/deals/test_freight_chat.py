"""Freight in chat, on the database: a haulier's profile, the buyer asking for transport from
the deal card, the haulier quoting from the notice, the buyer accepting and paying, the
haulier's updates with the CMR photo, and the deal card showing the delivered total."""

from __future__ import annotations

from conversations.messages import Choice, FileReply, FileUpload, go
from core.deals.freight.tables import FreightRequest
from core.deals.tables import Deal
from tests.catalog.helpers import make_account
from tests.deals.chat_helpers import last_notice, paid_deal, trading_pair
from tests.support.chat import ChatUser
from tests.support.outbox import told, told_texts

CARD = "4242 4242 4242 4242"


async def test_a_buyer_books_a_haulier_from_the_deal_card_and_the_haulier_delivers(app, tmp_path):
    _, _, listing_id = await trading_pair(app)
    deal_id = await paid_deal(app, listing_id)
    await make_account(app, "hugo")
    hugo = ChatUser(app, "hugo", forms=True)
    await hugo.say("/haulier")
    await hugo.submit({"routes": "LV, EE", "loading": ["walking_floor"], "capacity": "24",
                       "unit": "t"})
    assert "Routes: LV, EE" in hugo.texts()

    bob = ChatUser(app, "bob", forms=True)
    await bob.send(Choice(go("deal", deal_id)))
    await bob.tap("Ask for transport")
    await bob.submit({"to": "Tartu", "quantity": "100", "unit": "t", "load_from": "+3",
                      "load_to": "+10", "loading": "walking_floor"})
    assert "Hauliers who serve this route are told" in bob.texts()

    await last_notice(app, hugo, "Transport #")
    await hugo.tap("Quote")
    await hugo.submit({"price": "1200", "pickup": "+4", "transit": "2"})
    assert "Quote sent" in hugo.texts()
    await hugo.say("/haulier")  # a haulier's profile leads to the transports open to them
    assert "Routes: LV, EE" in hugo.texts()
    assert any("Transport #1 for deal #1" in label for label in hugo.labels())
    await hugo.tap("Edit the profile")
    await hugo.submit({"routes": "LV, EE, LT", "loading": ["walking_floor"], "capacity": "24",
                       "unit": "t"})
    assert "Routes: LV, EE, LT" in hugo.texts()

    await last_notice(app, bob, "A quote for transport")
    await bob.tap("Accept")
    assert "Booked" in bob.texts()
    async with app.uow() as uow:
        request = (await uow.session.execute(FreightRequest.__table__.select())).first()
    escrow = await app.payments.by_reference(f"freight:{request.id}")
    assert escrow is not None and escrow.payer_id != escrow.payee_id
    await app.payments.pay_with_test_card(escrow.id, CARD)

    await last_notice(app, hugo, "is paid and held in escrow")
    await hugo.tap("Loaded")
    assert "Loaded" in hugo.texts()
    await hugo.send(Choice(go("freight", request.id)))
    await hugo.tap("On the way")
    await hugo.submit({"position": "Valmiera", "eta": "+6"})
    assert await told_texts(app, "sam", "Valmiera") and await told_texts(app, "bob", "Valmiera")

    await hugo.send(Choice(go("freight", request.id)))
    await hugo.tap("Delivered")
    photo = tmp_path / "cmr.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 200)
    await hugo.send(FileUpload(str(photo), "cmr.png", "image/png", photo.stat().st_size, "photo"))
    assert "both parties have the CMR" in hugo.texts()
    [delivered] = [p for p in await told(app, "bob") if "delivered" in str(p.get("text"))
                   and p.get("attachments")]
    assert delivered["attachments"][0]["kind"] == "freight-cmr"
    async with app.uow() as uow:
        assert (await uow.get(Deal, deal_id)).status == "delivered"

    await bob.send(Choice(go("deal", deal_id)))
    card = bob.texts()  # Bob reads in Estonia's format: 23 200,00 €
    assert "Delivered total: 23" in card and "200,00" in card and "€/MWh delivered" in card
    assert "Freight: 1" in card and "📄 Signed CMR received" in card
    [cmr] = [r for r in await bob.tap("📄 CMR") if isinstance(r, FileReply)]  # from the deal card
    assert cmr.content == photo.read_bytes() and cmr.mime_type == "image/png"
    await last_notice(app, bob, "Signed CMR")
    await bob.tap("Confirm delivery")
    assert "freight is released" in bob.texts()
    assert (await app.payments.get(escrow.id)).state == "released"


async def test_a_seller_asks_for_transport_question_by_question_from_the_deal_s_quantity(app):
    _, _, listing_id = await trading_pair(app)
    deal_id = await paid_deal(app, listing_id)
    sam = ChatUser(app, "sam")
    await sam.send(Choice(go("deal", deal_id)))
    await sam.tap("Ask for transport")
    assert "Delivery place" in sam.texts()
    await sam.say("Tartu")
    assert "Quantity" in sam.texts() and "100" in sam.texts()  # the deal's, to keep
    await sam.tap("Keep")
    await sam.tap("Keep")  # tonnes, the listing's unit
    await sam.say("+3")
    await sam.say("+10")
    await sam.tap("tipper")
    assert "Hauliers who serve this route are told" in sam.texts()
    assert "100 t, tipper" in sam.texts() and "Tartu" in sam.texts()
    async with app.uow() as uow:
        request = (await uow.session.execute(FreightRequest.__table__.select())).first()
    assert (request.quantity_milli, request.unit, request.to_country) == (100_000, "t", "EE")
    await sam.send(Choice(go("deal", deal_id)))  # one transport at a time: the card leads to it
    assert "🚚 Transport" in sam.labels() and not any("Ask for" in b for b in sam.labels())
