"""Console companies: which companies may pay on terms, for how many days and up to what they
owe at once — approved and withdrawn by Agora's finance, through core.deals.on_terms; and a
company's webhooks — its endpoints, their deliveries with every try, re-sent by support, and
an endpoint registered for a company that asks support for help (core.webhooks.service)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.console.auth import Operator, Supporter, TermsApprover, reading
from bots.web.console.pages import attempt, done, field, id_of, page
from bots.web.deps import get_container
from core.accounts.model import CURRENCIES
from core.deals import on_terms
from core.errors import DomainError
from core.money.model import Money
from core.storage.uow import UnitOfWork
from core.webhooks import rules
from core.webhooks import service as webhooks

router = APIRouter()


async def _page(request: Request, operator: Operator, errors: dict[str, str] | None = None
                ) -> HTMLResponse:
    async with reading(request) as uow:
        found = await on_terms.approved_companies(uow, operator.account_id)
    return page(request, operator, "admin/companies.html", status_code=400 if errors else 200,
                companies=found, errors=errors or {}, currencies=CURRENCIES)


@router.get("/companies", response_class=HTMLResponse)
async def companies(request: Request, operator: TermsApprover) -> HTMLResponse:
    return await _page(request, operator)


@router.post("/companies/terms")
async def approve(request: Request, operator: TermsApprover) -> Response:
    company_id = id_of(await field(request, "company", 20))
    days, limit = await field(request, "days", 4), await field(request, "limit", 20)
    currency = (await field(request, "currency", 3)).upper()
    if company_id is None:
        return await _page(request, operator, {"company": "Choose a company."})
    try:
        amount = Money.parse(limit, currency if currency in CURRENCIES else "EUR")
    except DomainError as exc:
        return await _page(request, operator, {"limit": str(exc)})
    failed = await attempt(request, lambda uow: on_terms.approve(
        uow, operator.account_id, company_id, int(days) if days.isdigit() else 0, amount))
    if failed is None:
        return done("/admin/companies", "terms-approved")
    name = "days" if "net" in str(failed) else "limit" if "limit" in str(failed) else "company"
    return await _page(request, operator, {name: str(failed)})


@router.post("/companies/withdraw")
async def withdraw(request: Request, operator: TermsApprover) -> Response:
    company_id = id_of(await field(request, "company", 20))
    if company_id is None:
        return await _page(request, operator, {"company": "Choose a company."})
    failed = await attempt(request, lambda uow: on_terms.withdraw(
        uow, operator.account_id, company_id))
    if failed is None:
        return done("/admin/companies", "terms-withdrawn")
    return await _page(request, operator, {"company": str(failed)})


async def _webhooks_page(request: Request, operator: Operator, company_id: int,
                         status_code: int = 200, **shown: object) -> HTMLResponse:
    async with reading(request) as uow:
        found = await webhooks.company_endpoints(uow, operator.account_id, company_id)
    return page(request, operator, "admin/company_webhooks.html", status_code=status_code,
                company_id=company_id, endpoints=found, types=list(rules.EVENT_TYPES),
                **{"secret": None, "error": None, **shown})


@router.get("/companies/{company_id}/webhooks", response_class=HTMLResponse)
async def company_webhooks(request: Request, company_id: int, operator: Supporter
                           ) -> HTMLResponse:
    return await _webhooks_page(request, operator, company_id)


@router.post("/companies/{company_id}/webhooks", response_class=HTMLResponse)
async def register(request: Request, company_id: int, operator: Supporter) -> HTMLResponse:
    """An endpoint registered for the company; its secret is on this answer alone."""
    url = await field(request, "url", 500)
    types = [str(t) for t in (await request.form()).getlist("types")][:len(rules.EVENT_TYPES)]
    keys = get_container(request).engine.services.webhooks
    assert keys is not None  # config.container.build sets it
    made: list[webhooks.Registered] = []

    async def make(uow: UnitOfWork) -> None:
        made.append(await webhooks.console_register(uow, operator.account_id, company_id, keys,
                                                    url, types))

    failed = await attempt(request, make)
    if failed is not None:
        return await _webhooks_page(request, operator, company_id, status_code=400,
                                    error=str(failed))
    return await _webhooks_page(request, operator, company_id, secret=made[0].secret)
@router.post("/companies/{company_id}/webhooks/resend")
async def resend(request: Request, company_id: int, operator: Supporter) -> Response:
    delivery_id = id_of(await field(request, "delivery", 20))
    failed = None if delivery_id is None else await attempt(
        request, lambda uow: webhooks.console_resend(uow, operator.account_id, delivery_id))
    if delivery_id is None or failed is not None:
        return Response(str(failed or "Choose a delivery."), status_code=400)
    return done(f"/admin/companies/{company_id}/webhooks", "webhook-resent")
