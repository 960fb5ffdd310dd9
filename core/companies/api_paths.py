"""Where the API for companies' own systems serves each resource (`/api/v1/...`, docs/api.md):
one place for the API's routes that name them (bots.api) and for what points at them — a
webhook's payload names the API resource it is about (core.webhooks.payloads), so its receiver
fetches what changed. Paths, without the server's address: the API is served on the site's."""

from __future__ import annotations

from urllib.parse import quote

BASE = "/api/v1"


def deal(deal_id: int) -> str:
    return _at("deals", deal_id)


def offer(offer_id: int) -> str:
    return _at("offers", offer_id)


def quotes(request_id: int) -> str:
    """A request for supply's quotes, as its buyer compares them."""
    return _at("requests", request_id, "quotes")


def document_pdf(number: str) -> str:
    return f"{_document(number)}.pdf"


def document_xml(number: str) -> str:
    """Its EN 16931 e-invoice, CII; `?syntax=ubl` for UBL."""
    return f"{_document(number)}.xml"


def _document(number: str) -> str:
    return _at("documents", quote(number, safe=""))


def _at(*parts: object) -> str:
    """A path under the API's base, of its segments."""
    return "/".join((BASE, *(str(part) for part in parts)))
