"""The recap: the chat transcript and the consultant's notes as a Unicode PDF, free by default
or for AGORA_RECAP_PRICE charged through the money layer, and sent to the seeker when theirs.
Sent and charged on the database; who may ask, write and read it, when, and in which zone
and language, on the in-memory logbook."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.catalog.media import FileStore
from core.consulting.sessions import recap
from core.consulting.sessions import service as sessions
from core.consulting.sessions.events import RecapGranted, RecapRequested
from core.deals.threads.service import SharedFile
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from core.money.reading import reading
from payments.ledger import platform
from tests.consulting import session_fakes as on_logbook
from tests.consulting.session_fakes import (
    CONSULTANT_ID,
    EVE,
    ROOT,
    SEEKER_ID,
    MemoryLogbook,
    logbook,
)
from tests.consulting.session_support import CARD, act, balance, live, people, texts, told
from tests.support.pdf import pdf_text


async def _talked(app, clock, seeker, consultant) -> int:
    session_id = await live(app, seeker, consultant)
    _, path = FileStore(app.settings.data_dir).put(b"OggS" + bytes(40), ".ogg")
    clock.advance(minutes=1)
    await act(app, sessions.post, session_id, seeker, "Labdien! We ship pellets from Łódź to Ελλάδα.")
    clock.advance(minutes=2, seconds=30)
    await act(app, sessions.post, session_id, consultant, "Budget €1 200 per tonne of CO₂e?")
    await act(app, sessions.post, session_id, seeker, "", SharedFile(path, "question.ogg",
                                                                      "audio/ogg"))
    clock.advance(minutes=20)
    await act(app, sessions.end, session_id, seeker)
    await act(app, recap.set_notes, session_id, consultant,
              "Next steps: ask Müller & Söhne for the ENplus certificate.")
    return session_id


async def _sent_recap(app, seeker) -> bytes:
    sent = [p["attachments"][0] for p in await told(app, seeker)
            if p.get("attachments") and p["attachments"][0]["kind"] == "session-recap"]
    assert len(sent) == 1
    return (await app.attachments["session-recap"](sent[0]["key"])).content


async def test_a_free_recap_is_sent_with_the_transcript_and_notes_as_written(app, clock):
    seeker, consultant = await people(app)
    session_id = await _talked(app, clock, seeker, consultant)
    assert await act(app, recap.request, session_id, seeker) == Money(0, "EUR")
    text = pdf_text(await _sent_recap(app, seeker))
    assert "Session #1 — recap" in text
    assert "Jānis Bērziņš" in text and "Ann" in text
    assert "[01:00]  Ann: Labdien! We ship pellets from Łódź to Ελλάδα." in text
    assert "[03:30]  Jānis Bērziņš: Budget €1 200 per tonne of CO₂e?" in text
    assert "[voice note: question.ogg]" in text
    assert "Next steps: ask Müller & Söhne for the ENplus certificate." in text
    assert "Charged €60.00" in text.replace("\n", " ")
    mine = await act(app, recap.recap_pdf, session_id, seeker)
    assert pdf_text(mine) == text


async def test_a_priced_recap_is_charged_first_then_sent(app, clock):
    app.policy = replace(app.policy, recap_price=Decimal("4.90"))
    seeker, consultant = await people(app)
    session_id = await _talked(app, clock, seeker, consultant)
    assert await act(app, recap.request, session_id, seeker) == Money(490, "EUR")
    with pytest.raises(NotAllowed):
        await act(app, recap.recap_pdf, session_id, seeker)
    asked = [p for p in await told(app, seeker) if "costs €4.90" in p["text"]]
    escrow = await app.payments.by_reference(f"recap:{session_id}")
    assert asked[0]["buttons"][0][0] == {"label": "💳 Pay for the recap", "intent": "pay",
                                         "arg": str(escrow.id)}
    await app.payments.pay_with_test_card(escrow.id, CARD)
    assert await balance(app, platform("revenue")) == 490
    assert "Next steps" in pdf_text(await _sent_recap(app, seeker))
    assert await act(app, recap.request, session_id, seeker) == Money(0, "EUR")  # paid once
    assert "The recap of session #1 is attached." in await texts(app, seeker)


# Who may read and ask for the recap, and when: on the in-memory logbook (no database).

async def _ended_in_memory(**given) -> tuple[MemoryLogbook, int]:
    book = logbook(people={SEEKER_ID: "Ann", CONSULTANT_ID: "Jānis Bērziņš"}, **given)
    session_id = await on_logbook.live(book)
    book.advance(minutes=1)
    await sessions.post(book, session_id, SEEKER_ID, "Labdien!")
    book.advance(minutes=2, seconds=30)
    await sessions.post(book, session_id, CONSULTANT_ID, "Budget?")
    book.advance(minutes=20)
    await sessions.end(book, session_id, SEEKER_ID)
    return book, session_id


async def test_only_the_consultant_writes_notes_and_only_the_seeker_asks_for_the_recap():
    book, session_id = await _ended_in_memory()
    for service, extra in [(recap.recap_pdf, ()), (recap.request, ()),
                           (recap.set_notes, ("notes",))]:
        with pytest.raises(NotFound):
            await service(book, session_id, EVE, *extra)
    with pytest.raises(NotAllowed):
        await recap.set_notes(book, session_id, SEEKER_ID, "my own notes")
    with pytest.raises(NotAllowed):
        await recap.request(book, session_id, CONSULTANT_ID)
    with pytest.raises(NotAllowed):  # the recap is the seeker's once asked for
        await recap.recap_pdf(book, session_id, SEEKER_ID)
    with pytest.raises(DomainError):
        await recap.set_notes(book, session_id, CONSULTANT_ID, "x" * (recap.MAX_NOTES + 1))
    assert (await recap.set_notes(book, session_id, CONSULTANT_ID, "  ")).recap_notes is None
    noted = await recap.set_notes(book, session_id, CONSULTANT_ID, " Next steps. ")
    assert noted.recap_notes == "Next steps."
    for reader in (CONSULTANT_ID, ROOT, None):  # the consultant, an admin, the system
        text = pdf_text(await recap.recap_pdf(book, session_id, reader))
        assert "[01:00]  Ann: Labdien!" in text and "[03:30]  Jānis Bērziņš: Budget?" in text
        assert "Next steps." in text


async def test_a_free_recap_is_the_seekers_at_once_once_the_session_has_ended():
    book = logbook()
    running = await on_logbook.live(book)
    with pytest.raises(Conflict):
        await recap.request(book, running, SEEKER_ID)
    await sessions.end(book, running, SEEKER_ID)
    assert await recap.request(book, running, SEEKER_ID) == Money(0, "EUR")
    assert book.events[-1] == RecapGranted(running)
    assert pdf_text(await recap.recap_pdf(book, running, SEEKER_ID)).count("No messages") == 1


async def test_a_priced_recap_is_asked_for_then_granted_once_paid_and_sent_again_free():
    book, session_id = await _ended_in_memory(recap_costs="4.90")
    assert await recap.request(book, session_id, SEEKER_ID) == Money(490, "EUR")
    assert book.events[-1] == RecapRequested(session_id, SEEKER_ID, Money(490, "EUR"))
    with pytest.raises(NotAllowed):
        await recap.recap_pdf(book, session_id, SEEKER_ID)
    assert await recap.grant(book, session_id)  # the money layer: its charge was paid
    assert not await recap.grant(book, session_id)  # told twice: sent once
    assert [e for e in book.events if isinstance(e, RecapGranted)] == [RecapGranted(session_id)]
    assert await recap.request(book, session_id, SEEKER_ID) == Money(0, "EUR")  # paid once
    assert book.events[-1] == RecapGranted(session_id)
    assert "Labdien!" in pdf_text(await recap.recap_pdf(book, session_id, SEEKER_ID))


async def test_the_recap_is_ready_once_the_session_has_ended():
    book = logbook()
    session_id = await on_logbook.live(book)
    with pytest.raises(Conflict):
        await recap.request(book, session_id, SEEKER_ID)
    pdf = await recap.recap_pdf(book, session_id, CONSULTANT_ID)  # the consultant may look
    assert "No messages were exchanged" in pdf_text(pdf)


async def test_a_recap_gives_the_start_in_its_readers_time_zone_and_language():
    book, session_id = await _ended_in_memory()
    reader = SimpleNamespace(timezone="Europe/Helsinki", language="fi", country="FI")
    with reading(reader):
        text = " ".join(pdf_text(await recap.recap_pdf(book, session_id, CONSULTANT_ID)).split())
    started = text.split("Alkoi")[1][:40]  # “Started”, in Finnish
    assert "(Europe/Helsinki)" in started and "UTC" not in started
