"""Two people on two channels in one application: one on Telegram (the real python-telegram-bot
application against a fake Bot API), one on Slack (signed requests into the real slack-bolt app,
a fake Web API) — for the cross-channel journeys."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from bots.server import create_app
from bots.slack.channel import SlackChannel
from bots.telegram.channel import TelegramChannel
from config.container import Container
from tests.slack.conftest import SIGNING_SECRET, _settle, message_text
from tests.support import containers
from tests.support.containers import settings_for
from tests.support.fake_slack import FakeSlack
from tests.support.fake_telegram import FakeTelegram
from tests.support.servers import serve
from tests.support.slack_requests import SlackUser
from tests.telegram.conftest import TelegramUser

TELEGRAM_USER = 4242  # Sam's Telegram user id
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
SLACK_USER = "U7BOB"


@dataclass
class World:
    app: Container
    telegram: FakeTelegram
    slack: FakeSlack
    sam: TelegramUser  # the person on Telegram
    bob: SlackUser  # the person on Slack
    http: httpx.AsyncClient

    async def deliver(self) -> None:
        """Send the notices written so far (the dispatcher's next pass)."""
        await _settle()
        await self.app.dispatcher.run_once()

    async def bob_sees(self, needle: str) -> dict[str, Any]:
        """Wait for a message in Bob's DM with `needle` (posted, or a message updated to say
        it), delivering notices meanwhile (one may be written by work that finishes just after
        the answer that caused it)."""
        def found() -> list[dict[str, Any]]:
            return [p for p in self.slack.calls_to("chat.postMessage")
                    + self.slack.calls_to("chat.update")
                    if p.get("channel") in (SLACK_USER, f"D{SLACK_USER[1:]}")
                    and needle in message_text(p)]

        for _ in range(25):
            if seen := found():
                return seen[0]
            await self.deliver()
            if seen := found():  # the pass just made posted it: no need to wait a round
                return seen[0]
            await asyncio.sleep(0.2)
        raise AssertionError(f"Bob never saw {needle!r}: {self.slack.posted_texts(SLACK_USER)}")

    async def bob_presses(self, label: str) -> None:
        """Press the newest button labelled like `label` in Bob's DM as it stands now, on the
        message it is on (as Slack sends it)."""
        found = self.slack.newest_button(SLACK_USER, label)
        if found is None:
            raise AssertionError(f"no {label!r} button in {self.slack.posted_texts(SLACK_USER)}")
        value, message = found
        assert (await self.bob.click(value, message=message)).status_code == 200
        await _settle()

    async def bob_fills(self, answers: dict[str, Any]) -> None:
        """Fill in the modal the app just opened, and submit it."""
        view = (self.slack.calls_to("views.open") or [{}])[-1]["view"]
        response = await self.bob.submit(view, {**modal_defaults(view), **answers})
        assert response.status_code == 200, response.text
        await _settle()

    async def bob_drafts_an_offer(self, listing_id: int, quantity: str, price: str) -> None:
        """Bob opens a listing on Slack and fills in the offer modal, up to its preview."""
        await self.bob.command(f"view {listing_id}")
        await _settle()
        await self.bob_presses("Make an offer")
        await self.bob_fills({"quantity": quantity, "price": price})
        await self.bob_sees(f"{quantity} t × {price},00\xa0€")

    async def sam_accepts_the_first_terms(self) -> None:
        """Sam, at his first deal, gives his billing details (Riga) and accepts version 1."""
        await self.sam.tap("accept the terms", "Legal name")
        await self.sam.tap("Keep", "Street")
        await self.sam.say("Brīvības iela 1", "Postcode")
        await self.sam.say("LV-1010", "Town")
        await self.sam.tap("Keep", "Country")
        await self.sam.tap("Keep", "VAT number")
        await self.sam.say("LV40003521600", "VAT rate")
        await self.sam.tap("Skip", "Read the terms")  # Latvia's standard rate
        await self.sam.tap("Accept version 1", "Both parties have")

    async def sam_told(self, needle: str, since: int) -> str:
        """The first message to Sam since `since` with `needle`, delivering notices meanwhile."""
        def found() -> str | None:
            for call in self.telegram.calls[since:]:
                said = str(call.params.get("text") or call.params.get("caption"))
                if call.method in ("sendMessage", "sendDocument") and needle in said:
                    return said
            return None

        for _ in range(25):
            if (said := found()) is not None:
                return said
            await self.deliver()
            if (said := found()) is not None:  # sent by the pass just made
                return said
            await asyncio.sleep(0.2)
        raise AssertionError(f"Sam was never told {needle!r}")


def modal_defaults(view: dict[str, Any]) -> dict[str, Any]:
    """What a modal shows filled in already (its initial values), as answers."""
    found: dict[str, Any] = {}
    for block in view["blocks"]:
        element = block.get("element") or {}
        if "initial_value" in element:
            found[block["block_id"]] = element["initial_value"]
        elif "initial_option" in element:
            found[block["block_id"]] = element["initial_option"]["value"]
        elif "initial_options" in element:
            found[block["block_id"]] = [o["value"] for o in element["initial_options"]]
        elif "initial_date" in element:
            found[block["block_id"]] = element["initial_date"]
    return found


@pytest.fixture
async def world(db_url: str, clock, mailbox) -> AsyncIterator[World]:
    telegram, slack = FakeTelegram(), FakeSlack()
    async with serve(telegram.app()) as tg_url, serve(slack.app) as slack_url:
        telegram.url = tg_url
        settings = settings_for(db_url, telegram_token=telegram.token,
                                telegram_api_url=f"{tg_url}/bot", slack_bot_token=slack.token,
                                slack_signing_secret=SIGNING_SECRET,
                                slack_api_url=f"{slack_url}/api/")
        async with containers.container(settings, clock=clock, mailbox=mailbox) as app:
            bot, slack_channel = TelegramChannel(app, poll_timeout=1), SlackChannel(app)
            await bot.start()
            await slack_channel.start()
            server = create_app(app, [slack_channel], run_workers=False)
            async with serve(server) as base, httpx.AsyncClient(base_url=base) as http:
                try:
                    yield World(app, telegram, slack, TelegramUser(telegram, TELEGRAM_USER),
                                SlackUser(http, SIGNING_SECRET, user_id=SLACK_USER, name="bob"),
                                http)
                finally:
                    await _settle()
                    with contextlib.suppress(Exception):
                        await slack_channel.stop()
                    await bot.stop()
                    telegram.close()
                assert slack.refused == [], "the app sent payloads Slack refuses"


