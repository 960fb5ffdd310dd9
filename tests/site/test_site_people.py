"""Consultant pages and testimonials: only live consultants, only reviews and ratings whose
authors allowed a quote in chat, named by first name and company initial."""

from __future__ import annotations

import re

from conversations.messages import Choice
from core.consulting.packages import service as packages
from core.consulting.profiles import service as profiles
from core.consulting.sessions import reviews
from core.consulting.sessions import service as sessions
from core.consulting.tables import ConsultantProfile
from core.deals.after_sale import service as after_sale
from tests.consulting.helpers import consultant
from tests.consulting.session_support import act, live
from tests.deals.timer_support import completed
from tests.site.conftest import BOT, PUBLIC_URL
from tests.site.test_site_pages import meta
from tests.support.accounts import registered
from tests.support.chat import ChatUser


async def _reviewed_session(app, clock, seeker_id, consultant_id, booking_id=1) -> int:
    session_id = await live(app, seeker_id, consultant_id, booking_id=booking_id)
    clock.advance(minutes=20)
    await act(app, sessions.end, session_id, seeker_id)
    return session_id


async def test_a_live_consultants_page_shows_the_profile_quotable_reviews_and_replies(
        site_app, web, clock):
    cora = await consultant(site_app, "cora")
    ann = await registered(site_app, "ann", display_name="Ann Ozola", company="Baltic Pellets")
    bob = await registered(site_app, "bob", display_name="Bob Smith")
    quoted = await _reviewed_session(site_app, clock, ann.id, cora.id, 1)
    silent = await _reviewed_session(site_app, clock, bob.id, cora.id, 2)
    review = await act(site_app, reviews.review, quoted, ann.id, 5, "Sharp <b>audit</b> advice",
                       quote_ok=True)
    await act(site_app, reviews.reply, review.id, cora.id, "Thank you, Ann!")
    await act(site_app, reviews.review, silent, bob.id, 3, "Not for the website")
    page = (await web.get(f"/consultants/{cora.id}")).text
    assert "<h1>Cora</h1>" in page and "Pellet quality auditor" in page
    assert "Twenty years of biomass sourcing" in page and "English, Latvian" in page
    assert "€80.00 per 60-minute session" in page
    assert "from 2 reviews · 2 sessions held" in page
    assert "Sharp &lt;b&gt;audit&lt;/b&gt; advice" in page and "Ann, B." in page
    assert "Thank you, Ann!" in page and "Ozola" not in page
    assert "Not for the website" not in page and "Bob" not in page
    assert f'href="https://t.me/{BOT}?start=consultant-{cora.id}"' in page
    assert meta(page, "og:type") == "profile"
    assert meta(page, "og:url") == f"{PUBLIC_URL}/consultants/{cora.id}"
    assert meta(page, "og:image") == f"{PUBLIC_URL}/consultants/{cora.id}/photo"
    assert 'alt="Photo of Cora"' in page
    directory = (await web.get("/consultants")).text
    assert f'href="/consultants/{cora.id}"' in directory and "1 consultant" in directory


async def test_an_inspectors_page_names_the_countries_they_sample_in(site_app, web):
    ines = await consultant(site_app, "ines", categories=["sampling-lab"], inspection_fee="150",
                            countries_served=["LV", "EE"])
    page = (await web.get(f"/consultants/{ines.id}")).text
    assert "<dt>Samples in</dt><dd>Estonia, Latvia</dd>" in page  # in the reader's words
    de = (await web.get(f"/consultants/{ines.id}", headers={"Accept-Language": "de"})).text
    assert "<dd>Estland, Lettland</dd>" in de


async def test_consultants_not_live_are_not_found(site_app, web):
    draft = await consultant(site_app, "dora", live=False)
    gone = await consultant(site_app, "cora")
    async with site_app.uow() as uow:
        await profiles.leave_directory(uow, gone.id)
        await uow.commit()
    for who in (draft.id, gone.id, 999999):
        response = await web.get(f"/consultants/{who}")
        assert response.status_code == 404 and "not in the directory" in response.text
    assert (await web.get(f"/consultants/{draft.id}/photo")).status_code == 404
    assert f"/consultants/{gone.id}<" not in (await web.get("/sitemap.xml")).text


async def test_a_rating_the_author_allowed_in_chat_is_quoted_on_the_home_page(site_app, web):
    sam, _, _, deal_id = await completed(site_app)
    buyer = ChatUser(site_app, "bob")
    await buyer.send(Choice(f"@do:rate_deal:{deal_id}"))
    await buyer.tap("★★★★★")
    for _ in range(3):
        await buyer.tap("Skip")
    await buyer.say("Dry pellets, on time, as agreed.")
    assert "May Agora quote your comment on its website?" in buyer.texts()
    await buyer.tap("Yes, quote me")
    assert "rating shows once" in buyer.texts()
    assert "Dry pellets" not in (await web.get("/")).text  # double-blind: not published yet
    async with site_app.uow() as uow:
        await after_sale.rate(uow, deal_id, sam.id, 4, comment="Quick payer")  # not allowed
        await uow.commit()
    home = (await web.get("/")).text
    assert "What members say" in home and "Dry pellets, on time, as agreed." in home
    assert "Bob, buyer of wood pellets" in home and "Quick payer" not in home


async def test_a_consultants_page_offers_the_next_free_times_and_a_book_button(site_app, web):
    cora = await consultant(site_app, "cora")
    page = (await web.get(f"/consultants/{cora.id}")).text
    times = re.findall(r'<time datetime="([0-9T:-]+Z)" data-local>([^<]+ UTC)</time>', page)
    assert 2 <= len(times) <= 6  # a few, in UTC until the visitor's clock shows them
    days = [stamp[:10] for stamp, __ in times]
    assert all(days.count(day) <= 2 for day in days)  # spread over the days
    assert f'href="https://t.me/{BOT}?start=consultant-{cora.id}" rel="nofollow">Book in ' \
           'Telegram</a>' in page
    hourless = await consultant(site_app, "dora")
    async with site_app.uow() as uow:  # hours taken away since going live
        (await uow.session.get(ConsultantProfile, hourless.id)).weekly_hours = {}
        await uow.commit()
    page = (await web.get(f"/consultants/{hourless.id}")).text
    assert "No free time in the next 7 days" in page and "<time" not in page


async def test_a_consultants_page_lists_the_packages_she_offers(site_app, web):
    cora = await consultant(site_app, "cora")
    page = (await web.get(f"/consultants/{cora.id}")).text
    assert "Session packages" not in page
    async with site_app.uow() as uow:
        await packages.offer(uow, cora.id, 5, 60, 10, 90, "full")
        await packages.offer(uow, cora.id, 3, 60, 0, 0, "none", monthly=True)
        await uow.commit()
    page = (await web.get(f"/consultants/{cora.id}")).text
    assert "5 × 60 min for €360.00 (€72.00 a session), valid 90 days" in page
    assert "you save €40.00" in page
    assert "3 × 60 min every month for €240.00 a month" in page
