"""A live session in chat, through the engine: both join from their notices, what each types
reaches the other with the clock, ending in the free minutes charges nothing, ending later
charges the session; then the seeker reviews and the consultant replies once."""

from __future__ import annotations

from sqlalchemy import select

from conversations.messages import Choice, FileUpload
from core.consulting.sessions.tables import SessionReview
from core.money.model import Money
from tests.consulting.session_support import book, people
from tests.deals.chat_helpers import last_notice, told
from tests.support.accounts import account_id
from tests.support.chat import ChatUser


async def _joined(app) -> tuple[ChatUser, ChatUser, int]:
    seeker, consultant = await people(app)
    session_id = await book(app, seeker, consultant)
    ann, janis = ChatUser(app, "ann"), ChatUser(app, "janis")
    await janis.send(Choice(f"@do:join_session:{session_id}"))
    assert "Waiting for the other party" in janis.texts()
    await ann.send(Choice(f"@do:join_session:{session_id}"))
    assert "In session — ⏱ 00:00 · free" in ann.texts()
    return ann, janis, session_id


async def test_a_session_ended_in_the_free_minutes_charges_nothing(app, clock, tmp_path):
    ann, janis, _ = await _joined(app)
    await ann.say("Hello, I have a question about ENplus certification.")
    assert "ENplus certification" in await last_notice(app, janis, "ENplus")
    note = tmp_path / "question.ogg"
    note.write_bytes(b"OggS" + b"\0" * 300)
    await ann.send(FileUpload(str(note), "question.ogg", "audio/ogg", 304, "voice"))
    [voice] = [p for p in await told(app, "janis") if "question.ogg" in str(p.get("text"))]
    [ref] = voice["attachments"]
    assert (await app.attachments[ref["kind"]](ref["key"])).content.startswith(b"OggS")
    clock.advance(minutes=6)
    await janis.say("Happy to help.")
    assert "⏱ 06:00 · free" in janis.texts()
    await ann.tap("End now — free")
    assert "Nothing is charged" in ann.texts()
    wallet = await app.payments.wallet(await account_id(app, "ann"))
    assert wallet.held == []


async def test_a_session_ended_after_the_free_minutes_is_charged_and_reviewed(app, clock):
    ann, janis, session_id = await _joined(app)
    clock.advance(minutes=25)
    await ann.say("Thanks, that settles it.")
    assert "· paid" in ann.texts()
    await ann.tap("End the session")
    assert "is charged; the receipt follows" in ann.texts()
    await last_notice(app, janis, "ended")
    await janis.tap("Write recap notes")
    await janis.say("Covered the audit checklist; next: moisture logging.")
    assert "Saved" in janis.texts()
    await ann.tap("Get the recap")  # on the answer that ended the session
    assert "on its way here as a PDF" in ann.texts()
    recap = await told(app, "ann")
    assert any(p.get("attachments") for p in recap if "recap" in str(p.get("text")).lower())
    paid = (await app.payments.wallet(await account_id(app, "janis"))).paid_out
    price = Money.parse("60.00", "EUR")
    assert paid == [price - app.payments.commission_for("consulting", price)]
    await ann.send(Choice(f"@do:review_session:{session_id}"))
    await ann.tap("★★★★★")
    await ann.say("Clear and practical.")
    assert "May Agora quote your comment on its website?" in ann.texts()
    await ann.tap("Yes, quote me")
    assert "review is published" in ann.texts()
    async with app.uow() as uow:
        review = (await uow.session.execute(
            select(SessionReview.quote_ok, SessionReview.comment))).one()
    assert review == (True, "Clear and practical.")
    await janis.send(Choice(f"@do:review_session:reply:{session_id}"))
    await janis.say("Thank you, Ann!")
    assert "reply is published" in janis.texts()
    await janis.send(Choice(f"@do:review_session:reply:{session_id}"))
    await janis.say("Once more")
    assert "once" in janis.texts().lower()


