"""The Telegram webhook: the route Telegram posts updates to, its secret checked, each update
answered before the 200 (with the one Bot API call the answer may carry)."""

from __future__ import annotations

import hmac
import logging
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from telegram import Update
from telegram.ext import Application

from config.container import Container

log = logging.getLogger(__name__)

WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"


class Webhook:
    """The webhook of `TelegramChannel` (which holds the state)."""

    container: Container
    application: Application[Any, Any, Any, Any, Any, Any]
    _webhook_calls: dict[int, dict[str, Any] | None]

    def router(self) -> APIRouter:
        """POST /telegram/webhook: checks Telegram's secret header, then handles the update."""
        router = APIRouter()
        router.add_api_route(WEBHOOK_PATH, self._webhook, methods=["POST"],
                             include_in_schema=False)
        return router

    async def _webhook(self, request: Request) -> JSONResponse:
        if not self._secret_ok(request.headers.get(SECRET_HEADER)):
            return JSONResponse({"ok": False, "error": "forbidden"}, status_code=403)
        if not self.application.running:  # Telegram retries later
            return JSONResponse({"ok": False, "error": "not running"}, status_code=503)
        try:
            update = Update.de_json(await request.json(), self.application.bot)
        except Exception as exc:
            log.warning("telegram webhook: unreadable update: %s", exc)
            return JSONResponse({"ok": False, "error": "bad update"}, status_code=400)
        # Answered before the 200: an update is acknowledged only once it is committed, so
        # when a worker dies mid-update Telegram gets no 2xx and delivers it again (to any
        # worker). The processor keeps one user's updates in order and caps the concurrency.
        app = self.application
        self._webhook_calls[update.update_id] = None
        try:
            await app.update_processor.process_update(update, app.process_update(update))
        finally:
            call = self._webhook_calls.pop(update.update_id, None)
        return JSONResponse(call or {"ok": True})

    def _secret_ok(self, given: str | None) -> bool:
        expected = self.container.settings.telegram_webhook_secret
        if not expected or given is None:
            return False
        return hmac.compare_digest(given.encode(), expected.encode())

    # --- updates ---------------------------------------------------------------------------
