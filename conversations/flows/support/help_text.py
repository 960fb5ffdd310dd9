"""Help articles as chat text: the help base writes commands as typed on Telegram (“/sell”);
here they become what this channel types (“/agora sell” on Slack)."""

from __future__ import annotations

import re

from conversations.help_base import article
from core.i18n import _

_COMMAND = re.compile(r"(?<![\w/])/([a-z]+)\b")


def article_text(slug: str, command_prefix: str = "/") -> str:
    """“💡 question” and its answer; empty for an unknown slug."""
    found = article(slug)
    if found is None:
        return ""
    answer = _COMMAND.sub(lambda m: f"{command_prefix}{m.group(1)}", _(found.answer))
    return f"💡 {_(found.question)}\n{answer}"


def commands_named(text: str) -> set[str]:
    """The commands a help text names (a test checks each one exists)."""
    return set(_COMMAND.findall(text))
