"""Rendering pages: one Jinja2 environment, autoescaping everything users wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from bots.web.deps import get_container
from bots.web.language import alternates, remember
from core.i18n import LANGUAGES, SOURCE, _, current_language, dates, n_, present

HERE = Path(__file__).parent
TEMPLATES = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    # Autoescape every .html template: a listing title or a ticket's text is shown as text.
    autoescape=select_autoescape(["html"], default=True),
    undefined=StrictUndefined,  # a misspelt variable fails the test instead of rendering blank
    trim_blocks=True, lstrip_blocks=True,
)
# A page's words come from the catalogue as chat's do: {{ _("Listings") }}, with {placeholders}
# filled from keywords (a value a person wrote is escaped, as everything is).
TEMPLATES.globals.update(_=_, n_=n_)


def html_(message: str, /, **parts: Any) -> Markup:
    """A sentence with markup in it (a link, a command in <code>), translated whole: the
    sentence is escaped, its {parts} go in as given — Markup as is, anything else escaped."""
    return Markup(escape(_(message))).format(**parts)


def code(text: str) -> Markup:
    return Markup("<code>{}</code>").format(text)


def link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text)


# Figures and days on a page are written by the one presenter (core.i18n.present).
TEMPLATES.globals.update(html_=html_, code=code, link=link, shown=dates.shown,
                         month=present.month, number=present.number, day=present.day,
                         stars=present.stars_value)


def static_files() -> StaticFiles:
    return StaticFiles(directory=HERE / "static")


def render(request: Request, template: str, status_code: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """`template` rendered with `context`, plus `request` and the site's public URL; a public
    page (bots.web.language) in its visitor's language, with its versions in the others."""
    container = get_container(request)
    public_url = container.settings.public_url.rstrip("/")
    public = hasattr(request.state, "language")
    lang = current_language()
    if public and lang != SOURCE and "canonical" in context:
        context["canonical"] = dict(alternates(request, public_url))[lang]
    page = TEMPLATES.get_template(template).render(
        request=request, public_url=public_url, lang=lang, languages=LANGUAGES,
        alternates=alternates(request, public_url) if public else [], **context)
    response = HTMLResponse(page, status_code=status_code, headers=headers)
    if public:
        remember(request, response)
    return response
