"""The boards on the public site over HTTP: the seeded boards, posts with their replies, every
text escaped, contact details masked, authors by first name and company initial, hidden posts
absent."""

from __future__ import annotations

from core.community import boards
from tests.support.accounts import registered
from tests.tickets.helpers import with_admins

SCRIPT = "<script>alert('x')</script>"


async def _pellets(app) -> int:
    async with app.uow() as uow:
        [first, *_] = await boards.boards(uow, None)
        await uow.commit()
        return first.board.id


async def test_the_boards_page_lists_the_seeded_boards(web):
    page = await web.get("/boards")
    assert page.status_code == 200
    for title in ("Pellet quality", "Logistics in the Baltics", "Biogas", "Consulting"):
        assert title in page.text
    assert 'href="/boards/pellet-quality"' in page.text
    assert "/boards" in (await web.get("/sitemap.xml")).text


async def test_a_board_shows_posts_and_replies_escaped_masked_and_without_hidden_ones(site_app, web):
    ann = await registered(site_app, "ann", display_name="Ann Bērziņa", company="Baltic Pellets")
    bob = await registered(site_app, "bob", display_name="Bob Stone", company="Nordic Heat")
    root = await registered(site_app, "root")
    await with_admins(site_app, "terminal:root")
    board_id = await _pellets(site_app)
    async with site_app.uow() as uow:
        shown = await boards.post(uow, ann.id, board_id,
                                  f"Ash at 0.6% {SCRIPT} — call +371 2000 0000 or ann@example.com")
        await boards.reply(uow, bob.id, shown.id, "Ours are at 0.7% <b>bold</b>")
        gone = await boards.post(uow, bob.id, board_id, "Buy my pellets, cheapest in Riga!")
        await uow.commit()
    async with site_app.uow() as uow:
        await boards.hide(uow, root.id, gone.id, "Advertising")
        await uow.commit()

    page = await web.get("/boards/pellet-quality")
    assert page.status_code == 200
    html = page.text
    assert "Ash at 0.6%" in html and "Ours are at 0.7%" in html
    assert SCRIPT not in html and "&lt;script&gt;" in html and "<b>bold</b>" not in html
    assert "ann@example.com" not in html and "2000 0000" not in html
    assert "Ann, B." in html and "Bob, N." in html
    assert "Bērziņa" not in html and "Stone" not in html
    assert "cheapest in Riga" not in html
    assert (await web.get("/boards")).text.count("1 post ") == 1


async def test_an_unknown_board_is_not_found(web):
    assert (await web.get("/boards/no-such-board")).status_code == 404
    assert (await web.get("/boards/" + "x" * 500)).status_code == 404


async def test_the_events_page_lists_what_is_coming_escaped_and_without_join_links(site_app, web):
    from datetime import timedelta

    from core.learning import gatherings

    root = await registered(site_app, "root")
    await with_admins(site_app, "terminal:root")
    async with site_app.uow() as uow:
        start = uow.clock.now() + timedelta(days=3)
        await gatherings.publish(uow, root.id, kind="webinar", title=f"Biogas {SCRIPT}",
                                 starts_at=start, minutes=60,
                                 join_url="https://meet.example.org/secret-room")
        await gatherings.publish(uow, root.id, kind="meetup", title="Pellet people, Tartu",
                                 starts_at=start, minutes=120, place="Aparaaditehas, Tartu")
        await uow.commit()
    html = (await web.get("/events")).text
    assert "Pellet people, Tartu" in html and "Aparaaditehas, Tartu" in html
    assert "&lt;script&gt;" in html and SCRIPT not in html
    assert "secret-room" not in html
