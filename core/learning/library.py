"""The library as use cases: admins publish reports and guides (a link, or a PDF already kept
in the file store) under a topic; consultants publish insights (a short article with an
optional link) shown with their name; everyone reads by topic. They hand back frozen read
models (`ItemView`, `ItemCard`), never the rows, which stay in core.

Each use case asks only the library's shelf (`core.learning.shelf.Shelf`): given the unit of
work it works on the database (`SqlShelf`); given a shelf, on that one (the tests' in-memory
shelf), so its rules are tested without a database."""

from __future__ import annotations

from dataclasses import dataclass

from core.community import rules as community_rules
from core.errors import DomainError, NotAllowed, NotFound
from core.i18n import N_, _
from core.learning.shelf import ItemView, NewItem, Shelf, shelf_of
from core.storage.uow import UnitOfWork

# Kept in English on each item; shown to a reader as _(topic).
TOPICS = (N_("Pellet quality"), N_("Logistics"), N_("Biogas and biomethane"), N_("Liquid biofuels"),
          N_("Markets and prices"), N_("Regulation and certification"), N_("Consulting practice"))
KIND_MARKS = {"link": "🔗", "pdf": "📄", "insight": "💡"}
MAX_SUMMARY = 300
MAX_INSIGHT = 1500
UNKNOWN_AUTHOR = "Agora"  # an item whose author's account is gone


@dataclass(frozen=True)
class ItemCard:
    item: ItemView
    author: str


def topic(value: str) -> str:
    """One of the library's topics, or a polite refusal."""
    if value not in TOPICS:
        raise DomainError(_("Pick one of the topics offered."))
    return value


async def publish_link(uow: UnitOfWork | Shelf, admin_id: int | None, *, topic_name: str,
                       title: str, url: str, summary: str = "") -> ItemView:
    """An admin adds a report or guide that lives on the web."""
    shelf = shelf_of(uow)
    admin = await _admin(shelf, admin_id)
    item = _new(shelf, "link", admin, topic_name, title, summary, url=community_rules.url(url))
    return await _audited(shelf, admin, item)


async def publish_pdf(uow: UnitOfWork | Shelf, admin_id: int | None, *, topic_name: str,
                      title: str, file_path: str, file_name: str, mime_type: str,
                      summary: str = "") -> ItemView:
    """An admin adds a PDF report (already checked and kept by the upload checks)."""
    shelf = shelf_of(uow)
    admin = await _admin(shelf, admin_id)
    if mime_type != "application/pdf" or not file_path:
        raise DomainError(_("Send the report as a PDF file."))
    item = _new(shelf, "pdf", admin, topic_name, title, summary, file_path=file_path,
                file_name=file_name[:200])
    return await _audited(shelf, admin, item)


async def may_publish(uow: UnitOfWork | Shelf, account_id: int | None) -> None:
    """NotAllowed unless the account may publish to the library and the agenda (an admin)."""
    await _admin(shelf_of(uow), account_id)


async def _admin(shelf: Shelf, account_id: int | None) -> int:
    """The acting admin's id; NotAllowed for anyone else."""
    if account_id is None or not await shelf.is_admin(account_id):
        raise NotAllowed(_("That is for administrators."))
    return account_id


async def _audited(shelf: Shelf, admin_id: int, item: NewItem) -> ItemView:
    """An admin's publication goes in the audit log, in the same transaction."""
    stored = await shelf.put(item)
    await shelf.audit(admin_id, "resource-published", f"resource:{stored.id}",
                      kind=stored.kind, topic=stored.topic, title=stored.title)
    return stored


async def publish_insight(uow: UnitOfWork | Shelf, consultant_id: int | None, *,
                          topic_name: str, title: str, text: str, url: str | None = None
                          ) -> ItemView:
    """A consultant publishes a short insight, shown with their name and a link to their profile."""
    shelf = shelf_of(uow)
    if consultant_id is None or not await shelf.is_consultant(consultant_id):
        raise NotAllowed(_("Insights are written by consultants; set up your consultant profile "
                           "first."))
    body = community_rules.text(text, "insight", minimum=20, maximum=MAX_INSIGHT)
    link = community_rules.url(url) if url else None
    return await shelf.put(_new(shelf, "insight", consultant_id, topic_name, title, body,
                                url=link))


async def topics(uow: UnitOfWork | Shelf) -> list[tuple[str, int]]:
    """Each topic with how many items it holds (every topic, in a fixed order)."""
    counts = await shelf_of(uow).counts()
    return [(t, counts.get(t, 0)) for t in TOPICS]


async def items(uow: UnitOfWork | Shelf, topic_name: str, limit: int = 30) -> list[ItemCard]:
    """A topic's items, the newest first, with their authors' names."""
    shelf = shelf_of(uow)
    return await _with_authors(shelf, await shelf.newest(topic(topic_name), limit))


async def recent(uow: UnitOfWork | Shelf, limit: int = 100) -> list[ItemCard]:
    """Every topic's items together, the newest first, with their authors' names."""
    shelf = shelf_of(uow)
    return await _with_authors(shelf, await shelf.newest(None, limit))


async def item(uow: UnitOfWork | Shelf, item_id: int) -> ItemCard:
    """One item with its author's name; NotFound once it has left the library."""
    shelf = shelf_of(uow)
    found = await shelf.get(item_id)
    if found is None:
        raise NotFound(_("That item is no longer in the library."))
    [card] = await _with_authors(shelf, [found])
    return card


async def _with_authors(shelf: Shelf, found: list[ItemView]) -> list[ItemCard]:
    names = await shelf.names({i.author_id for i in found}) if found else {}
    return [ItemCard(i, names.get(i.author_id, UNKNOWN_AUTHOR)) for i in found]


def _new(shelf: Shelf, kind: str, author_id: int, topic_name: str, title: str,
         summary: str, **where: str | None) -> NewItem:
    """An item checked: a known topic, a title of 3 to 120 characters on one line, a report's
    summary of at most 300 (or none); an insight's text was checked by its use case."""
    if kind == "insight":
        words = summary
    elif summary.strip():
        words = community_rules.text(summary, "summary", maximum=MAX_SUMMARY)
    else:
        words = ""
    return NewItem(kind=kind, topic=topic(topic_name),
                   title=community_rules.text(title, "title", minimum=3, maximum=120,
                                              one_line=True),
                   summary=words, author_id=author_id, created_at=shelf.now(), **where)
