"""The library as use cases: admins publish reports and guides (a link, or a PDF already kept
in the file store) under a topic; consultants publish insights (a short article with an
optional link) shown with their name; everyone reads by topic. They hand back frozen read
models (`ItemView`, `ItemCard`), never the rows, which stay in core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.accounts.tables import Account
from core.community import rules as community_rules
from core.consulting.tables import ConsultantProfile
from core.errors import DomainError, NotAllowed, NotFound
from core.i18n import N_, _
from core.learning.tables import LearningItem
from core.operators import audit
from core.operators.roles import require_admin
from core.storage.uow import UnitOfWork

# Kept in English on each item; shown to a reader as _(topic).
TOPICS = (N_("Pellet quality"), N_("Logistics"), N_("Biogas and biomethane"), N_("Liquid biofuels"),
          N_("Markets and prices"), N_("Regulation and certification"), N_("Consulting practice"))
KIND_MARKS = {"link": "🔗", "pdf": "📄", "insight": "💡"}
MAX_SUMMARY = 300
MAX_INSIGHT = 1500


@dataclass(frozen=True)
class ItemView:
    """A library item: a report or guide (a link, or a PDF in the file store) or an insight."""

    id: int
    kind: str  # link | pdf | insight (KIND_MARKS)
    topic: str  # one of TOPICS, in English
    title: str
    summary: str  # an insight's whole text
    url: str | None
    file_path: str | None  # in the FileStore
    file_name: str | None
    author_id: int
    created_at: datetime


def item_view(row: LearningItem) -> ItemView:
    """The read model of a library item's row."""
    return ItemView(id=row.id, kind=row.kind, topic=row.topic, title=row.title,
                    summary=row.summary, url=row.url, file_path=row.file_path,
                    file_name=row.file_name, author_id=row.author_id, created_at=row.created_at)


@dataclass(frozen=True)
class ItemCard:
    item: ItemView
    author: str


def topic(value: str) -> str:
    """One of the library's topics, or a polite refusal."""
    if value not in TOPICS:
        raise DomainError(_("Pick one of the topics offered."))
    return value


async def publish_link(uow: UnitOfWork, admin_id: int | None, *, topic_name: str, title: str,
                       url: str, summary: str = "") -> ItemView:
    """An admin adds a report or guide that lives on the web."""
    await require_admin(uow, admin_id)
    row = _add(uow, "link", admin_id, topic_name, title, summary, url=community_rules.url(url))
    return await _audited(uow, admin_id, row)


async def publish_pdf(uow: UnitOfWork, admin_id: int | None, *, topic_name: str, title: str,
                      file_path: str, file_name: str, mime_type: str, summary: str = ""
                      ) -> ItemView:
    """An admin adds a PDF report (already checked and kept by the upload checks)."""
    await require_admin(uow, admin_id)
    if mime_type != "application/pdf" or not file_path:
        raise DomainError(_("Send the report as a PDF file."))
    row = _add(uow, "pdf", admin_id, topic_name, title, summary, file_path=file_path,
               file_name=file_name[:200])
    return await _audited(uow, admin_id, row)


async def _audited(uow: UnitOfWork, admin_id: int | None, row: LearningItem) -> ItemView:
    """An admin's publication goes in the audit log, in the same transaction."""
    await uow.session.flush()
    await audit.record(uow, admin_id, "resource-published", f"resource:{row.id}",
                       kind=row.kind, topic=row.topic, title=row.title)
    return item_view(row)


async def publish_insight(uow: UnitOfWork, consultant_id: int | None, *, topic_name: str,
                          title: str, text: str, url: str | None = None) -> ItemView:
    """A consultant publishes a short insight, shown with their name and a link to their profile."""
    if consultant_id is None or await uow.get(ConsultantProfile, consultant_id) is None:
        raise NotAllowed(_("Insights are written by consultants; set up your consultant profile "
                           "first."))
    body = community_rules.text(text, "insight", minimum=20, maximum=MAX_INSIGHT)
    link = community_rules.url(url) if url else None
    row = _add(uow, "insight", consultant_id, topic_name, title, body, url=link)
    await uow.session.flush()  # its id, for the read model
    return item_view(row)


async def topics(uow: UnitOfWork) -> list[tuple[str, int]]:
    """Each topic with how many items it holds (every topic, in a fixed order)."""
    counts = dict((await uow.session.execute(select(LearningItem.topic, func.count())
                                             .group_by(LearningItem.topic))).all())
    return [(t, counts.get(t, 0)) for t in TOPICS]


async def items(uow: UnitOfWork, topic_name: str, limit: int = 30) -> list[ItemCard]:
    """A topic's items, the newest first, with their authors' names."""
    found = list((await uow.session.execute(select(LearningItem).where(
        LearningItem.topic == topic(topic_name)).order_by(LearningItem.id.desc()).limit(limit)
    )).scalars())
    return await _with_authors(uow, found)


async def _with_authors(uow: UnitOfWork, found: list[LearningItem]) -> list[ItemCard]:
    names = dict((await uow.session.execute(select(Account.id, Account.display_name).where(
        Account.id.in_({i.author_id for i in found})))).all()) if found else {}
    return [ItemCard(item_view(i), names.get(i.author_id, "Agora")) for i in found]


async def recent(uow: UnitOfWork, limit: int = 100) -> list[ItemCard]:
    """Every topic's items together, the newest first, with their authors' names."""
    found = list((await uow.session.execute(select(LearningItem).order_by(
        LearningItem.id.desc()).limit(limit))).scalars())
    return await _with_authors(uow, found)


async def item(uow: UnitOfWork, item_id: int) -> ItemCard:
    found = await uow.get(LearningItem, item_id)
    if found is None:
        raise NotFound(_("That item is no longer in the library."))
    author = await uow.get(Account, found.author_id)
    return ItemCard(item_view(found), author.display_name if author else "Agora")


def _add(uow: UnitOfWork, kind: str, author_id: int | None, topic_name: str, title: str,
         summary: str, **where: str | None) -> LearningItem:
    assert author_id is not None
    row = LearningItem(kind=kind, topic=topic(topic_name),
                       title=community_rules.text(title, "title", minimum=3, maximum=120, one_line=True),
                       summary=community_rules.text(summary, "summary", maximum=MAX_SUMMARY)
                       if kind != "insight" and summary.strip() else summary if kind == "insight"
                       else "", author_id=author_id, created_at=uow.clock.now(), **where)
    uow.add(row)
    return row
