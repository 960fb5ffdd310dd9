"""The colleague's records: their deals (as a party) with their documents, and the company's
other deals they may see (finance and admins all, an approver those she approved), read only,
with the documents of their buyer's side for the company's books; each document's PDF and
EN 16931 e-invoice (the same files the chat, the site and the Mini App hand out, drawn in the
colleague's language; who may read one, payments decides: payments.readers); and their
account's statement from the ledger."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from bots.api import models
from bots.api.auth import Clerk, KeyUow, Reader
from bots.web.deps import PaymentsDep
from core.companies import api_paths as paths
from core.deals import company_deals, dashboard
from core.deals.room import DealDocument, company_room
from core.deals.views import deal_view
from core.i18n import _
from core.process.deals import BUYER, SELLER

router = APIRouter(tags=["records"])
COLLEAGUE = "colleague"  # a deal of the company the key's colleague may see, not theirs


@router.get("/deals", response_model=models.Deals)
async def deals(key: Reader, uow: KeyUow,
                limit: int = Query(20, ge=1, le=100)) -> models.Deals:
    """The colleague's deals, newest first; then, for finance, admins and approvers, the
    company's other deals they may see (read only, as the chat's company deals)."""
    own = await dashboard.my_deals(uow, key.account_id, limit)
    theirs = [row.id for row in await company_deals.company_deals(uow, key.account_id,
                                                                  limit)]
    seen = [await deal_view(uow, deal_id, key.account_id) for deal_id in theirs
            if deal_id not in {d.id for d in own}]
    return models.Deals(deals=[
        *(models.DealLine(id=d.id, title=d.title, role=d.role, status=d.status) for d in own),
        *(models.DealLine(id=v.deal.id, title=v.title, role=COLLEAGUE, status=v.deal.status)
          for v in seen)])


@router.get("/deals/{deal_id}", response_model=models.Deal)
async def deal(payments: PaymentsDep, key: Reader, uow: KeyUow,
               deal_id: int) -> models.Deal:
    """One deal the colleague is a party to, with its payment documents; or one of the
    company's they may see, read only."""
    room = await company_room(uow, payments, deal_id, key.account_id)
    role = room.view.role if room.view.role in (BUYER, SELLER) else COLLEAGUE
    documents = [_document(d) for d in room.documents if d.number]
    return models.Deal.of(room.view.deal, role, room.view.title, room.payment, documents)


def _document(document: DealDocument) -> models.Document:
    number = document.number or ""
    return models.Document(kind=document.kind, title=_(document.title), number=document.number,
                           total=models.amount(document.total), issued_at=document.issued_at,
                           pdf=paths.document_pdf(number), xml=paths.document_xml(number))


@router.get("/documents/{number}.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def document_pdf(payments: PaymentsDep, key: Clerk, uow: KeyUow, number: str) -> Response:
    """A payment document's PDF (a receipt, an invoice, a credit note…) the colleague is
    party to, or of a company deal they may see (its buyer's side)."""
    found, pdf = await payments.invoice_for(number, key.account_id, uow)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{found}.pdf"'})


@router.get("/documents/{number}.xml", response_class=Response,
            responses={200: {"content": {"application/xml": {}}}})
async def document_xml(payments: PaymentsDep, key: Clerk, uow: KeyUow, number: str,
                       syntax: Literal["cii", "ubl"] = "cii") -> Response:
    """A payment document's EN 16931 e-invoice: CII (as in its PDF) or UBL 2.1."""
    found, xml = await payments.einvoice_for(number, key.account_id, syntax, uow)
    suffix = "-ubl" if syntax == "ubl" else ""
    return Response(xml, media_type="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{found}{suffix}.xml"'})


@router.get("/statement", response_model=models.Statement)
async def statement(payments: PaymentsDep, key: Clerk, uow: KeyUow) -> models.Statement:
    """The colleague's account from the ledger: held, incoming, pending payout, paid out, and
    the latest movements."""
    wallet = await payments.wallet(key.account_id, uow)
    return models.Statement(
        held=[models.Amount.of(m) for m in wallet.held],
        incoming=[models.Amount.of(m) for m in wallet.incoming],
        pending=[models.Amount.of(m) for m in wallet.pending],
        paid_out=[models.Amount.of(m) for m in wallet.paid_out],
        movements=[models.Movement(day=m.when, text=m.text, amount=models.Amount.of(m.amount))
                   for m in wallet.movements])

