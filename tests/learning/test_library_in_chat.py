"""The library in chat with no database anywhere: the real flows (`/publish`, `/learn`) through
the engine in memory, their use cases on the in-memory shelf (core.storage.stores hands the
flows' `library` calls the chat's `MemoryShelf`). The same journey on the database, with its
files and notices: tests/community/test_events_and_library.py."""

from __future__ import annotations

from conversations.context import Services
from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import FileUpload
from core.catalog.media import FileStore, LocalFileFetcher
from core.learning.shelf import Shelf
from tests.learning.fakes import MemoryShelf
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def library(tmp_path) -> tuple[MemoryChat, MemoryShelf]:
    """Root (an admin), Cara (a consultant) and Eve, registered, in a chat whose library is
    the shelf returned."""
    shelf = MemoryShelf()
    services = Services(files=FileStore(tmp_path), fetchers={"terminal": LocalFileFetcher()})
    chat = MemoryChat(ALL_FLOWS, services=services, stores={Shelf: shelf})
    for key, name, roles, admin in (("root", "Root", ("buyer",), True),
                                    ("cara", "Cara Vilks", ("consultant",), False),
                                    ("eve", "Eve", ("buyer",), False)):
        member = chat.turns.register("terminal", key, name, roles=roles, admin=admin)
        shelf.person(member.id, name, admin=admin, consultant="consultant" in roles)
    return chat, shelf


def person(chat: MemoryChat, key: str) -> ChatUser:
    return ChatUser(chat, key)


async def test_an_admin_publishes_a_link_and_a_pdf_checked_as_every_upload(tmp_path):
    chat, shelf = library(tmp_path)
    root = person(chat, "root")
    await root.say("/publish")
    await root.tap("A link")
    await root.tap("Pellet quality")
    await root.say("ENplus handbook, part 3")
    await root.say("ftp://files.example.org/handbook.pdf")
    assert "web address" in root.texts()
    await root.say("https://enplus-pellets.eu/en-in/resources-en-in/documentation.html")
    await root.say("The certification's quality classes and limits")
    assert "Published “ENplus handbook, part 3” under Pellet quality" in root.texts()
    fake, report = tmp_path / "fake.pdf", tmp_path / "report.pdf"
    fake.write_bytes(b"MZ not a pdf at all")
    report.write_bytes(PDF)
    await root.say("/publish")
    await root.tap("A PDF")
    await root.tap("Markets and prices")
    await root.say("Baltic pellet prices, Q3")
    await root.send(FileUpload(str(fake), "fake.pdf", "application/pdf", 19))
    assert "doesn't look like a real PDF" in root.texts()
    await root.send(FileUpload(str(fake), "big.pdf", "application/pdf", 11 * 1024 * 1024))
    assert "the limit is 10 MB" in root.texts()
    await root.send(FileUpload(str(report), "q3.pdf", "application/pdf", len(PDF)))
    await root.tap("Skip")
    assert "Published “Baltic pellet prices, Q3”" in root.texts()
    assert [(i.kind, i.topic, i.title) for i in shelf.items] == [
        ("link", "Pellet quality", "ENplus handbook, part 3"),
        ("pdf", "Markets and prices", "Baltic pellet prices, Q3")]


async def test_a_consultants_insight_is_read_with_their_name_and_only_admins_publish(tmp_path):
    chat, shelf = library(tmp_path)
    cara = person(chat, "cara")
    await cara.say("/learn")
    await cara.tap("Write an insight")
    await cara.tap("Pellet quality")
    await cara.say("Fines at loading")
    await cara.say("Too short")
    assert "at least 20 characters" in cara.texts()
    await cara.say("Ask for a sieve test at loading: most fines complaints start in the truck.")
    await cara.tap("Skip")
    assert "Published “Fines at loading”" in cara.texts()
    eve = person(chat, "eve")
    await eve.say("/learn")
    assert "Write an insight" not in eve.labels()
    await eve.tap("Pellet quality (1)")
    assert "💡 Fines at loading — by Cara Vilks" in eve.texts()
    await eve.tap("Fines at loading")
    assert "by Cara Vilks, consultant" in eve.texts()
    [insight] = shelf.items
    assert eve.button("Cara Vilks").data == f"@do:view_consultant:{insight.author_id}"
    await eve.say("/publish")
    assert "admin" in eve.texts().lower()
