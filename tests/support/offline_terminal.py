"""A terminal chat for what it does alone — reading typed lines, printing replies, keeping the
files it is sent — with no application behind it: its container holds no database, no engine
and no outbox, and a step that asks for one of them fails loudly (use the `app` fixture and
`bots.terminal.TerminalChat` for a chat that talks to Agora)."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bots.terminal import TerminalChat
from core.clock import FakeClock


class _Offline:
    """The few parts of a container a terminal chat takes when it is made."""

    def __init__(self, data_dir: Path) -> None:
        self.settings = SimpleNamespace(data_dir=str(data_dir))
        self.senders: dict[str, Any] = {"email": None}
        self.sessions = None  # its dispatcher is made, never run
        self.clock = FakeClock()
        self.attachments: dict[str, Any] = {}
        self.card_builders: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"an offline terminal has no application: it asked for {name!r}")


def offline_terminal(name: str, data_dir: Path, out: io.StringIO | None = None) -> TerminalChat:
    """`name`'s terminal chat, printing to `out`, keeping files under `data_dir`."""
    return TerminalChat(_Offline(data_dir), name, io.StringIO(), out or io.StringIO())  # type: ignore[arg-type]
