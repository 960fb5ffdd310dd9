"""Events with RSVP and the library in chat (the terminal driver): a trade show answered going,
maybe and not, each change kept once, with a calendar invite (read back with icalendar) and
reminders to going and maybe; the library's links, PDFs (type, size and content checked as every
upload) and consultants' insights with their name and a link to their profile."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar
from sqlalchemy import select

from conversations.messages import Choice, FileReply, FileUpload
from core.consulting.tables import ConsultantProfile
from core.learning import due, gatherings
from core.learning.tables import GatheringRsvp
from tests.community.helpers import told
from tests.support.accounts import registered
from tests.support.chat import ChatUser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_a_trade_show_takes_going_maybe_and_not_with_an_invite(app, clock):
    root = await registered(app, "root", timezone="Europe/Riga")
    ann = await registered(app, "ann", timezone="Europe/Berlin")
    bob = await registered(app, "bob")
    starts = datetime(2026, 12, 10, 8, 0, tzinfo=UTC)
    async with app.uow() as uow:
        show = await gatherings.publish(uow, root.id, kind="trade_show", title="Riga Bioenergy Fair",
                                        starts_at=starts, minutes=480, place="Kipsala hall, Riga")
        await uow.commit()
        show_id = show.id
    ann_chat = ChatUser(app, "ann")
    await ann_chat.say("/events")
    assert "🏛 Trade show “Riga Bioenergy Fair” — Thu 10 Dec, 09:00 (Europe/Berlin), Kipsala hall" \
        in ann_chat.texts()
    await ann_chat.tap("Riga Bioenergy Fair")
    assert "Register" not in ann_chat.labels()
    replies = await ann_chat.tap("Maybe")
    [ics] = [r for r in replies if isinstance(r, FileReply)]
    cal = Calendar.from_ical(ics.content)
    [event] = cal.walk("VEVENT")
    assert cal["METHOD"] == "REQUEST" and event["UID"] == f"gathering-{show_id}@agora.invalid"
    assert event.decoded("DTSTART") == starts and str(event["LOCATION"]) == "Kipsala hall, Riga"
    await ann_chat.tap("Going")
    assert "1 going, 0 maybe" in ann_chat.texts() and "you: ✅ Going" in ann_chat.texts()
    bob_chat = ChatUser(app, "bob")
    await bob_chat.send(Choice(f"@do:view_gathering:rsvp:{show_id}:maybe"))
    assert "1 going, 1 maybe" in bob_chat.texts()
    await bob_chat.tap("Not going")
    assert "Calendar invite" not in bob_chat.labels()
    await bob_chat.tap("Maybe")
    async with app.uow() as uow:
        answers = dict((await uow.session.execute(select(
            GatheringRsvp.account_id, GatheringRsvp.answer))).all())
    assert answers == {ann.id: "going", bob.id: "maybe"}

    clock.advance(days=19, hours=8, minutes=1)  # 24 h before
    assert await due.remind_all(app.uow) == 2
    [to_ann] = await told(app, ann.id, "starts in 24 hours")
    assert "Thu 10 Dec, 09:00 (Europe/Berlin)" in to_ann["text"]
    assert len(await told(app, bob.id, "starts in 24 hours")) == 1
    clock.advance(days=2)
    await ann_chat.send(Choice(f"@do:view_gathering:rsvp:{show_id}:going"))
    assert "over" in ann_chat.texts()


async def test_the_library_keeps_pdfs_and_insights_with_their_authors(app, tmp_path):
    """On the database, with the file store: a PDF published and downloaded, a consultant's
    insight signed with the name on their profile. Every check and refusal of the same flows:
    tests/learning/test_library_in_chat.py, on the engine and the shelf in memory."""
    await registered(app, "root")
    cara = await registered(app, "cara", roles=("consultant",), display_name="Cara Vilks")
    await registered(app, "eve")
    async with app.uow() as uow:
        now = uow.clock.now()
        uow.add(ConsultantProfile(account_id=cara.id, created_at=now, updated_at=now))
        await uow.commit()

    report = tmp_path / "report.pdf"
    report.write_bytes(PDF)
    root = ChatUser(app, "root")
    await root.say("/publish")
    await root.tap("A PDF")
    await root.tap("Markets and prices")
    await root.say("Baltic pellet prices, Q3")
    await root.send(FileUpload(str(report), "q3.pdf", "application/pdf", len(PDF)))
    await root.tap("Skip")
    assert "Published “Baltic pellet prices, Q3”" in root.texts()

    cara_chat = ChatUser(app, "cara")
    await cara_chat.say("/learn")
    await cara_chat.tap("Write an insight")
    await cara_chat.tap("Pellet quality")
    await cara_chat.say("Fines at loading")
    await cara_chat.say("Ask for a sieve test at loading: most fines complaints start in the truck.")
    await cara_chat.tap("Skip")
    assert "Published “Fines at loading”" in cara_chat.texts()

    eve = ChatUser(app, "eve")
    await eve.say("/learn")
    await eve.tap("Pellet quality (1)")
    await eve.tap("Fines at loading")
    assert "by Cara Vilks, consultant" in eve.texts()
    assert eve.button("Cara Vilks").data == f"@do:view_consultant:{cara.id}"
    await eve.say("/learn")
    await eve.tap("Markets and prices (1)")
    replies = await eve.tap("Baltic pellet prices")
    [pdf] = [r for r in replies if isinstance(r, FileReply)]
    assert pdf.content == PDF and pdf.mime_type == "application/pdf"
