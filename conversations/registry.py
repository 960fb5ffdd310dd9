"""Every flow and one-step command by name, command and intent: the one place that maps what core
asks for (an `Action`) and what people type (a command, a deep link) to the flow that does it.
Menus, /help and each channel's command list are derived from here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from conversations.flow import Entry, Flow, OneStepCommand
from core.actions import Action, Intent
from core.i18n import N_, _

DEEP_LINK = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Navigation's own commands, answered by the engine in every state.
NAVIGATION_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start, or continue where you left off")),
    ("menu", N_("Main menu")),
    ("help", N_("What I can do, and help for this step")),
    ("cancel", N_("Stop what you are doing")),
)


class Registry:
    """The flows and one-step commands of one engine, checked when built."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        self.commands: dict[str, str] = {}
        self._intents: dict[Intent, tuple[str, str]] = {}
        for entry in entries:
            self._add(entry)

    def _add(self, entry: Entry) -> None:
        if entry.name in self.entries:
            raise ValueError(f"two entries are named {entry.name!r}")
        if entry.commands and not entry.summary:
            raise ValueError(f"{entry.name!r} has commands but no summary for the command list")
        self.entries[entry.name] = entry
        for command in entry.commands:
            if command in self.commands or command in dict(NAVIGATION_COMMANDS):
                raise ValueError(f"command /{command} is declared twice")
            self.commands[command] = entry.name
        for intent, template in entry.intents.items():
            if intent in self._intents:
                raise ValueError(f"intent {intent} is carried out by two entries")
            self._intents[intent] = (entry.name, template)

    def __contains__(self, name: object) -> bool:
        return name in self.entries

    def get(self, name: str | None) -> Entry | None:
        return self.entries.get(name or "")

    def flow(self, name: str | None) -> Flow | None:
        entry = self.get(name)
        return entry if isinstance(entry, Flow) else None

    def one_step(self, name: str) -> OneStepCommand | None:
        entry = self.get(name)
        return entry if isinstance(entry, OneStepCommand) else None

    # --- actions ------------------------------------------------------------------------

    def missing_intents(self) -> set[Intent]:
        """Intents core may send that no entry carries out (a test keeps this empty)."""
        return set(Intent.declared()) - set(self._intents)

    def target(self, intent: str, arg: str) -> tuple[str, dict[str, Any] | None] | None:
        """The entry and data an action opens; None for an unknown intent, or one no entry of
        this registry carries out."""
        try:
            name, template = self._intents[Intent.named(intent)]
        except (ValueError, KeyError):
            return None
        args = template.format(arg=arg)
        return name, ({"args": args} if args else None)

    def typed_command(self, action: Action) -> str | None:
        """What to type in chat for an action (for emails): e.g. `/direct yes 12`."""
        found = self._intents.get(action.intent)
        entry = self.get(found[0]) if found else None
        if entry is None or not entry.commands:
            return None
        args = found[1].format(arg=action.arg).replace(":", " ")  # type: ignore[index]
        return f"/{entry.commands[0]} {args}".rstrip()

    def email_text(self, payload: dict[str, Any]) -> str:
        """An outbox payload's text for an email: its actions become commands to type in chat."""
        actions = [a for row in payload.get("buttons") or [] for item in row
                   if isinstance(item, dict) and (a := Action.from_payload(item))]
        typed = [(a.label, cmd) for a in actions if (cmd := self.typed_command(a))]
        lines = [_("• {label}: type {command} in your Agora chat", label=_(label), command=cmd)
                 for label, cmd in typed]
        return "\n".join([str(payload.get("text") or ""), *(["", *lines] if lines else [])])

    # --- commands and deep links ---------------------------------------------------------

    def command_list(self) -> list[tuple[str, str]]:
        """(command, summary) for every command people can type: Telegram's menu, /help, Slack."""
        listed = [(entry.commands[0], entry.summary) for entry in self.entries.values()
                  if entry.commands]
        return [*NAVIGATION_COMMANDS, *listed]

    def deep_link(self, payload: str) -> tuple[str, dict[str, Any] | None] | None:
        """The entry a `/start` payload opens: `<flow>` or `go_<flow>`, or `<flow>-<arg>` (e.g.
        `view-42`) giving it {"args": arg}; `<flow>` may also be a command's name. Telegram
        allows A-Za-z0-9_- and at most 64 characters; anything else opens nothing."""
        payload = payload.strip()
        if not DEEP_LINK.fullmatch(payload):
            return None
        head, dash, arg = payload.removeprefix("go_").partition("-")
        name = head if head in self.entries else self.commands.get(head)
        if name is None or name == "registration":
            return None
        return name, ({"args": arg} if dash else None)
