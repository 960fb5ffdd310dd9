"""The baseline of bench/chat.py: a bare python-telegram-bot + FastAPI echo webhook.

    python bench/bare_echo.py PORT   (BARE_TOKEN and BARE_API_URL in the environment)

It is the webhook example of python-telegram-bot's documentation: the route puts the update on
the application's queue and answers 200 at once; the application runs updates concurrently and
answers every text with one sendMessage of the same text. No database, no state.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One sendMessage with the text received."""
    if update.effective_chat is not None and update.message is not None:
        await context.bot.send_message(update.effective_chat.id, update.message.text or "…")


def create() -> FastAPI:
    application: Application[Any, Any, Any, Any, Any, Any] = (
        Application.builder().token(os.environ["BARE_TOKEN"])
        .base_url(os.environ["BARE_API_URL"]).concurrent_updates(True).updater(None).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with application:
            await application.start()
            yield
            await application.stop()

    app = FastAPI(lifespan=lifespan)

    @app.post("/telegram/webhook")
    async def webhook(request: Request) -> Response:
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return Response()

    @app.get("/healthz")
    async def healthz() -> dict[str, bool]:
        return {"ok": application.running}

    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create(), host="127.0.0.1", port=int(sys.argv[1]))
