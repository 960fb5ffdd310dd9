"""Creating, previewing, editing and publishing a listing in the terminal, field by field: the
listing flow's journey on the database; a photo added with the catalogue in memory (the files'
storage on both: `test_stock_contract.py`)."""

from __future__ import annotations

from sqlalchemy import select

from conversations.messages import FileUpload
from core.catalog.tables import Listing
from tests.catalog.helpers import PELLET_DETAILS, PELLETS, add_details, answer_form, make_account
from tests.catalog.in_memory import market, member
from tests.support.chat import ChatUser


async def start_listing(app) -> ChatUser:
    await make_account(app, "sam")
    return await selling(ChatUser(app, "sam"))


async def selling(sam: ChatUser) -> ChatUser:
    await sam.say("/sell")
    await sam.tap("Wood pellets")
    return sam


async def test_a_seller_creates_previews_edits_and_publishes_a_listing(app):
    sam = await start_listing(app)
    await answer_form(sam, PELLETS)
    assert "Preview" in sam.texts() and "Wood pellets from Riga" in sam.texts()  # a default title
    await add_details(sam, PELLET_DETAILS)
    preview = sam.texts()
    assert "Preview" in preview and "ENplus A1 wood pellets, 15 kg bags" in preview
    assert "230,00\xa0€ per t" in preview and "/MWh" in preview
    assert "Location: Riga, Latvia" in preview and "Avoids about" in preview
    await sam.tap("Edit a field")
    await sam.tap("Price per unit")
    assert "(now: 230,00)" in sam.texts()
    await sam.say("210")
    assert "Saved" in sam.texts() and "210,00\xa0€ per t" in sam.texts()
    await sam.tap("Publish")
    assert "Published" in sam.texts()
    async with app.uow() as uow:
        row = (await uow.session.execute(select(Listing))).scalar_one()
        assert (row.status, row.price_minor, row.quantity_milli) == ("published", 21000, 500000)
        assert row.price_mwh_minor == 4395  # 210 EUR/t ÷ (17.2 MJ/kg ÷ 3.6) MWh/t


async def test_a_photo_from_the_terminal_is_stored_with_its_checksum(tmp_path):
    photo = tmp_path / "bags.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"x" * 2000)
    chat, stock = market(tmp_path / "data")
    sam = await selling(member(chat, stock, "sam"))
    await answer_form(sam, PELLETS)
    await sam.tap("Add photos or documents")
    await sam.send(FileUpload(str(photo), "bags.jpg", "image/jpeg", 2004, "photo"))
    assert "Added bags.jpg" in sam.texts()
    [media] = stock.media
    assert len(media.sha256) == 64 and media.kind == "photo"
    assert (tmp_path / "data" / media.path).read_bytes() == photo.read_bytes()
