"""The operator console at /admin: sign-in by a one-time link, the dashboard and its charts.
The other sections live in cases (moderation, disputes), tickets (support),
people (users, roles, audit), money (payments, promotions),
companies (payment on terms), requests (requests for supply) and
learning (the library, webinars and events). Every route but
the sign-in link depends on `need(action)`, so a visitor without the role gets 403."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bots.web.console import api_keys as console_api_keys
from bots.web.console import cases as console_cases
from bots.web.console import charts as console_charts
from bots.web.console import companies as console_companies
from bots.web.console import learning as console_learning
from bots.web.console import money as console_money
from bots.web.console import people as console_people
from bots.web.console import requests as console_requests
from bots.web.console import tickets as console_tickets
from bots.web.console.auth import (
    Operator,
    Refused,
    Viewer,
    clear_session_cookie,
    reading,
    session_token,
    set_session_cookie,
)
from bots.web.console.pages import SECURITY_HEADERS, page
from bots.web.deps import ContainerDep
from bots.web.pages import render
from core.console import dashboard
from core.errors import DomainError
from core.operators import signin
from payments import reports

LINK = r"[A-Za-z0-9_-]{20,100}"  # the shape of a sign-in token


# Every console page, under /admin: sign-in and the dashboard here, the other sections'
# routers included below.
router = APIRouter(prefix="/admin")


def install(app: FastAPI) -> None:
    """Add the console's routes and its 403 page to the app."""
    app.include_router(router)
    app.add_exception_handler(Refused, _refused)  # type: ignore[arg-type]


async def _refused(request: Request, exc: Refused) -> HTMLResponse:
    return render(request, "admin/refused.html", status_code=403, headers=SECURITY_HEADERS,
                  message=str(exc))


@router.get("/login/{token}", response_class=HTMLResponse)
async def login_page(request: Request, token: str) -> HTMLResponse:
    """A button, not an automatic sign-in: chat apps fetch links to preview them."""
    if not _link_shaped(token):
        raise Refused(signin.USED_OR_EXPIRED)
    return render(request, "admin/login.html", headers=SECURITY_HEADERS, token=token)


@router.post("/login/{token}")
async def login(request: Request, container: ContainerDep, token: str) -> Response:
    if not _link_shaped(token):
        raise Refused(signin.USED_OR_EXPIRED)
    async with container.uow() as uow:
        try:
            session, _ = await signin.redeem(uow, token)
        except DomainError as exc:
            raise Refused(str(exc)) from None
        await uow.commit()
    response = RedirectResponse("/admin", status_code=303)
    set_session_cookie(request, response, session)
    return response


@router.post("/logout")
async def logout(request: Request, container: ContainerDep, operator: Viewer) -> Response:
    async with container.uow() as uow:
        await signin.sign_out(uow, operator.session)
        await uow.commit()
    response = render(request, "admin/refused.html", headers=SECURITY_HEADERS,
                      message="You are signed out.", status_code=200)
    clear_session_cookie(response)
    return response


def _link_shaped(token: str) -> bool:
    return re.fullmatch(LINK, token) is not None


async def _figures(request: Request, operator: Operator) -> dict[str, Any]:
    async with reading(request) as uow:
        figures = await dashboard.figures(uow, operator.account_id)
        money = await reports.by_market_and_month(uow, operator.account_id)
        months = dashboard.last_months(uow.clock.now())
    return {"figures": figures, "money": money,
            "charts": console_charts.build(figures, money, months)}


@router.get("", response_class=HTMLResponse)
async def dashboard_page(request: Request, operator: Viewer) -> HTMLResponse:
    return page(request, operator, "admin/dashboard.html", **await _figures(request, operator))


@router.get("/charts/{name}.png")
async def chart(request: Request, name: str, operator: Viewer) -> Response:
    if name not in console_charts.NAMES:
        return Response("No such chart.", status_code=404)
    chart = (await _figures(request, operator))["charts"][name]
    png = await asyncio.to_thread(console_charts.png, chart)  # drawn off the event loop
    return Response(png, media_type="image/png",
                    headers={"Cache-Control": "no-store"})


router.include_router(console_cases.router)
router.include_router(console_people.router)
router.include_router(console_tickets.router)
router.include_router(console_money.router)
router.include_router(console_companies.router)
router.include_router(console_api_keys.router)
router.include_router(console_requests.router)
router.include_router(console_learning.router)


__all__ = ["install", "session_token"]
