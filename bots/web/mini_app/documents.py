"""A member's own documents in the Mini App — a deal's frozen terms and carbon receipt, the
sampling record of its independent inspection, and the yearly carbon statement — opened
outside the app (Telegram's `openLink`), where no initData travels with the request. The app
hands the member a link signed for them alone: the kind, what it is of (the deal, or the
statement's year), the account and an hour's end, with an HMAC keyed by the bot's token (as
Telegram keys initData). Core draws the PDF for that account and checks again that it is
theirs to read (core.deals.terms.pdf, core.deals.after_sale, core.deals.carbon.statement;
core.consulting.inspections gives the record as the inspector sent it). A payment document has
its own address already: its secret token (bots.payments_web). One way for every document, so
each opens where Telegram can save it."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import Response

from bots.web.deps import ContainerDep, FilesDep
from config.settings import Settings
from core.accounts.tables import Account
from core.catalog.media import FileStore
from core.consulting.inspections import service as inspections
from core.deals.after_sale.carbon_receipt import carbon_receipt_pdf
from core.deals.carbon.statement import carbon_statement_pdf, statement_file_name
from core.deals.room import CARBON, TERMS
from core.deals.terms.pdf import terms_pdf
from core.errors import DomainError
from core.money.reading import read_for
from core.storage.uow import UnitOfWork

STATEMENT = "statement"  # the member's carbon statement of a year
RECORD = "inspection"  # the sampling record of the deal's inspection, as sent
LIFETIME = 3600  # seconds: as long as the initData that opened the room
NAME = re.compile(rf"({TERMS}|{CARBON}|{STATEMENT}|{RECORD})"
                  rf"-(\d{{1,12}})-(\d{{1,12}})-(\d{{1,12}})-([0-9a-f]{{32}})\.pdf")
router = APIRouter(include_in_schema=False)


def _signature(settings: Settings, body: str) -> str:
    key = hmac.new((settings.telegram_token or "").encode(), b"agora:deal-document",
                   hashlib.sha256).digest()
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:32]


def link(settings: Settings, kind: str, of: int, account_id: int, now: datetime) -> str:
    """The address of one of the member's documents (`of`: the deal, or the statement's year),
    for this account, for an hour."""
    body = f"{kind}-{of}-{account_id}-{int(now.timestamp()) + LIFETIME}"
    return f"{settings.public_url.rstrip('/')}/app/documents/{body}-{_signature(settings, body)}.pdf"


@router.get("/app/documents/{name}")
async def document(container: ContainerDep, files: FilesDep, name: str) -> Response:
    """The PDF a signed link names, drawn in its reader's language; 404 for anything else (a
    forged, altered or expired link, or a deal no longer theirs to read)."""
    found = NAME.fullmatch(name)
    settings = container.settings
    if found is None or not settings.telegram_token:
        return _missing()
    kind, of, account, ends, signature = found.groups()
    if not hmac.compare_digest(signature, _signature(settings, name[:found.start(5) - 1])) \
            or int(ends) < container.clock.now().timestamp():
        return _missing()
    number, account_id = int(of), int(account)
    try:
        async with container.uow() as uow:
            read_for(await uow.get(Account, account_id))
            if kind == RECORD:
                return await _record(uow, files, number, account_id)
            if kind == STATEMENT:
                pdf = await carbon_statement_pdf(uow, account_id, number)
            else:
                pdf = await (terms_pdf if kind == TERMS else carbon_receipt_pdf)(uow, number,
                                                                                 account_id)
    except DomainError:
        return _missing()
    name = statement_file_name(number) if kind == STATEMENT \
        else f"agora-deal-{number}-{kind}.pdf"
    return Response(pdf, media_type="application/pdf", headers={
        "content-disposition": f'inline; filename="{name}"',
        "cache-control": "private, no-store"})


async def _record(uow: UnitOfWork, files: FileStore, deal_id: int, account_id: int) -> Response:
    """The sampling record of the deal's inspection, for whoever may read the inspection."""
    found = await inspections.of_deal(uow, deal_id, account_id)
    kept = await inspections.record(uow, found.id, account_id) if found is not None else None
    if kept is None:
        return _missing()
    return Response(files.read(kept.path), media_type=kept.mime_type, headers={
        "content-disposition": f'inline; filename="{kept.name}"',
        "cache-control": "private, no-store"})


def _missing() -> Response:
    return Response("No such document.", status_code=404, media_type="text/plain")
