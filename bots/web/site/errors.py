"""The public site's error page."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from bots.web.pages import render
from core.i18n import _


def not_found(request: Request, message: str) -> HTMLResponse:
    """404 with the service's own words (“That listing is not published.”)."""
    return problem(request, _("Not found"), message, 404)


def problem(request: Request, heading: str, message: str, status: int) -> HTMLResponse:
    return render(request, "site/message.html", status_code=status, heading=heading,
                  message=message)


def page_number(raw: str | None) -> int:
    """A 1-based page from the query string as a 0-based index; junk is the first page."""
    text = (raw or "").strip()
    return int(text) - 1 if text.isascii() and text.isdigit() and 0 < int(text) <= 10_000 else 0
