"""The session runs in chat: text, voice notes, photos and files relayed to the other party
with the session's clock, an optional call link, and nothing relayed once it has ended. The
relays' words on the in-memory logbook with the sessions' exchange handlers wired to a chat's
postbox (`exchange`), files relayed as attachments too; the journey of a voice note, on the
database (`test_session_chat_flow.py`)."""

from __future__ import annotations

import pytest

from core.catalog.media import FileStore
from core.consulting.sessions import recap
from core.consulting.sessions import service as sessions
from core.deals.threads.service import SharedFile
from core.errors import Conflict, DomainError
from tests.consulting.session_chat import act_in, exchange
from tests.consulting.session_fakes import CONSULTANT_ID, SEEKER_ID
from tests.consulting.session_fakes import book as book_in
from tests.consulting.session_fakes import live as live_in
from tests.consulting.session_support import told
from tests.support.outbox import told_texts

OGG = b"OggS" + bytes(60)


async def test_a_message_reaches_the_other_party_with_the_clock_at_once():
    chat, book_ = exchange()
    session_id = await live_in(book_)
    book_.advance(minutes=3, seconds=5)
    await act_in(chat, sessions.post, session_id, SEEKER_ID, "  Hello, Jānis!  ")
    relayed = (await told(chat, CONSULTANT_ID))[-1]
    assert relayed["text"] == "💬 Ann · ⏱ 03:05 · free\nHello, Jānis!"
    book_.advance(minutes=9)
    await act_in(chat, sessions.post, session_id, CONSULTANT_ID, "Labdien")
    assert (await told(chat, SEEKER_ID))[-1]["text"].startswith(
        "💬 Jānis Bērziņš · ⏱ 12:05 · paid")


async def test_a_voice_note_a_photo_and_a_file_are_relayed_as_attachments(tmp_path):
    chat, book_ = exchange()  # the logbook and the sessions' relays in memory
    session_id = await live_in(book_)
    store = FileStore(str(tmp_path))
    _, path = store.put(OGG, ".ogg")
    sent = [("audio/ogg", "voice.ogg", "voice"), ("image/jpeg", "plan.jpg", "photo"),
            ("application/pdf", "offer.pdf", "file")]
    for mime, name, kind in sent:
        message = await act_in(chat, sessions.post, session_id, SEEKER_ID, "",
                               SharedFile(path, name, mime))
        assert (message.kind, message.text) == (kind, f"📎 {name}")
    attached = [p["attachments"][0] for p in await told(chat, CONSULTANT_ID)
                if p["text"].startswith("💬") and p.get("attachments")]
    assert [a["kind"] for a in attached] == ["session-file"] * 3
    files = recap.resolvers(chat.uow, store)  # as the dispatchers render it
    voice = await files["session-file"](attached[0]["key"])
    assert (voice.file_name, voice.content, voice.mime_type) == ("voice.ogg", OGG, "audio/ogg")


async def test_a_party_may_write_before_the_start_but_not_after_the_end():
    chat, book_ = exchange()
    session_id = book_in(book_)
    await act_in(chat, sessions.post, session_id, CONSULTANT_ID, "I'm here, join when ready.")
    assert "I'm here" in "\n".join(await told_texts(chat, SEEKER_ID))
    await act_in(chat, sessions.join, session_id, SEEKER_ID)
    await act_in(chat, sessions.join, session_id, CONSULTANT_ID)
    await act_in(chat, sessions.end, session_id, SEEKER_ID)
    with pytest.raises(Conflict):
        await act_in(chat, sessions.post, session_id, SEEKER_ID, "one more thing")
    with pytest.raises(DomainError):
        await act_in(chat, sessions.post, session_id + 0, CONSULTANT_ID, " ")


async def test_the_consultant_gives_a_call_link_and_the_chat_keeps_time():
    chat, book_ = exchange()
    session_id = await live_in(book_)
    link = await act_in(chat, sessions.set_call_link, session_id, CONSULTANT_ID)
    assert link.startswith("https://meet.example/Agora-")  # its booking has none: a new room
    assert f"📞 Call link for session #{session_id}: {link}" in "\n".join(
        await told_texts(chat, SEEKER_ID))
    own = await act_in(chat, sessions.set_call_link, session_id, CONSULTANT_ID,
                       "https://zoom.example/j/123")
    assert own == "https://zoom.example/j/123"
    with pytest.raises(DomainError):
        await act_in(chat, sessions.set_call_link, session_id, CONSULTANT_ID,
                     "javascript:alert(1)")
