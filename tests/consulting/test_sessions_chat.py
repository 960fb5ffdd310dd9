"""The session runs in chat: text, voice notes, photos and files relayed to the other party
with the session's clock, an optional call link, and nothing relayed once it has ended."""

from __future__ import annotations

import pytest

from core.catalog.media import FileStore
from core.consulting.sessions import service as sessions
from core.deals.threads.service import SharedFile
from core.errors import Conflict, DomainError
from tests.consulting.session_support import act, book, live, people, texts, told

OGG = b"OggS" + bytes(60)


async def test_a_message_reaches_the_other_party_with_the_clock_at_once(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=3, seconds=5)
    await act(app, sessions.post, session_id, seeker, "  Hello, Jānis!  ")
    relayed = (await told(app, consultant))[-1]
    assert relayed["text"] == "💬 Ann · ⏱ 03:05 · free\nHello, Jānis!"
    clock.advance(minutes=9)
    await act(app, sessions.post, session_id, consultant, "Labdien")
    assert (await told(app, seeker))[-1]["text"].startswith("💬 Jānis Bērziņš · ⏱ 12:05 · paid")


async def test_a_voice_note_a_photo_and_a_file_are_relayed_as_attachments(app, clock, tmp_path):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    store = FileStore(app.settings.data_dir)
    _, path = store.put(OGG, ".ogg")
    sent = [("audio/ogg", "voice.ogg", "voice"), ("image/jpeg", "plan.jpg", "photo"),
            ("application/pdf", "offer.pdf", "file")]
    for mime, name, kind in sent:
        message = await act(app, sessions.post, session_id, seeker, "",
                            SharedFile(path, name, mime))
        assert (message.kind, message.text) == (kind, f"📎 {name}")
    attached = [p["attachments"][0] for p in await told(app, consultant)
                if p["text"].startswith("💬") and p.get("attachments")]
    assert [a["kind"] for a in attached] == ["session-file"] * 3
    voice = await app.attachments["session-file"](attached[0]["key"])
    assert (voice.file_name, voice.content, voice.mime_type) == ("voice.ogg", OGG, "audio/ogg")


async def test_a_party_may_write_before_the_start_but_not_after_the_end(app, clock):
    seeker, consultant = await people(app)
    session_id = await book(app, seeker, consultant)
    await act(app, sessions.post, session_id, consultant, "I'm here, join when ready.")
    assert "I'm here" in await texts(app, seeker)
    await act(app, sessions.join, session_id, seeker)
    await act(app, sessions.join, session_id, consultant)
    await act(app, sessions.end, session_id, seeker)
    with pytest.raises(Conflict):
        await act(app, sessions.post, session_id, seeker, "one more thing")
    with pytest.raises(DomainError):
        await act(app, sessions.post, session_id + 0, consultant, " ")


async def test_the_consultant_gives_a_call_link_and_the_chat_keeps_time(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    link = await act(app, sessions.set_call_link, session_id, consultant)
    assert link.startswith("https://meet.jit.si/Agora-")  # its booking has none: a new room
    assert f"📞 Call link for session #{session_id}: {link}" in await texts(app, seeker)
    own = await act(app, sessions.set_call_link, session_id, consultant,
                    "https://zoom.example/j/123")
    assert own == "https://zoom.example/j/123"
    with pytest.raises(DomainError):
        await act(app, sessions.set_call_link, session_id, consultant, "javascript:alert(1)")
