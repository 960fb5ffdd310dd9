"""Console: one company's API keys — the colleague each acts as, its scopes, its last use —
made for a colleague (shown once, on the page that made it) and revoked, by an Agora admin,
through core.console.api_keys, on the companies' own key services."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.console.auth import KeyKeeper, Operator, reading
from bots.web.console.pages import done, field, id_of, page
from bots.web.deps import get_container
from core.companies import api_key_rules as key_rules
from core.console import api_keys
from core.errors import DomainError, NotFound

router = APIRouter()


async def _page(request: Request, operator: Operator, company_id: int, token: str = "",
                errors: dict[str, str] | None = None) -> Response:
    try:
        async with reading(request) as uow:
            found = await api_keys.company_page(uow, operator.account_id, company_id)
    except NotFound:
        return page(request, operator, "admin/missing.html", status_code=404,
                    message="There is no such company.")
    return page(request, operator, "admin/company_keys.html",
                status_code=400 if errors else 200, found=found, token=token,
                errors=errors or {}, scopes=key_rules.SCOPES)


@router.get("/companies/{company_id}", response_class=HTMLResponse)
async def company(request: Request, operator: KeyKeeper, company_id: int) -> Response:
    return await _page(request, operator, company_id)


@router.post("/companies/{company_id}/keys", response_class=HTMLResponse)
async def make(request: Request, operator: KeyKeeper, company_id: int) -> Response:
    """A new key, shown on the answer to this POST alone."""
    holder = id_of(await field(request, "holder", 20))
    scopes = [str(s) for s in (await request.form()).getlist("scopes")][:len(key_rules.SCOPES)]
    name = await field(request, "name", key_rules.NAME_LIMIT * 2)
    if holder is None:
        return await _page(request, operator, company_id, errors={"holder": "Choose a colleague."})
    try:
        async with get_container(request).uow() as uow:
            made = await api_keys.create(uow, operator.account_id, company_id,
                                                     name, scopes, holder)
            await uow.commit()
    except DomainError as exc:
        return await _page(request, operator, company_id, errors={"_": str(exc)})
    return await _page(request, operator, company_id, token=made.token)


@router.post("/companies/{company_id}/keys/{key_id}/revoke")
async def revoke(request: Request, operator: KeyKeeper, company_id: int, key_id: int
                 ) -> Response:
    try:
        async with get_container(request).uow() as uow:
            await api_keys.revoke(uow, operator.account_id, company_id, key_id)
            await uow.commit()
    except DomainError as exc:
        return await _page(request, operator, company_id, errors={"_": str(exc)})
    return done(f"/admin/companies/{company_id}", "key-revoked")
