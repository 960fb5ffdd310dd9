"""Drive the engine like a person in a chat: the application's, against the real core and
database, or the engine in memory (tests/support/memory_engine.py)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Protocol

from conversations.engine import Engine
from conversations.messages import (
    Button,
    Choice,
    Command,
    Envelope,
    FormReply,
    FormSubmission,
    Inbound,
    Location,
    Outbound,
    Reply,
    Text,
)

_ids = itertools.count(1)


class Chat(Protocol):
    """What a person chats with: an engine (`config.container.Container`'s, or `MemoryChat`'s)."""

    @property
    def engine(self) -> Engine: ...


@dataclass
class ChatUser:
    app: Chat
    name: str
    channel: str = "terminal"
    chat_id: str | None = None
    forms: bool = False
    language: str = ""  # the language their app names
    last: list[Outbound] = field(default_factory=list)

    async def send(self, message: Inbound, event_id: str | None = None) -> list[Outbound]:
        env = Envelope(channel=self.channel, user_key=self.name, chat_id=self.chat_id or self.name,
                       message=message, event_id=event_id or f"e{next(_ids)}",
                       can_show_forms=self.forms, opens_links=self.channel != "terminal",
                       language=self.language)
        outcome = await self.app.engine.handle(env)
        self.last = outcome.replies
        return outcome.replies

    async def say(self, text: str) -> list[Outbound]:
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return await self.send(Command(name.lower(), args))
        return await self.send(Text(text))

    async def tap(self, label: str) -> list[Outbound]:
        """Press the button whose label contains `label` in the latest replies."""
        return await self.send(Choice(self.button(label).data))

    async def share_location(self, lat: float, lon: float) -> list[Outbound]:
        return await self.send(Location(lat, lon))

    async def submit(self, values: dict[str, object]) -> list[Outbound]:
        form = next(r for r in self.last if isinstance(r, FormReply))
        return await self.send(FormSubmission(form.form_id, values, form.token))  # type: ignore[arg-type]

    def button(self, label: str) -> Button:
        for reply in self.last:
            for row in getattr(reply, "buttons", ()):
                for button in row:
                    if label.lower() in button.label.lower():
                        return button
        raise AssertionError(f"no button {label!r} in {self.texts()}")

    def texts(self) -> str:
        return "\n".join(r.text for r in self.last if isinstance(r, Reply))

    def labels(self) -> list[str]:
        return [b.label for r in self.last for row in getattr(r, "buttons", ()) for b in row]
