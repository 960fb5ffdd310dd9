"""The public site over HTTP: an application whose Telegram bot is set up (so pages link to it)
and a client that talks to its FastAPI server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from io import BytesIO
from typing import Any

import httpx
import pytest
from PIL import Image

from bots.server import create_app
from config.container import Container
from tests.support import containers
from tests.support.containers import settings_for

PUBLIC_URL = "https://agora.example"
BOT = "agora_test_bot"


@pytest.fixture
async def site_app(db_url: str, clock: Any, mailbox: Any, tmp_path: Any
                   ) -> AsyncIterator[Container]:
    # No map tiles (this machine has no internet): the map draws its markers on a plain
    # background and lists the towns in words, which the pages must stay usable with.
    settings = settings_for(db_url, data_dir=str(tmp_path / "data"), public_url=PUBLIC_URL,
                            telegram_token="123:site-test-token", telegram_bot_username=BOT,
                            map_tiles_url="")
    async with containers.container(settings, clock=clock, mailbox=mailbox) as app:
        yield app


@pytest.fixture
async def web(site_app: Container) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(site_app, run_workers=False))
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
        yield http


def jpeg_with_gps() -> bytes:
    """A small photo as a phone takes it: EXIF with the camera and the GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (56.0, 57.0, 0.0), 3: "E", 4: (24.0, 6.0, 0.0)}  # GPS IFD
    out = BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(out, "JPEG", exif=exif)
    return out.getvalue()
