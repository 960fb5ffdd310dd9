"""Console requests for supply: every request with its buyer, status and quotes, and a
moderator's cancellation with a reason (core.deals.requests.desk tells everyone)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.console.auth import DealViewer, Moderator, Operator, reading
from bots.web.console.pages import attempt, done, field, id_of, page
from core.catalog.taxonomy import product
from core.deals.requests import desk as request_desk
from core.deals.requests import service as supply_requests

router = APIRouter()


async def _page(request: Request, operator: Operator, errors: dict[str, str] | None = None
                ) -> HTMLResponse:
    async with reading(request) as uow:
        found = await request_desk.every_request(uow, operator.account_id)
    return page(request, operator, "admin/requests.html", status_code=400 if errors else 200,
                rows=found, errors=errors or {}, product=product, asked=supply_requests.asked)


@router.get("/requests", response_class=HTMLResponse)
async def requests(request: Request, operator: DealViewer) -> HTMLResponse:
    return await _page(request, operator)


@router.post("/requests/{number}/cancel")
async def cancel(request: Request, number: str, operator: Moderator) -> Response:
    request_id, reason = id_of(number), await field(request, "reason", 600)
    if request_id is None:
        return await _page(request, operator, {"reason": "There is no such request."})
    failed = await attempt(request, lambda uow: request_desk.cancel(
        uow, operator.account_id, request_id, reason))
    if failed is None:
        return done("/admin/requests", "request-cancelled")
    return await _page(request, operator, {f"reason-{request_id}": str(failed)})
