"""Rendering pages: one Jinja2 environment, autoescaping everything users wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bots.web.deps import get_container

HERE = Path(__file__).parent
TEMPLATES = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    # Autoescape every .html template: a listing title or a ticket's text is shown as text.
    autoescape=select_autoescape(["html"], default=True),
    undefined=StrictUndefined,  # a misspelt variable fails the test instead of rendering blank
    trim_blocks=True, lstrip_blocks=True,
)


def static_files() -> StaticFiles:
    return StaticFiles(directory=HERE / "static")


def render(request: Request, template: str, status_code: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """`template` rendered with `context`, plus `request` and the site's public URL."""
    container = get_container(request)
    page = TEMPLATES.get_template(template).render(
        request=request, public_url=container.settings.public_url.rstrip("/"), **context)
    return HTMLResponse(page, status_code=status_code, headers=headers)
