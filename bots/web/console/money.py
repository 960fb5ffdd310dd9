"""Console money: ledger balances per account type, the journals of a deal or a session, the
reconciliation report, and promotions with what they earned."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bots.web.console.auth import FinanceViewer, PromotionViewer, reading
from bots.web.console.pages import page
from bots.web.deps import ContainerDep, PaymentsDep
from core.consulting.profiles import promotions
from payments import reports

REFERENCE = re.compile(r"(deal|booking):[1-9][0-9]{0,17}")


router = APIRouter()


@router.get("/payments", response_class=HTMLResponse)
async def payments_page(request: Request, container: ContainerDep, payments: PaymentsDep,
                        operator: FinanceViewer) -> HTMLResponse:
    reference = request.query_params.get("reference", "").strip()[:40]
    error = ""
    if reference and not REFERENCE.fullmatch(reference):
        error, reference = "Type deal:NUMBER or booking:NUMBER, e.g. deal:12.", reference
    async with reading(request) as uow:
        balances = await reports.balances(uow, operator.account_id)
        journals = (await reports.journals_of(uow, operator.account_id, reference)
                    if reference and not error else [])
        checked = request.query_params.get("reconcile") == "1"
        report = (await reports.reconcile_report(uow, operator.account_id, payments.provider)
                  if checked else None)
    return page(request, operator, "admin/payments.html", status_code=400 if error else 200,
                balances=balances, reference=reference, journals=journals, error=error,
                report=report, provider=container.settings.payments_provider)


@router.get("/promotions", response_class=HTMLResponse)
async def promotions_page(request: Request, operator: PromotionViewer) -> HTMLResponse:
    async with reading(request) as uow:
        found = await promotions.overview(uow, operator.account_id)
        now = uow.clock.now()
    return page(request, operator, "admin/promotions.html", found=found, now=now)
