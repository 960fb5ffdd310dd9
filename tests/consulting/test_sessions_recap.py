"""The recap: the chat transcript and the consultant's notes as a Unicode PDF, free by default
or for AGORA_RECAP_PRICE charged through the money layer, and sent to the seeker when theirs."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from core.catalog.media import FileStore
from core.consulting.sessions import recap
from core.consulting.sessions import service as sessions
from core.deals.threads.service import SharedFile
from core.errors import Conflict, NotAllowed
from core.money.model import Money
from payments.ledger import platform
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


async def test_the_recap_is_ready_once_the_session_has_ended(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    with pytest.raises(Conflict):
        await act(app, recap.request, session_id, seeker)
    pdf = await act(app, recap.recap_pdf, session_id, consultant)  # the consultant may look
    assert "No messages were exchanged" in pdf_text(pdf)


async def test_a_recap_gives_the_start_in_its_readers_time_zone_and_language(app, clock):
    from core.accounts.tables import Account
    from core.money.reading import reading

    seeker, consultant = await people(app)
    session_id = await _talked(app, clock, seeker, consultant)
    async with app.uow() as uow:
        reader = await uow.session.get(Account, consultant)
        reader.timezone, reader.language, reader.country = "Europe/Helsinki", "fi", "FI"
        with reading(reader):
            text = " ".join(pdf_text(await recap.recap_pdf(uow, session_id, consultant)).split())
    started = text.split("Alkoi")[1][:40]  # “Started”, in Finnish
    assert "(Europe/Helsinki)" in started and "UTC" not in started
