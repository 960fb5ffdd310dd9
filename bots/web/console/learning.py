"""Console library and events: what the library holds and what is on the calendar, and the
forms that publish a link or a PDF, a webinar, trade show or meetup, and a past webinar's
recording — through the same core services as the chat's /publish (core.learning), which
check again that the operator is an admin and write the audit entry in their transaction.

Each field is checked with the same core checks the chat uses, so a refusal is shown next to
its field; a PDF goes through the same type, size and content checks as every chat upload."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from bots.web.console.auth import Operator, Publisher, reading
from bots.web.console.pages import attempt, done, id_of, page
from bots.web.deps import ContainerDep, FilesDep
from conversations.sanitise import clean_text
from core.accounts.tables import Account
from core.catalog import media
from core.catalog.media import FileStore
from core.clock import local_time
from core.community import rules as community_rules
from core.errors import DomainError, NotFound
from core.learning import gatherings, library
from core.learning import rules as learning_rules

KINDS = learning_rules.KINDS


@dataclass
class Attempt:
    """One form as it was sent: which form, what was typed, and each field's refusal."""

    form: str = ""
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def check(self, name: str, rule: Any) -> Any:
        """Run a core check on one field, keeping its refusal under the field's id."""
        try:
            return rule()
        except DomainError as exc:
            self.errors[f"{self.form}-{name}"] = str(exc)
            return None


router = APIRouter()


@router.get("/learning", response_class=HTMLResponse)
async def overview(request: Request, operator: Publisher) -> HTMLResponse:
    return await _page(request, operator)


@router.post("/learning/link")
async def publish_link(request: Request, operator: Publisher) -> Response:
    sent = await _sent(request, "link", ("topic", "title", "url", "summary"))
    _item_fields(sent)
    sent.check("url", lambda: community_rules.url(sent.values["url"]))
    return await _publish(request, operator, sent, "published", lambda uow: (
        library.publish_link(uow, operator.account_id, topic_name=sent.values["topic"],
                             title=sent.values["title"], url=sent.values["url"],
                             summary=sent.values["summary"])))


@router.post("/learning/pdf")
async def publish_pdf(request: Request, files: FilesDep, operator: Publisher) -> Response:
    sent = await _sent(request, "pdf", ("topic", "title", "summary"))
    _item_fields(sent)
    upload = (await request.form()).get("file")
    kept = await _kept_pdf(files, sent, upload)
    return await _publish(request, operator, sent, "published", lambda uow: (
        library.publish_pdf(uow, operator.account_id, topic_name=sent.values["topic"],
                            title=sent.values["title"], file_path=kept[0],
                            file_name=kept[1], mime_type="application/pdf",
                            summary=sent.values["summary"])))


@router.post("/learning/gathering")
async def publish_gathering(request: Request, container: ContainerDep, operator: Publisher
                            ) -> Response:
    sent = await _sent(request, "event", ("kind", "title", "starts", "zone", "minutes",
                                          "join_url", "place", "description"))
    v = sent.values
    kind = v["kind"] if v["kind"] in KINDS else ""
    if not kind:
        sent.errors["event-kind"] = "Pick a webinar, a trade show or a meetup."
    sent.check("title", lambda: community_rules.text(v["title"], "title", minimum=3, maximum=120,
                                            one_line=True))
    zone = sent.check("zone", lambda: _zone(v["zone"]))
    starts = sent.check("starts", lambda: gatherings.parse_when(
        v["starts"], zone or "UTC", container.clock.now())) \
        if zone else None
    minutes = sent.check("minutes", lambda: _minutes(v["minutes"]))
    if kind == "webinar":
        sent.check("join_url", lambda: community_rules.url(v["join_url"], "join link"))
    elif kind:
        sent.check("place", lambda: community_rules.text(v["place"], "place", minimum=2, maximum=200,
                                                one_line=True))
    if v["description"]:
        sent.check("description", lambda: community_rules.text(v["description"], "description",
                                                      maximum=1500))
    if starts is None:  # refused, or its zone was: the page again with the errors (as _publish)
        return await _page(request, operator, sent)
    return await _publish(request, operator, sent, "scheduled", lambda uow: (
        gatherings.publish(uow, operator.account_id, kind=kind, title=v["title"],
                           starts_at=starts, minutes=minutes or 0,
                           description=v["description"],
                           join_url=v["join_url"] if kind == "webinar" else None,
                           place=v["place"] if kind != "webinar" else None)))


@router.post("/learning/gatherings/{gathering}/recording")
async def recording(request: Request, gathering: str, operator: Publisher
                    ) -> Response:
    number = id_of(gathering)
    if number is None:
        return _missing(request, operator)
    sent = await _sent(request, f"rec{number}", ("url",))
    sent.check("url", lambda: community_rules.url(sent.values["url"], "recording link"))
    return await _publish(request, operator, sent, "recorded", lambda uow: (
        gatherings.add_recording(uow, operator.account_id, number, sent.values["url"])))


async def _sent(request: Request, form: str, names: tuple[str, ...]) -> Attempt:
    """The form's fields as clean text (the form was read once by the CSRF check)."""
    data = await request.form()
    limits = {"description": 3000, "summary": 1000}
    return Attempt(form, {n: clean_text(data.get(n) if isinstance(data.get(n), str) else "",
                                        limits.get(n, 600)).strip() for n in names})


def _item_fields(sent: Attempt) -> None:
    v = sent.values
    sent.check("topic", lambda: library.topic(v["topic"]))
    sent.check("title", lambda: community_rules.text(v["title"], "title", minimum=3, maximum=120,
                                            one_line=True))
    if v["summary"]:
        sent.check("summary", lambda: community_rules.text(v["summary"], "summary",
                                                  maximum=library.MAX_SUMMARY))


async def _kept_pdf(store: FileStore, sent: Attempt, upload: Any) -> tuple[str, str]:
    """The uploaded report checked like every chat upload (declared type and size, then the
    bytes themselves) and kept in the file store: (path, file name); ("", "") when refused."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        sent.errors["pdf-file"] = "Choose the PDF file to upload."
        return "", ""
    name = clean_text(upload.filename, 200).strip() or "report.pdf"
    mime = (upload.content_type or "").split(";")[0].strip().lower()
    if mime != "application/pdf":
        sent.errors["pdf-file"] = "Please upload a PDF file."
        return "", ""
    try:
        media.check_upload("document", mime, upload.size or 0)
        data = await upload.read(media.MAX_BYTES + 1)
        if sent.errors:  # nothing is kept for a form that goes back anyway
            return "", ""
        _, path = media.keep(store, "document", name, mime, data)
    except DomainError as exc:
        sent.errors["pdf-file"] = str(exc)
        return "", ""
    return path, name


def _zone(name: str) -> str:
    clean = name or "UTC"
    try:
        ZoneInfo(clean)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError("Give a time zone like Europe/Riga or UTC.") from None
    return clean


def _minutes(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) not in learning_rules.MINUTES:
        raise DomainError("Give the length in minutes, 15 to 7200 (five days).")
    return int(text)


async def _publish(request: Request, operator: Operator, sent: Attempt, what: str,
                   action: Any) -> Response:
    """Publish in one transaction when every field passed; otherwise (or when core refuses)
    the page again with each refusal next to its field and what was typed kept."""
    if not sent.errors:
        failed = await attempt(request, action)
        if failed is None:
            return done("/admin/learning", what)
        if isinstance(failed, NotFound):
            return _missing(request, operator)
        sent.errors[f"{sent.form}-_"] = str(failed)
    return await _page(request, operator, sent)


def _missing(request: Request, operator: Operator) -> HTMLResponse:
    return page(request, operator, "admin/missing.html", status_code=404,
                message="There is no such webinar or event.")


async def _page(request: Request, operator: Operator, sent: Attempt | None = None
                ) -> HTMLResponse:
    async with reading(request) as uow:
        items = await library.recent(uow)
        found = await gatherings.latest(uow)
        account = await uow.get(Account, operator.account_id)
        now = uow.clock.now()
    zone = (account.timezone if account else None) or "UTC"
    rows = [(c, local_time(c.gathering.starts_at, zone), c.gathering.starts_at <= now)
            for c in found]
    sent = sent or Attempt()
    return page(request, operator, "admin/learning.html", status_code=400 if sent.errors else 200,
                items=items, gatherings=rows, topics=library.TOPICS, kinds=KINDS,
                marks=library.KIND_MARKS, zone=zone, form=sent.form, values=sent.values,
                errors=sent.errors)
