"""The console's library and events: an admin publishes a link, uploads a PDF (refused when it
is not really one), publishes a webinar with its start in a time zone and adds its recording —
each refusal next to its field, each action in the audit log, registrants told as in chat."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from core.catalog import media
from core.learning import gatherings
from core.learning.tables import Gathering, LearningItem
from core.operators import grants
from core.operators.tables import AuditEntry
from tests.catalog.helpers import make_account
from tests.community.helpers import told
from tests.community.test_events_and_library import PDF
from tests.console.helpers import client, csrf_of, post_form, root, signed_in

PAGE = "/admin/learning"


async def audit_of(app, action: str) -> list[tuple[str, dict]]:
    async with app.uow() as uow:
        return [(s, d) for s, d in (await uow.session.execute(select(
            AuditEntry.subject, AuditEntry.detail).where(AuditEntry.action == action)
            .order_by(AuditEntry.id))).all()]


async def test_an_admin_publishes_a_link_and_a_pdf_and_each_refusal_sits_at_its_field(app):
    admin = await root(app)
    async with client(app) as http:
        await signed_in(app, http, admin)
        home = await http.get("/admin")
        assert f'href="{PAGE}"' in home.text
        bad = await post_form(http, PAGE, f"{PAGE}/link", topic="Astrology", title="Go",
                              url="javascript:alert(1)", summary="")
        assert bad.status_code == 400
        for name in ("link-topic", "link-title", "link-url"):
            assert f'id="{name}-error"' in bad.text, name
        assert 'value="javascript:alert(1)"' in bad.text  # what was typed stays
        ok = await post_form(http, PAGE, f"{PAGE}/link", topic="Markets and prices",
                             title="Baltic pellet prices, Q3", url="https://example.org/q3",
                             summary="Prices by port <b>and</b> grade")
        assert ok.status_code == 303 and "done=published" in ok.headers["location"]

        csrf = csrf_of((await http.get(PAGE)).text)
        form = {"csrf": csrf, "topic": "Pellet quality", "title": "ENplus handbook"}
        fake = await http.post(f"{PAGE}/pdf", data=form,
                               files={"file": ("handbook.pdf", b"MZ not a pdf", "application/pdf")})
        assert fake.status_code == 400 and 'id="pdf-file-error"' in fake.text
        assert "doesn&#39;t look like a real PDF" in fake.text or "look like a real PDF" in fake.text
        text = await http.post(f"{PAGE}/pdf", data=form,
                               files={"file": ("notes.txt", b"hello", "text/plain")})
        assert text.status_code == 400 and "upload a PDF" in text.text
        none = await http.post(f"{PAGE}/pdf", data={**form, "title": ""},
                               files={"file": ("handbook.pdf", PDF, "application/pdf")})
        assert none.status_code == 400 and 'id="pdf-title-error"' in none.text
        real = await http.post(f"{PAGE}/pdf", data=form,
                               files={"file": ("handbook.pdf", PDF, "application/pdf")})
        assert real.status_code == 303, real.text
        listed = await http.get(PAGE)
    assert "Baltic pellet prices, Q3" in listed.text and "ENplus handbook" in listed.text
    async with app.uow() as uow:
        link, pdf = (await uow.session.execute(select(LearningItem).order_by(
            LearningItem.id))).scalars()
        assert (link.kind, link.url, link.summary) == ("link", "https://example.org/q3",
                                                       "Prices by port <b>and</b> grade")
        assert pdf.kind == "pdf" and pdf.file_name == "handbook.pdf"
        assert app.engine.services.files.read(pdf.file_path) == PDF
        ids = [link.id, pdf.id]
    entries = await audit_of(app, "resource-published")
    assert [s for s, _ in entries] == [f"resource:{n}" for n in ids]
    assert entries[1][1]["kind"] == "pdf"


async def test_a_webinar_from_the_console_with_its_zone_its_checks_and_its_recording(app, clock):
    admin = await root(app)
    ann = await make_account(app, "ann")
    form = {"kind": "webinar", "title": "Pellet quality after the EN 17225 revision",
            "starts": "2026-11-25T15:00", "zone": "Europe/Riga", "minutes": "60",
            "join_url": "https://meet.example.org/pellets", "place": "", "description": ""}
    async with client(app) as http:
        await signed_in(app, http, admin)
        bad = await post_form(http, PAGE, f"{PAGE}/gathering", **{
            **form, "starts": "2026-11-19T10:00", "minutes": "5", "join_url": "ftp://x"})
        assert bad.status_code == 400
        for name in ("event-starts", "event-minutes", "event-join_url"):
            assert f'id="{name}-error"' in bad.text, name
        assert "has passed" in bad.text and "15 to 7200" in bad.text
        zone = await post_form(http, PAGE, f"{PAGE}/gathering", **{**form, "zone": "Mars/Base"})
        assert zone.status_code == 400 and 'id="event-zone-error"' in zone.text
        show = await post_form(http, PAGE, f"{PAGE}/gathering", **{
            **form, "kind": "trade_show", "join_url": ""})
        assert show.status_code == 400 and 'id="event-place-error"' in show.text
        ok = await post_form(http, PAGE, f"{PAGE}/gathering", **form)
        assert ok.status_code == 303 and "done=scheduled" in ok.headers["location"]
        async with app.uow() as uow:
            [webinar] = (await uow.session.execute(select(Gathering))).scalars()
            assert webinar.starts_at == datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
            await gatherings.rsvp(uow, ann.id, webinar.id, "going")
            await uow.commit()
            webinar_id = webinar.id
        page = await http.get(PAGE)
        assert "Pellet quality after the EN 17225 revision" in page.text
        assert "after the start" in page.text
        action = f"{PAGE}/gatherings/{webinar_id}/recording"
        assert action not in page.text  # not before it starts

        clock.advance(days=5, hours=3)
        await signed_in(app, http, admin)  # a console session lasts hours, not days
        wrong = await post_form(http, PAGE, action, url="not a link")
        assert wrong.status_code == 400 and f'id="rec{webinar_id}-url-error"' in wrong.text
        added = await post_form(http, PAGE, action, url="https://video.example.org/rec/42")
        assert added.status_code == 303 and "done=recorded" in added.headers["location"]
        assert (await post_form(http, PAGE, f"{PAGE}/gatherings/999/recording",
                                url="https://video.example.org/x")).status_code == 404
    [notice] = await told(app, ann.id, "recording of")
    assert "https://video.example.org/rec/42" in notice["text"]
    assert [s for s, _ in await audit_of(app, "gathering-published")] == [
        f"gathering:{webinar_id}"]
    assert [s for s, _ in await audit_of(app, "recording-added")] == [f"gathering:{webinar_id}"]


async def test_the_section_is_for_admins_and_every_form_needs_its_csrf_token(app):
    admin = await root(app)
    mia = await make_account(app, "mia")
    async with app.uow() as uow:
        await grants.grant(uow, admin.id, mia.id, "moderator")
        await uow.commit()
    async with client(app) as http:
        await signed_in(app, http, mia)
        assert (await http.get(PAGE)).status_code == 403
        assert f'href="{PAGE}"' not in (await http.get("/admin/moderation")).text
    async with client(app) as http:
        await signed_in(app, http, admin)
        forged = await http.post(f"{PAGE}/link", data={
            "csrf": "0" * 64, "topic": "Logistics", "title": "Sneaky", "url": "https://x.org"})
        assert forged.status_code == 403
    async with app.uow() as uow:
        assert (await uow.session.execute(select(LearningItem))).scalars().all() == []


async def test_a_pdf_of_several_megabytes_uploads_from_the_console_as_from_chat(app):
    """The console takes the same 10 MB as a chat upload (core.catalog.media.MAX_BYTES)."""
    admin = await root(app)
    report = PDF + b"%" + b"x" * (3 * 1024 * 1024)  # 3 MB, a comment after the file
    over = PDF + b"%" + b"x" * media.MAX_BYTES
    async with client(app) as http:
        await signed_in(app, http, admin)
        form = {"csrf": csrf_of((await http.get(PAGE)).text), "topic": "Pellet quality",
                "title": "ENplus handbook, full edition"}
        sent = await http.post(f"{PAGE}/pdf", data=form,
                               files={"file": ("handbook.pdf", report, "application/pdf")})
        refused = await http.post(f"{PAGE}/pdf", data=form,
                                  files={"file": ("huge.pdf", over, "application/pdf")})
    assert sent.status_code == 303, sent.text
    assert refused.status_code == 400 and 'id="pdf-file-error"' in refused.text
    assert "the limit is 10 MB" in refused.text
    async with app.uow() as uow:
        item = (await uow.session.execute(select(LearningItem))).scalar_one()
        assert app.engine.services.files.read(item.file_path) == report
