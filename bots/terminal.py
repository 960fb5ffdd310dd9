"""The terminal channel: `agora chat --as NAME`, the same flows in a console.

Buttons are lettered [a], [b]…; typing the letter (or the label) presses the button. Letters,
not numbers, so that a typed quantity like "3" is never mistaken for a button. Several people in several
terminals share the database with `agora serve`, so they can use the marketplace together.
Every file the chat receives (documents, charts) is saved under the data folder's exports and
its path printed (bots.terminal_render prints).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from bots.terminal_render import Printing
from config.container import Container
from conversations.messages import (
    Button,
    Choice,
    Command,
    Envelope,
    FileUpload,
    Inbound,
    Location,
    Reply,
    Text,
    file_reply,
    notification_reply,
)
from core.accounts.service import find_account
from core.i18n import N_, Visitor, _
from core.money.reading import reading
from core.notifications.delivery import Attachment
from core.notifications.dispatcher import OutboxDispatcher

HELP_LINE = N_("Type answers and commands (/help, /menu, /cancel). Press a button by typing its "
               "letter (or its label). Share a location as “loc: 56.95, 24.1”, a file as "
               "“/file PATH”. Ctrl-D quits.")
_LOCATION = re.compile(r"^loc(?:ation)?:\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$", re.I)


class TerminalSender:
    """Delivers outbox notifications addressed to this terminal user by printing them."""

    def __init__(self, chat: TerminalChat) -> None:
        self._chat = chat

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None:
        reply = notification_reply(payload)
        with reading(self._chat.reader):
            self._chat.render([Reply("🔔 " + reply.text, reply.buttons), *map(file_reply, files)],
                              more=True)


class TerminalChat(Printing):
    def __init__(self, container: Container, name: str, stdin: TextIO, stdout: TextIO,
                 language: str = "") -> None:
        self.container = container
        self.name = name
        self.language = language  # what `--lang` or the terminal's locale names, for a newcomer
        self.reader: Any = Visitor(language)  # whom the chat's own words are written for
        self._in = stdin
        self._out = stdout
        self._numbered: list[Button] = []
        # Notifications' buttons stay pressable by label after other output (as a chat app keeps
        # an earlier message's buttons); the newest few are kept.
        self._noticed: list[Button] = []
        self.account_id: int | None = None
        # The background poll and the delivery after each line take turns: a line's delivery
        # waits for one the poll has under way, so every notice due is printed (and its buttons
        # pressable) before the next line is read.
        self._delivering = asyncio.Lock()
        self.poll_every = 2.0  # seconds between looks for notices while the person types
        senders = {"terminal": TerminalSender(self), "email": container.senders["email"]}
        # Only this user's notifications and emails (printed, for local development) are
        # delivered here; `agora serve` delivers everybody else's.
        self.dispatcher = OutboxDispatcher(container.sessions, container.clock, senders,
                                           accept=self._mine, attachments=container.attachments,
                                           card_builders=container.card_builders)

    def _mine(self, channel: str, address: str, account_id: int | None) -> bool:
        if channel == "email":
            return account_id is not None and account_id == self.account_id
        return channel == "terminal" and address == self.name

    async def _refresh_account(self) -> None:
        async with self.container.uow() as uow:
            account = await find_account(uow, "terminal", self.name)
            self.account_id = account.id if account else None
        self.reader = await self.container.engine.reader_of(self._envelope(Command("menu")))

    async def run(self) -> None:
        """Read lines until end of input, handing each to the engine."""
        await self._refresh_account()
        with reading(self.reader):
            self._print(_("Agora terminal chat — you are “{name}”. {help}", name=self.name,
                          help=_(HELP_LINE)))
        poller = asyncio.create_task(self._poll_notifications())
        try:
            await self.handle_line("/start")
            while (line := await asyncio.to_thread(self._in.readline)) != "":
                if line.strip():
                    await self.handle_line(line.strip())
        finally:
            # Stopped between deliveries, never during one: a notice cancelled after it was
            # printed would stay "sending" until its lease ends, holding this chat's next ones.
            async with self._delivering:
                poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
        with reading(self.reader):
            self._print(_("Bye."))

    async def handle_line(self, line: str) -> None:
        with reading(self.reader):
            message = self.parse(line)
        if message is None:
            return
        outcome = await self.container.engine.handle(self._envelope(message))
        await self._refresh_account()
        with reading(self.reader):
            self.render(outcome.replies)
        await self.deliver_notices()

    async def deliver_notices(self) -> None:
        """Print every notice of this person due now, with one the background poll is
        delivering: it is waited for, not passed over."""
        async with self._delivering:
            await self.dispatcher.run_once()

    def _envelope(self, message: Inbound) -> Envelope:
        return Envelope(channel="terminal", user_key=self.name, chat_id=self.name, message=message,
                        opens_links=False, display_name=self.name, language=self.language)

    def parse(self, line: str) -> Inbound | None:
        """Turn a typed line into a neutral message."""
        if button := self._button_for(line):
            return Choice(button.data)
        if match := _LOCATION.match(line):
            return Location(float(match.group(1)), float(match.group(2)))
        if line.startswith("/file "):
            return self._file(line.removeprefix("/file ").strip())
        if line.startswith("/") and len(line) > 1:
            name, _space, args = line[1:].partition(" ")
            return Command(name.lower(), args.strip())
        return Text(line)

    def _button_for(self, line: str) -> Button | None:
        key = line.strip().lower()
        if len(key) == 1 and key.isascii() and key.isalpha():
            index = ord(key) - ord("a")
            return self._numbered[index] if index < len(self._numbered) else None
        # By label, the newest button wins (a notification's, over the answer before it); the
        # start of a label is enough when only one button starts so (“keep” for Keep “100 t”).
        typed = _plain(key)
        for buttons in (self._numbered, self._noticed):
            newest = list(reversed(buttons))
            exact = next((b for b in newest if _plain(b.label) == typed), None)
            starting = [b for b in newest if typed and _plain(b.label).startswith(typed + " ")]
            if exact or len(starting) == 1:
                return exact or starting[0]
        return None

    def _file(self, path: str) -> Inbound | None:
        if not os.path.isfile(path):
            self._print(_("No file at {path}.", path=path))
            return None
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return FileUpload(file_id=os.path.abspath(path), file_name=os.path.basename(path),
                          mime_type=mime, size=os.path.getsize(path),
                          kind="photo" if mime.startswith("image/") else
                          "voice" if mime.startswith("audio/") else "document")

    async def _poll_notifications(self) -> None:
        while True:
            await asyncio.sleep(self.poll_every)
            with contextlib.suppress(Exception):
                await self.deliver_notices()


def terminal_language(chosen: str | None, environ: Mapping[str, str]) -> str:
    """The language to chat in: `chosen` (`--lang`), else the one the terminal's locale names
    (LC_ALL, then LC_MESSAGES, then LANG, as the C library reads them: "de_DE.UTF-8" → "de_DE");
    "" for none ("C", "POSIX": no language, so English)."""
    if chosen:
        return chosen.strip()
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name, "").strip():
            locale = value.split(".", 1)[0].split("@", 1)[0]
            return "" if locale in ("C", "POSIX") else locale
    return ""


def _plain(label: str) -> str:
    return "".join(ch for ch in label.lower() if ch.isalnum() or ch == " ").strip()


def show_emails_in(stdout: TextIO) -> None:
    """In development the email port logs codes; show those lines in the console."""
    handler = logging.StreamHandler(stdout)
    handler.setFormatter(logging.Formatter("📧 %(message)s"))
    logger = logging.getLogger("agora.email")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
