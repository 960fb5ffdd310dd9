"""Neutral replies as Telegram calls, through the real PTB bot to the fake Bot API."""

from __future__ import annotations

from bots.telegram import render
from conversations.messages import (
    Button,
    FileReply,
    FormErrors,
    ImageReply,
    ListItem,
    ListPage,
    Reply,
)
from tests.telegram.conftest import keyboard


async def test_a_list_page_shows_items_with_their_buttons_then_the_paging_row(bot, fake):
    _, channel = bot
    page = ListPage("Wood pellets near Riga", (
        ListItem("ENplus A1, 24 t", "€212/t · Riga", Button("Open #1", "open:1")),
        ListItem("Bagged pellets", "€260/t"),
    ), page=1, pages=3, buttons=((Button("Next ▶", "page:2"),),))
    await render.send_reply(channel.application.bot, "11", page)
    sent = await fake.wait_for("sendMessage", since=0)
    assert sent.params["text"] == ("Wood pellets near Riga (page 1/3)\n"
                                   "1. ENplus A1, 24 t — €212/t · Riga\n2. Bagged pellets — €260/t")
    assert keyboard(sent) == [[{"text": "Open #1", "callback_data": "open:1"}],
                              [{"text": "Next ▶", "callback_data": "page:2"}]]


async def test_files_and_images_are_sent_as_documents_and_photos(bot, fake):
    _, channel = bot
    tg = channel.application.bot
    await render.send_reply(tg, "11", FileReply("invoice.csv", b"a,b\n1,2\n", "text/csv", "Yours"))
    await render.send_reply(tg, "11", ImageReply("https://example.com/pellets.jpg", "Pellets"))
    document = (await fake.wait_for("sendDocument", since=0)).params
    assert document["document"]["filename"] == "invoice.csv"
    assert document["document"]["content"] == b"a,b\n1,2\n"
    assert document["caption"] == "Yours"
    photo = (await fake.wait_for("sendPhoto", since=0)).params
    assert (photo["photo"], photo["caption"]) == ("https://example.com/pellets.jpg", "Pellets")


async def test_a_long_reply_is_split_and_the_keyboard_goes_with_the_last_piece(bot, fake):
    _, channel = bot
    text = "\n".join(f"line {i}: " + "x" * 60 for i in range(150))  # about 10 000 characters
    await render.send_reply(channel.application.bot, "11",
                            Reply(text, ((Button("OK", "ok"),),)))
    pieces = fake.sent("sendMessage")
    assert len(pieces) == 3 and all(len(p.params["text"]) <= 4096 for p in pieces)
    assert "\n".join(p.params["text"] for p in pieces) == text
    assert [bool(keyboard(p)) for p in pieces] == [False, False, True]


async def test_form_errors_arrive_as_a_plain_message(bot, fake):
    _, channel = bot
    await render.send_reply(channel.application.bot, "11",
                            FormErrors("registration", {"email": "That is not an email address."}))
    sent = await fake.wait_for("sendMessage", since=0)
    assert sent.params["text"] == "Please fix this:\nemail: That is not an email address."


async def test_files_are_downloaded_from_the_file_url_next_to_the_api_url(bot, fake):
    _, channel = bot
    tg = channel.application.bot
    await render.send_reply(tg, "11", FileReply("cert.pdf", b"%PDF-1.7 ENplus", "application/pdf"))
    file_id = (await fake.wait_for("sendDocument", since=0)).result["document"]["file_id"]
    telegram_file = await tg.get_file(file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == b"%PDF-1.7 ENplus"
