"""The language a public page is written in: the one a visitor picked with the switcher
(`?lang=de`, remembered in a cookie), else the first of their browser's Accept-Language that
Agora speaks, else English. Each page names its versions in the other languages (hreflang
links), and says which one it is (Content-Language; Vary, for caches)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request, Response

from core.i18n import LANGUAGES, SOURCE, Visitor
from core.money.reading import read_for

COOKIE = "agora_lang"
PARAMETER = "lang"
YEAR = 365 * 24 * 3600


def page_language(request: Request) -> str:
    """The language to write `request`'s page in (one Agora offers)."""
    for picked in (request.query_params.get(PARAMETER), request.cookies.get(COOKIE)):
        if picked in LANGUAGES:
            return picked
    return from_accept_language(request.headers.get("accept-language", ""))


def from_accept_language(header: str) -> str:
    """The most preferred language of an Accept-Language header that Agora offers
    (“fi-FI,fi;q=0.9,en;q=0.5” → “fi”), else English."""
    ranked: list[tuple[float, int, str]] = []
    for order, entry in enumerate(header.split(",")[:20]):
        tag, _, weight = entry.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        if tag and quality > 0:
            ranked.append((-quality, order, tag))
    for __, __, tag in sorted(ranked):
        if (code := tag.replace("_", "-").split("-")[0].lower()) in LANGUAGES:
            return code
    return SOURCE


async def speaking(request: Request) -> None:
    """A dependency of every public page: the rest of the request writes for a visitor in the
    page's language (words, numbers and dates)."""
    request.state.language = page_language(request)
    read_for(Visitor(request.state.language))


def alternates(request: Request, public_url: str) -> list[tuple[str, str]]:
    """(hreflang, address) of the page in each offered language, and its x-default."""
    others = [(k, v) for k, v in request.query_params.multi_items() if k != PARAMETER]
    base = f"{public_url}{request.url.path}"

    def address(language: str | None) -> str:
        query = urlencode(others + ([(PARAMETER, language)] if language else []))
        return f"{base}?{query}" if query else base

    return [(code, address(code)) for code in LANGUAGES] + [("x-default", address(None))]


def remember(request: Request, response: Response) -> None:
    """Keep a language picked with the switcher for the next pages, and tell caches the page
    differs by language."""
    picked = request.query_params.get(PARAMETER)
    if picked in LANGUAGES:
        response.set_cookie(COOKIE, picked, max_age=YEAR, samesite="lax")
    response.headers["Content-Language"] = getattr(request.state, "language", SOURCE)
    response.headers["Vary"] = "Accept-Language, Cookie"
