"""The API for companies' own systems: a FastAPI application of its own, mounted on the web
server at `/api/v1` (its OpenAPI at `/api/v1/openapi.json`, interactive docs at
`/api/v1/docs`), so its schema, its error shape and its middleware are its own and the
site's pages are none of its business. Routes: the market (bots.api.market), trading
(bots.api.trading), the colleague's own listings (bots.api.listings) and requests for supply
(bots.api.requests), and the colleague's records (bots.api.records)."""

from __future__ import annotations

from fastapi import FastAPI

from bots.api import listings, market, problems, records, requests, trading
from bots.api.auth import RateHeaders
from bots.api.limits import KeyLimits
from config.container import Container
from core.companies import api_paths

PREFIX = api_paths.BASE
DESCRIPTION = """Agora for a company's own systems: read the market, trade as one colleague
(whose spending limit and approvals apply, as in the chat), read that colleague's deals,
documents and statement.

Authenticate with `Authorization: Bearer <key>` (an admin makes keys with `/apikeys` in the
chat). Every POST needs an `Idempotency-Key` header. Amounts are exact decimal strings with
their currency. Errors are `application/problem+json` with a stable `code`."""


def api_app(container: Container) -> FastAPI:
    """The API's own application, sharing the server's container."""
    api = FastAPI(title="Agora API", version="1", description=DESCRIPTION,
                  docs_url="/docs", redoc_url=None, openapi_url="/openapi.json")
    api.state.container = container
    api.state.key_limits = KeyLimits(container.settings.api_requests_per_minute,
                                     container.settings.redis_url)
    problems.install(api)
    api.add_middleware(RateHeaders)
    # The colleague's own first: `/listings/mine` before the market's `/listings/{id}`.
    for router in (listings.router, requests.router, market.router, trading.router,
                   records.router):
        api.include_router(router)
    return api


def install(app: FastAPI, container: Container) -> None:
    """Mount the API on the web server."""
    app.mount(PREFIX, api_app(container), name="api")
