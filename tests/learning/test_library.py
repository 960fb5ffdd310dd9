"""The library's use cases on an in-memory shelf (no database): who may publish what, what an
item must say, and how readers find items. The chat and the console reach the same use cases
on the database (`tests/community/test_events_and_library.py`,
`tests/console/test_console_learning.py`); `test_shelf_contract.py` holds the two shelves alike."""

from __future__ import annotations

import pytest

from core.errors import DomainError, NotAllowed, NotFound
from core.learning import library
from tests.learning.fakes import MemoryShelf

ROOT, CARA, EVE = 1, 2, 3
HANDBOOK = "https://enplus-pellets.eu/en-in/resources-en-in/documentation.html"


@pytest.fixture
def shelf() -> MemoryShelf:
    shelf = MemoryShelf()
    shelf.person(ROOT, "Root", admin=True)
    shelf.person(CARA, "Cara Vilks", consultant=True)
    shelf.person(EVE, "Eve")
    return shelf


async def test_an_admin_publishes_a_link_under_a_topic_and_it_is_audited(shelf):
    item = await library.publish_link(shelf, ROOT, topic_name="Pellet quality",
                                      title="  ENplus handbook, part 3 ", url=HANDBOOK,
                                      summary="The quality classes and limits")
    assert (item.kind, item.topic, item.title, item.url, item.author_id) == (
        "link", "Pellet quality", "ENplus handbook, part 3", HANDBOOK, ROOT)
    assert item.created_at == shelf.now()
    [entry] = shelf.audited
    assert (entry.actor_id, entry.action, entry.subject) == (
        ROOT, "resource-published", f"resource:{item.id}")
    assert entry.detail == {"kind": "link", "topic": "Pellet quality",
                            "title": "ENplus handbook, part 3"}


@pytest.mark.parametrize("who", [CARA, EVE, None])
async def test_only_an_admin_publishes_reports_and_guides(shelf, who):
    with pytest.raises(NotAllowed, match="administrators"):
        await library.publish_link(shelf, who, topic_name="Logistics", title="Rail or road",
                                   url=HANDBOOK)
    with pytest.raises(NotAllowed, match="administrators"):
        await library.publish_pdf(shelf, who, topic_name="Logistics", title="Rail or road",
                                  file_path="library/1.pdf", file_name="r.pdf",
                                  mime_type="application/pdf")
    assert shelf.items == [] and shelf.audited == []


async def test_a_link_must_be_a_web_address_and_a_title_fit_one_line():
    shelf = MemoryShelf()
    shelf.person(ROOT, "Root", admin=True)
    for url in ("ftp://files.example.org/handbook.pdf", "handbook", ""):
        with pytest.raises(DomainError, match="web address"):
            await library.publish_link(shelf, ROOT, topic_name="Logistics", title="Rail or road",
                                       url=url)
    for title, message in (("Hi", "at least 3"), ("x" * 121, "under"),
                           ("Rail\nor road", "one line")):
        with pytest.raises(DomainError, match=message):
            await library.publish_link(shelf, ROOT, topic_name="Logistics", title=title,
                                       url=HANDBOOK)
    with pytest.raises(DomainError, match="summary"):
        await library.publish_link(shelf, ROOT, topic_name="Logistics", title="Rail or road",
                                   url=HANDBOOK, summary="x" * (library.MAX_SUMMARY + 1))
    with pytest.raises(DomainError, match="topics offered"):
        await library.publish_link(shelf, ROOT, topic_name="Gossip", title="Rail or road",
                                   url=HANDBOOK)
    assert shelf.items == []


async def test_a_report_is_a_pdf_kept_in_the_file_store_with_a_name_of_at_most_200(shelf):
    item = await library.publish_pdf(shelf, ROOT, topic_name="Markets and prices",
                                     title="Baltic pellet prices, Q3", file_path="library/7.pdf",
                                     file_name="q" * 250 + ".pdf", mime_type="application/pdf")
    assert (item.kind, item.file_path, item.summary, item.url) == ("pdf", "library/7.pdf", "",
                                                                   None)
    assert item.file_name == "q" * 200
    for path, mime in (("library/8.png", "image/png"), ("", "application/pdf")):
        with pytest.raises(DomainError, match="as a PDF"):
            await library.publish_pdf(shelf, ROOT, topic_name="Markets and prices",
                                      title="Baltic pellet prices, Q4", file_path=path,
                                      file_name="q4", mime_type=mime)


async def test_a_consultant_writes_an_insight_of_20_to_1500_characters(shelf):
    text = "Ask for a sieve test at loading: most fines complaints start in the truck."
    item = await library.publish_insight(shelf, CARA, topic_name="Pellet quality",
                                         title="Fines at loading", text=text)
    assert (item.kind, item.summary, item.url, item.author_id) == ("insight", text, None, CARA)
    assert shelf.audited == []  # a consultant's own words are not an operator's action
    for short_or_long in ("Too short", "x" * (library.MAX_INSIGHT + 1)):
        with pytest.raises(DomainError, match="insight"):
            await library.publish_insight(shelf, CARA, topic_name="Pellet quality",
                                          title="Fines at loading", text=short_or_long)
    with pytest.raises(DomainError, match="web address"):
        await library.publish_insight(shelf, CARA, topic_name="Pellet quality",
                                      title="Fines at loading", text=text, url="sieve-test")


@pytest.mark.parametrize("who", [ROOT, EVE, None])
async def test_only_a_consultant_writes_insights(shelf, who):
    with pytest.raises(NotAllowed, match="consultant profile"):
        await library.publish_insight(shelf, who, topic_name="Pellet quality",
                                      title="Fines at loading",
                                      text="Ask for a sieve test at loading, always.")


async def test_readers_see_every_topic_with_its_count_and_each_topics_newest_first(shelf):
    old = await library.publish_link(shelf, ROOT, topic_name="Pellet quality",
                                     title="ENplus handbook", url=HANDBOOK)
    await library.publish_link(shelf, ROOT, topic_name="Logistics", title="Rail or road",
                               url=HANDBOOK)
    insight = await library.publish_insight(
        shelf, CARA, topic_name="Pellet quality", title="Fines at loading",
        text="Ask for a sieve test at loading: most fines complaints start in the truck.")
    counts = await library.topics(shelf)
    assert [t for t, _ in counts] == list(library.TOPICS)  # empty topics too, in a fixed order
    assert dict(counts)["Pellet quality"] == 2 and dict(counts)["Liquid biofuels"] == 0
    cards = await library.items(shelf, "Pellet quality")
    assert [(c.item.id, c.author) for c in cards] == [(insight.id, "Cara Vilks"),
                                                      (old.id, "Root")]
    assert [c.item.title for c in await library.recent(shelf, limit=2)] == [
        "Fines at loading", "Rail or road"]
    with pytest.raises(DomainError, match="topics offered"):
        await library.items(shelf, "Gossip")


async def test_an_item_whose_author_is_gone_is_signed_agora_and_a_missing_one_is_not_found(
        shelf):
    item = await library.publish_link(shelf, ROOT, topic_name="Logistics", title="Rail or road",
                                      url=HANDBOOK)
    assert (await library.item(shelf, item.id)).author == "Root"
    del shelf.people[ROOT]  # the account was deleted
    assert (await library.item(shelf, item.id)).author == library.UNKNOWN_AUTHOR
    with pytest.raises(NotFound, match="no longer in the library"):
        await library.item(shelf, item.id + 1)
