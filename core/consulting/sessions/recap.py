"""The session recap: the chat transcript and the consultant's notes as a PDF (Unicode, as
every document). The seeker gets it free, or for `AGORA_RECAP_PRICE` charged through the money
layer's plain charge; the consultant and admins may always read it. Also the files session
notices carry, rendered when they leave."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from core.catalog.media import FileStore
from core.consulting.sessions import money as session_money
from core.consulting.sessions.events import RecapGranted, RecapRequested
from core.consulting.sessions.lifecycle import CONSULTANT, ENDED, SEEKER, role_of
from core.consulting.sessions.logbook import Logbook
from core.consulting.sessions.sql_logbook import logbook_of
from core.consulting.sessions.tables import ConsultSession, SessionMessage
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import N_, _, present
from core.money.model import Money
from core.notifications.delivery import Attachment, Resolver
from core.storage.uow import UnitOfWork

MAX_NOTES = 20_000
KINDS = {"voice": N_("voice note"), "photo": N_("photo"), "file": N_("file")}


def reference(session_id: int) -> str:
    """How the money layer names a recap's charge."""
    return f"recap:{session_id}"


def session_of(reference_text: str) -> int | None:
    """The session a recap charge's reference names, if it names one."""
    head, __, number = reference_text.partition(":")
    return int(number) if head == "recap" and number.isdigit() else None


async def _session(book: Logbook, session_id: int, actor_id: int | None
                   ) -> tuple[ConsultSession, str]:
    session = await book.session(session_id)
    role = await role_of(book, session, actor_id) if session is not None else None
    if session is None or role is None:
        raise NotFound(_("That session doesn't exist."))
    return session, role


async def set_notes(uow: UnitOfWork | Logbook, session_id: int, consultant_id: int, notes: str
                    ) -> ConsultSession:
    """The consultant's recap notes (replacing earlier ones)."""
    session, role = await _session(logbook_of(uow), session_id, consultant_id)
    if role != CONSULTANT:
        raise NotAllowed(_("The consultant writes the recap notes."))
    if len(notes.strip()) > MAX_NOTES:
        raise DomainError(_("Recap notes have at most {max_notes} characters.", max_notes=MAX_NOTES))
    session.recap_notes = notes.strip() or None
    return session


def price(uow: UnitOfWork | Logbook, currency: str) -> Money:
    """The recap's price in the session's currency (0: free)."""
    return logbook_of(uow).recap_price(currency)


async def request(uow: UnitOfWork | Logbook, session_id: int, seeker_id: int) -> Money:
    """The seeker asks for the recap: sent at once when free (or already paid); otherwise the
    money layer charges its price and sends it when paid. Returns what it costs now."""
    book = logbook_of(uow)
    session, role = await _session(book, session_id, seeker_id)
    if role != SEEKER:
        raise NotAllowed(_("The recap is offered to the seeker."))
    if session.status not in ENDED:
        raise Conflict(_("The recap is ready once the session has ended."))
    cost = price(book, session.currency)
    if session.recap_granted_at is not None or cost.amount == 0:
        await grant(book, session.id, again=True)
        return Money(0, session.currency)
    book.emit(RecapRequested(session.id, seeker_id, cost))
    return cost


async def grant(uow: UnitOfWork | Logbook, session_id: int, again: bool = False) -> bool:
    """The seeker may have the recap (free, or its charge was paid): it is sent to them once
    (`again`: sent again when asked). False when it was granted before."""
    book = logbook_of(uow)
    first = await book.grant_recap(session_id, book.now())
    if first or again:
        book.emit(RecapGranted(session_id))
    return first


async def recap_pdf(uow: UnitOfWork | Logbook, session_id: int, actor_id: int | None) -> bytes:
    """The recap as a PDF: the consultant, admins and the system may read it; the seeker once
    it is theirs. In the current reader's language (not a legal document: no English beside
    it); what was said and written in the session as it was."""
    book = logbook_of(uow)
    session, role = await _session(book, session_id, actor_id)
    if role == SEEKER and session.recap_granted_at is None:
        raise NotAllowed(_("Ask for the recap first."))
    names = await book.names((session.seeker_id, session.consultant_id))
    messages = await book.messages(session.id)
    # What the document says is read here, and it is drawn off the event loop (core.pdf).
    lines = [f"{_clock(session, message)}  {names.get(message.sender_id, '?')}: {_body(message)}"
             for message in messages]
    return await asyncio.to_thread(_draw, session.id, _facts(session, names),
                                   session.recap_notes, lines)


def _draw(session_id: int, facts: list[tuple[str, str]], notes: str | None,
          lines: list[str]) -> bytes:
    from core.pdf import Document  # loaded when drawing (core.pdf)
    doc = Document(_("Session #{id} recap", id=session_id),
                   footer=_("Agora session #{id}", id=session_id), legal=False)
    doc.heading(_("Session #{id} — recap", id=session_id))
    doc.fields(facts)
    doc.section(_("Consultant's notes"))
    doc.paragraph(notes or _("No notes yet."), grey=not notes)
    doc.section(_("Transcript"))
    if not lines:
        doc.paragraph(_("No messages were exchanged in the chat."), grey=True)
    for line in lines:
        doc.paragraph(line)
    return doc.render()


def _facts(session: ConsultSession, names: dict[int, str]) -> list[tuple[str, str]]:
    rate = session_money.rate_of(session)
    rows = [(_("Consultant"), names.get(session.consultant_id, "?")),
            (_("Seeker"), names.get(session.seeker_id, "?")),
            (_("Rate"), _("{rate} per minute", rate=rate) if session.rate_unit == "minute"
             else _("{rate} per session", rate=rate))]
    if session.started_at is not None:
        rows.append((_("Started"), present.local(_aware(session.started_at))))
    if session.started_at is not None and session.ended_at is not None:
        rows.append((_("Length"),
                     _mmss(int((session.ended_at - session.started_at).total_seconds()))))
    if (charged := session_money.charged_of(session)) is not None:
        rows.append((_("Charged"), str(charged)))
    return rows


def _aware(moment: datetime) -> datetime:
    """A stored instant (UTC; SQLite hands it back without its zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _body(message: SessionMessage) -> str:
    if message.file_path:
        caption = "" if message.text.startswith("📎") else f" — {message.text}"
        kind = _(KINDS.get(message.kind, KINDS["file"]))
        return f"[{kind}: {message.file_name}]{caption}"
    return message.text


def _clock(session: ConsultSession, message: SessionMessage) -> str:
    if session.started_at is None or message.created_at < session.started_at:
        return _("[before]")
    return f"[{_mmss(int((message.created_at - session.started_at).total_seconds()))}]"


def _mmss(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def resolvers(uow_factory: Callable[[], UnitOfWork], files: FileStore) -> dict[str, Resolver]:
    """The attachment kinds sessions render, for the dispatchers (wired by the composition root)."""

    async def session_file(key: str) -> Attachment:
        async with uow_factory() as uow:
            message = await logbook_of(uow).message(int(key))
            if message is None or not message.file_path:
                raise NotFound(_("That file is no longer there."))
            name, path, mime = message.file_name, message.file_path, message.mime_type
        return Attachment(name or "file", files.read(path), mime or "application/octet-stream")

    async def session_recap(key: str) -> Attachment:
        async with uow_factory() as uow:
            pdf = await recap_pdf(uow, int(key), None)
        return Attachment(f"agora-session-{key}-recap.pdf", pdf, "application/pdf")

    return {"session-file": session_file, "session-recap": session_recap}
