"""A consultant's reputation as people read it: no stars before any review, the plain mean of
the published reviews with their count (the Bayesian average only ranks), in the singular for
one. In chat on the consultants' fakes (tests/consulting/chat_fakes.py); the public page reads
the database (`app`)."""

from __future__ import annotations

from conversations.messages import Choice, ListPage
from core.catalog.media import FileStore
from core.consulting.profiles import service as profiles
from core.public import consultants as public
from tests.consulting import chat_fakes as in_memory
from tests.consulting.booking_fakes import MemoryDiary
from tests.consulting.fakes import MemoryListing
from tests.consulting.helpers import consultant
from tests.support.chat import ChatUser


async def _page_in_memory(tmp_path, stars: int | None = None) -> ChatUser:
    """Sid opens the only consultant from the directory, on the consultants' fakes: the result
    line, then the page; Cora (1) live, rated `stars` once if given."""
    diary, listing = MemoryDiary(), MemoryListing()
    cora = await in_memory.listed(diary, listing, FileStore(tmp_path), 1, "Cora")
    if stars is not None:
        await profiles.rated(listing.roster, cora, stars)
        in_memory.copied(diary, listing, cora)
    diary.person(2, "Sid", zone="Europe/Riga")
    sid = ChatUser(await in_memory.in_chat(diary, listing=listing), "sid")
    await sid.say("/consultants")
    await sid.tap("Everyone")
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    sid.subtitle = page.items[0].subtitle  # type: ignore[attr-defined]
    await sid.send(Choice(page.items[0].button.data))
    return sid


async def test_a_consultant_with_no_reviews_shows_no_stars_in_chat(tmp_path):
    sid = await _page_in_memory(tmp_path)
    assert "No reviews yet" in sid.texts() and "★" not in sid.texts()
    assert "★" not in sid.subtitle  # type: ignore[attr-defined]


async def test_a_consultant_with_no_reviews_shows_no_stars_on_the_website(app):
    cora = await consultant(app, "cora")
    async with app.uow() as uow:
        assert (await public.consultant(uow, cora.id)).rating == "No reviews yet"


async def test_one_four_star_review_shows_4_0_from_1_review_in_chat(tmp_path):
    sid = await _page_in_memory(tmp_path, stars=4)
    assert "★ 4.0 from 1 review ·" in sid.texts(), sid.texts()
    assert "★ 4.0 (1)" in sid.subtitle  # type: ignore[attr-defined]


async def test_one_four_star_review_shows_4_0_from_1_review_on_the_website(app):
    cora = await consultant(app, "cora")
    async with app.uow() as uow:
        await profiles.rated(uow, cora.id, 4)
        await uow.commit()
    async with app.uow() as uow:
        assert (await public.consultant(uow, cora.id)).rating == "★ 4.0 from 1 review"


async def test_a_bio_and_headline_with_an_email_and_a_phone_are_masked_in_chat(tmp_path):
    _, sid = await in_memory.opened(  # on the consultants' fakes
        tmp_path, headline="Audits — call +371 2612 3456",
        bio="Write to cora@example.com or call +371 2612 3456 for audits.")
    assert "cora@example.com" not in sid.texts() and "2612 3456" not in sid.texts()
    assert "Write to [contact details hidden]" in sid.texts()
    assert "2612" not in sid.subtitle  # type: ignore[attr-defined]
