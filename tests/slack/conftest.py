"""The Slack app end to end: signed requests into the FastAPI server, a fake Web API behind it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from bots.email import LoggingEmailSender
from bots.server import create_app
from bots.slack.channel import SlackChannel
from config.container import Container
from core.catalog import gazetteer
from core.clock import FakeClock
from tests.support import containers
from tests.support.containers import settings_for
from tests.support.fake_slack import FakeSlack, section_texts
from tests.support.servers import serve
from tests.support.slack_requests import SlackUser

SIGNING_SECRET = "test-signing-secret"

ANN = {
    "display_name": "Ann Bērziņa",
    "company": "Baltic Pellets SIA",
    "email": "ann@example.com",
    "roles": ["seller", "buyer"],
    "country": "Latvia",
    "city": "Riga",
    "interests": ["pellets"],
}


@dataclass
class SlackWorld:
    app: Container
    fake: FakeSlack
    channel: SlackChannel
    http: httpx.AsyncClient
    user: SlackUser

    async def posted(self, needle: str, channel: str | None = None) -> dict[str, Any]:
        """Wait for a chat.postMessage (to the user's DM by default) whose text has `needle`."""
        target = channel or self.user.user_id
        return await self.fake.wait_for(
            "chat.postMessage",
            lambda p: p.get("channel") == target and needle in message_text(p))

    async def settle(self) -> None:
        """Wait until the app has finished the work it does after acknowledging."""
        await _settle()

    async def new_posts(self, since: int) -> list[dict[str, Any]]:
        """The DM messages posted after the first `since`, once the app has settled."""
        await self.fake.wait_for("chat.postMessage",
                                 lambda p: len(self.fake.calls_to("chat.postMessage")) > since)
        await self.settle()
        return self.fake.calls_to("chat.postMessage")[since:]

    async def open_registration(self) -> dict[str, Any]:
        """`/agora` as a newcomer; returns the modal Slack was asked to open."""
        response = await self.user.command("")
        assert response.status_code == 200
        return (await self.fake.wait_for("views.open"))["view"]

    async def register(self, **answers: Any) -> None:
        """Register through the modal, up to the "type your code" message in the DM."""
        view = await self.open_registration()
        response = await self.user.submit(view, {**ANN, **answers})
        assert response.status_code == 200, response.text
        await self.posted("6-digit code")


def message_text(params: dict[str, Any]) -> str:
    return "\n".join([str(params.get("text", "")), *section_texts(params.get("blocks"))])


async def _settle(within: float = 5.0) -> None:
    """Let bolt's background listeners (which run after the ack) finish before teardown."""
    current = asyncio.current_task()
    for _ in range(int(within / 0.01)):
        busy = [t for t in asyncio.all_tasks() if t is not current and not t.done()
                and "run_ack_function" in getattr(t.get_coro(), "__qualname__", "")]
        if not busy:
            return
        await asyncio.sleep(0.01)


@pytest.fixture
async def slack(db_url: str, clock: FakeClock, mailbox: LoggingEmailSender
                ) -> AsyncIterator[SlackWorld]:
    gazetteer.warm()  # as the server does at start: a first town typed must not miss Slack's ack
    fake = FakeSlack()
    async with serve(fake.app) as url:
        settings = settings_for(db_url, slack_bot_token=fake.token,
                                slack_signing_secret=SIGNING_SECRET, slack_api_url=f"{url}/api/")
        async with containers.container(settings, clock=clock, mailbox=mailbox) as app:
            channel = SlackChannel(app)
            server = create_app(app, [channel], run_workers=False)
            transport = httpx.ASGITransport(app=server)
            async with httpx.AsyncClient(transport=transport, base_url="http://agora.test") as http:
                try:
                    yield SlackWorld(app, fake, channel, http, SlackUser(http, SIGNING_SECRET))
                finally:
                    await _settle()
                    with contextlib.suppress(Exception):
                        await channel.stop()
                assert fake.refused == [], "the app sent payloads Slack refuses"
