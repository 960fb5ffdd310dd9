"""Console people: users (search, a person's file, suspend and restore), console roles, and
the audit log — through core.operators and core.operators.suspension."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.console.auth import Auditor, Operator, RoleGranter, Suspender, UserViewer, reading
from bots.web.console.cases import _errors, _not_found
from bots.web.console.pages import attempt, done, field, id_of, page
from core.console import users
from core.errors import NotFound
from core.operators import audit, grants, suspension
from core.operators.rules import ROLE_LABELS, ROLES

SINCE = {"": None, "day": timedelta(days=1), "week": timedelta(days=7),
         "month": timedelta(days=31)}


router = APIRouter()


@router.get("/users", response_class=HTMLResponse)
async def search(request: Request, operator: UserViewer) -> HTMLResponse:
    wanted = request.query_params.get("q", "")[:100]
    async with reading(request) as uow:
        found = await users.search(uow, operator.account_id, wanted)
    return page(request, operator, "admin/users.html", q=wanted, found=found)


@router.get("/users/{account}", response_class=HTMLResponse)
async def person(request: Request, account: str, operator: UserViewer) -> HTMLResponse:
    return await _person(request, operator, id_of(account))


@router.post("/users/{account}/suspend")
async def suspend(request: Request, account: str, operator: Suspender) -> Response:
    return await _suspension(request, operator, id_of(account), suspend=True)


@router.post("/users/{account}/restore")
async def restore(request: Request, account: str, operator: Suspender) -> Response:
    return await _suspension(request, operator, id_of(account), suspend=False)


async def _person(request: Request, operator: Operator, account_id: int | None,
                  errors: dict[str, str] | None = None, reason: str = "") -> HTMLResponse:
    if account_id is None:
        return _not_found(request, operator, "There is no such account.")
    async with reading(request) as uow:
        try:
            file = await users.user_file(uow, operator.account_id, account_id)
        except NotFound as exc:
            return _not_found(request, operator, str(exc))
    return page(request, operator, "admin/user.html", status_code=400 if errors else 200,
                file=file, errors=errors or {}, reason=reason, role_labels=ROLE_LABELS)


async def _suspension(request: Request, operator: Operator, account_id: int | None,
                      suspend: bool) -> Response:
    reason = await field(request, "reason", 600)
    if account_id is None:
        return _not_found(request, operator, "There is no such account.")
    move = suspension.suspend if suspend else suspension.restore
    failed = await attempt(request, lambda uow: move(uow, operator.account_id, account_id, reason))
    if failed is None:
        return done(f"/admin/users/{account_id}", "suspended" if suspend else "restored")
    if isinstance(failed, NotFound):
        return _not_found(request, operator, str(failed))
    return await _person(request, operator, account_id, _errors(failed), reason)


async def _roles_page(request: Request, operator: Operator,
                      errors: dict[str, str] | None = None) -> HTMLResponse:
    async with reading(request) as uow:
        holders = await grants.granted(uow, operator.account_id)
        named = await grants.named_admins(uow, operator.account_id)
    return page(request, operator, "admin/roles.html", status_code=400 if errors else 200,
                holders=holders, roles=ROLES, role_labels=ROLE_LABELS, errors=errors or {},
                admins=named)


@router.get("/roles", response_class=HTMLResponse)
async def table(request: Request, operator: RoleGranter) -> HTMLResponse:
    return await _roles_page(request, operator)


async def _change(request: Request, operator: Operator, granting: bool) -> Response:
    verb = "grant" if granting else "revoke"
    account_id, role = id_of(await field(request, "account", 20)), await field(request, "role", 20)
    if account_id is None:
        return await _roles_page(request, operator, {f"{verb}-account": "Type the account's "
                                                     "number (shown under Users)."})
    change_role = grants.grant if granting else grants.revoke
    failed = await attempt(request, lambda uow: change_role(
        uow, operator.account_id, account_id, role))
    if failed is None:
        return done("/admin/roles", "granted" if granting else "revoked")
    field_name = "role" if "role" in str(failed).lower() else "account"
    return await _roles_page(request, operator, {f"{verb}-{field_name}": str(failed)})


@router.post("/roles/grant")
async def grant(request: Request, operator: RoleGranter) -> Response:
    return await _change(request, operator, granting=True)


@router.post("/roles/revoke")
async def revoke(request: Request, operator: RoleGranter) -> Response:
    return await _change(request, operator, granting=False)


@router.get("/audit", response_class=HTMLResponse)
async def log(request: Request, operator: Auditor) -> HTMLResponse:
    params = request.query_params
    action = params.get("action", "") if params.get("action") in audit.ACTIONS else ""
    since = params.get("since", "") if params.get("since") in SINCE else ""
    async with reading(request) as uow:
        delta = SINCE[since]
        wanted = audit.AuditFilter(action=action, actor_id=id_of(params.get("actor", "")),
                                   subject=params.get("subject", "")[:60].strip(),
                                   since=uow.clock.now() - delta if delta else None)
        found = await audit.entries(uow, operator.account_id, wanted)
    return page(request, operator, "admin/audit.html", found=found, wanted=wanted,
                actions=audit.ACTIONS, since=since, periods=list(SINCE))
