"""What the server needs from a channel: start, stop, and its HTTP routes."""

from __future__ import annotations

from typing import Protocol

from fastapi import APIRouter


class Channel(Protocol):
    name: str

    async def start(self) -> None:
        """Connect (polling, socket mode, webhook registration) and register the outbox sender."""

    async def stop(self) -> None: ...

    def router(self) -> APIRouter | None:
        """Routes to mount on the FastAPI server (webhooks), or None."""
