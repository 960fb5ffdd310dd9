"""Telegram end to end: the real PTB application against a fake Bot API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import pytest

from bots.email import LoggingEmailSender
from bots.telegram.channel import TelegramChannel
from config.container import Container
from config.settings import Settings
from core.clock import FakeClock
from tests.support import containers
from tests.support.containers import settings_for
from tests.support.fake_telegram import Call, FakeTelegram
from tests.support.servers import serve

StartBot = Callable[..., Awaitable[tuple[Container, TelegramChannel]]]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API, served for this test."""
    fake = FakeTelegram()
    async with serve(fake.app()) as url:
        fake.url = url
        yield fake
        fake.close()


def telegram_settings(db_url: str, fake: FakeTelegram, **extra: Any) -> Settings:
    return settings_for(db_url, telegram_token=fake.token, telegram_api_url=f"{fake.url}/bot",
                        **extra)


@pytest.fixture
async def start_bot(db_url: str, clock: FakeClock, mailbox: LoggingEmailSender,
                    fake: FakeTelegram) -> AsyncIterator[StartBot]:
    """Build a container and a started Telegram channel; everything is stopped afterwards."""
    async with AsyncExitStack() as stack:

        async def start(**extra: Any) -> tuple[Container, TelegramChannel]:
            app = await stack.enter_async_context(containers.container(
                telegram_settings(db_url, fake, **extra), clock=clock, mailbox=mailbox))
            channel = TelegramChannel(app, poll_timeout=1)
            stack.push_async_callback(channel.stop)
            await channel.start()
            return app, channel

        yield start


@pytest.fixture
async def bot(start_bot: StartBot) -> tuple[Container, TelegramChannel]:
    """A polling bot on a fresh database."""
    return await start_bot()


@dataclass
class TelegramUser:
    """A person in a private chat with the bot; every action waits for the bot's answer."""

    fake: FakeTelegram
    id: int

    async def send(self, update: dict[str, Any], expect: str, timeout: float = 5.0) -> Call:  # noqa: ASYNC109 - a deadline for the answer
        """Push an update and wait for a message to this chat (new or edited) with `expect`."""
        self.fake.push(update)
        return await self.fake.wait_for(
            ("sendMessage", "editMessageText", "editMessageCaption", "sendDocument"),
            lambda p: p["chat_id"] == str(self.id) and expect in str(p.get("text")
                                                                     or p.get("caption")),
            timeout=timeout)

    async def say(self, text: str, expect: str, timeout: float = 5.0) -> Call:  # noqa: ASYNC109
        return await self.send(self.fake.text(self.id, text), expect, timeout)

    async def tap(self, label: str, expect: str, message_id: int | None = None,
                  timeout: float = 5.0) -> Call:  # noqa: ASYNC109
        return await self.send(self.fake.press(self.id, label, message_id), expect, timeout)

    def labels(self, call: Call) -> list[str]:
        return [b["text"] for row in keyboard(call) for b in row]


def keyboard(call: Call) -> list[list[dict[str, str]]]:
    return list((call.params.get("reply_markup") or {}).get("inline_keyboard", []))


@pytest.fixture
def ann(fake: FakeTelegram) -> TelegramUser:
    return TelegramUser(fake, 4242)
