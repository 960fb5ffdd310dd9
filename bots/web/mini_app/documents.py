"""The deal room's own documents — the frozen terms and the carbon receipt — opened outside the
Mini App (Telegram's `openLink`), where no initData travels with the request. The room hands a
party a link signed for them alone: the kind, the deal, the account and an hour's end, with an
HMAC keyed by the bot's token (as Telegram keys initData). Core draws the PDF for that account
and checks again that it is theirs to read (core.deals.terms.pdf, core.deals.after_sale). A
payment document has its own address already: its secret token (bots.payments_web)."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import Response

from bots.web.deps import ContainerDep
from config.settings import Settings
from core.accounts.tables import Account
from core.deals.after_sale.carbon_receipt import carbon_receipt_pdf
from core.deals.room import CARBON, TERMS
from core.deals.terms.pdf import terms_pdf
from core.errors import DomainError
from core.money.reading import read_for

LIFETIME = 3600  # seconds: as long as the initData that opened the room
NAME = re.compile(rf"({TERMS}|{CARBON})-(\d{{1,12}})-(\d{{1,12}})-(\d{{1,12}})-([0-9a-f]{{32}})\.pdf")
router = APIRouter(include_in_schema=False)


def _signature(settings: Settings, body: str) -> str:
    key = hmac.new((settings.telegram_token or "").encode(), b"agora:deal-document",
                   hashlib.sha256).digest()
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:32]


def link(settings: Settings, kind: str, deal_id: int, account_id: int, now: datetime) -> str:
    """The address of one of the deal's own documents, for this account, for an hour."""
    body = f"{kind}-{deal_id}-{account_id}-{int(now.timestamp()) + LIFETIME}"
    return f"{settings.public_url.rstrip('/')}/app/documents/{body}-{_signature(settings, body)}.pdf"


@router.get("/app/documents/{name}")
async def document(container: ContainerDep, name: str) -> Response:
    """The PDF a signed link names, drawn in its reader's language; 404 for anything else (a
    forged, altered or expired link, or a deal no longer theirs to read)."""
    found = NAME.fullmatch(name)
    settings = container.settings
    if found is None or not settings.telegram_token:
        return _missing()
    kind, deal, account, ends, signature = found.groups()
    if not hmac.compare_digest(signature, _signature(settings, name[:found.start(5) - 1])) \
            or int(ends) < container.clock.now().timestamp():
        return _missing()
    deal_id, account_id = int(deal), int(account)
    try:
        async with container.uow() as uow:
            read_for(await uow.get(Account, account_id))
            pdf = await (terms_pdf if kind == TERMS else carbon_receipt_pdf)(uow, deal_id,
                                                                             account_id)
    except DomainError:
        return _missing()
    return Response(pdf, media_type="application/pdf", headers={
        "content-disposition": f'inline; filename="agora-deal-{deal_id}-{kind}.pdf"',
        "cache-control": "private, no-store"})


def _missing() -> Response:
    return Response("No such document.", status_code=404, media_type="text/plain")
