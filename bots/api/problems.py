"""Every error the API gives is one JSON shape (RFC 9457's problem details, `models.Problem`)
with a stable `code`. Core's refusals are mapped here by their kind — NotFound, NotAllowed,
Conflict, a field's error, any other rule — and carry core's own sentence as `detail`, in the
key's colleague's language; the API's own refusals (no key, a missing scope, too many
requests, an idempotency key misused) have codes of their own."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bots.api.models import Offer, Problem
from core.errors import Conflict, DomainError, InvalidField, NotAllowed, NotFound

MEDIA_TYPE = "application/problem+json"

# code → (status, title): the API's contract; titles are fixed English, as HTTP's reasons are.
CODES: dict[str, tuple[int, str]] = {
    "unauthenticated": (401, "No valid API key"),
    "insufficient_scope": (403, "The key's scopes do not allow this"),
    "not_allowed": (403, "Not allowed"),
    "not_found": (404, "Not found"),
    "method_not_allowed": (405, "Method not allowed"),
    "conflict": (409, "Conflict with the current state"),
    "idempotency_key_missing": (400, "Idempotency-Key header required"),
    "idempotency_key_reused": (422, "Idempotency-Key already used for another request"),
    "invalid_request": (422, "The request is not valid"),
    "invalid_field": (422, "A field's value breaks a rule"),
    "refused": (422, "Refused by a rule"),
    "rate_limited": (429, "Too many requests"),
}


class ApiProblem(Exception):
    """An error answered in the problem shape."""

    def __init__(self, code: str, detail: str, errors: dict[str, str] | None = None,
                 headers: Mapping[str, str] | None = None, offer: Offer | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.errors, self.offer = code, detail, errors, offer
        self.headers = dict(headers or {})


def problem(code: str, detail: str, errors: dict[str, str] | None = None,
            headers: Mapping[str, str] | None = None, offer: Offer | None = None
            ) -> JSONResponse:
    status, title = CODES[code]
    body = Problem(type=f"urn:agora:problem:{code}", code=code, title=title, status=status,
                   detail=detail, errors=errors, offer=offer)
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=status,
                        media_type=MEDIA_TYPE, headers=dict(headers or {}))


def code_of(error: DomainError) -> str:
    """The stable code of one of core's refusals."""
    if isinstance(error, NotFound):
        return "not_found"
    if isinstance(error, NotAllowed):
        return "not_allowed"
    if isinstance(error, Conflict):
        return "conflict"
    if isinstance(error, InvalidField):
        return "invalid_field"
    return "refused"


def from_domain(error: DomainError) -> ApiProblem:
    errors = {error.field: str(error)} if isinstance(error, InvalidField) else None
    return ApiProblem(code_of(error), str(error), errors)


def install(app: FastAPI) -> None:
    """Answer every error of `app` in the problem shape."""

    async def api_problem(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiProblem)
        return problem(exc.code, exc.detail, exc.errors, exc.headers, exc.offer)

    async def domain(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        found = from_domain(exc)
        return problem(found.code, found.detail, found.errors)

    async def invalid(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = {".".join(str(p) for p in e["loc"] if p != "body"): e["msg"]
                  for e in exc.errors()}
        return problem("invalid_request", "The request is not valid.", errors)

    async def http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code,
                                                                 "invalid_request")
        return problem(code, str(exc.detail), headers=exc.headers)

    app.add_exception_handler(ApiProblem, api_problem)
    app.add_exception_handler(DomainError, domain)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http)
