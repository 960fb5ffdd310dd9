"""A Slack DM kept current instead of a transcript: a button's answer replaces the message
whose button was pressed (`chat.update`), and a conversation's prompt loses its buttons once
the conversation has moved on — the engine refuses them then anyway ("That button is no longer
active"), so they must not look live.

Which prompt of a person's is still showing buttons is kept in this process's memory: with
several workers, a prompt posted by another worker keeps its (politely refused) buttons. The
buttons of a notice — an offer, a deal, a booking — name their object, not the conversation,
and stay until the notice is pressed."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bots.slack import blocks
from conversations.messages import ListPage, Outbound, Reply

log = logging.getLogger(__name__)

# A conversation's button: its value starts with the prompt's token (conversations.engine).
_STAMPED = re.compile(r"^[A-Za-z0-9_-]{6}\|")


@dataclass(frozen=True)
class Shown:
    """A message in a DM: where it is and what it shows."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]


def _buttons(message_blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in message_blocks:
        elements = list(block.get("elements") or []) + (
            [block["accessory"]] if isinstance(block.get("accessory"), dict) else [])
        found += [e for e in elements if isinstance(e, dict) and e.get("type") == "button"]
    return found


def is_prompt(message_blocks: list[dict[str, Any]]) -> bool:
    """Whether a message is a conversation's prompt: it has the conversation's buttons."""
    return any(_STAMPED.match(str(b.get("value") or "")) for b in _buttons(message_blocks))


def without_buttons(message_blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The message's blocks with its buttons taken away (its words stay)."""
    kept = []
    for block in message_blocks:
        if block.get("type") == "actions":
            continue
        if isinstance(block.get("accessory"), dict) and block["accessory"].get("type") == "button":
            block = {k: v for k, v in block.items() if k != "accessory"}
        kept.append(block)
    return kept


def replaces(reply: Outbound) -> bool:
    """Whether an answer may take the pressed message's place: a step to show, not an error
    (which the person reads beside what they pressed) nor a form or a file."""
    return isinstance(reply, Reply | ListPage) and getattr(reply, "kind", "text") != "error"


class LiveMessages:
    """Each person's current prompt, and the edits that keep their DM current."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.prompts: dict[str, Shown] = {}  # user id → their prompt still showing buttons

    def posted(self, user_id: str, shown: Shown) -> None:
        """A message was posted or updated in the person's DM: their prompt if it is one."""
        if is_prompt(shown.blocks):
            self.prompts[user_id] = shown

    async def moved_on(self, user_id: str, keep_ts: str | None = None) -> None:
        """The person's conversation took a turn: their last prompt's buttons go (unless it is
        the message about to be replaced)."""
        shown = self.prompts.pop(user_id, None)
        if shown is not None and shown.ts != keep_ts:
            await self.update(shown.channel, shown.ts, shown.text, without_buttons(shown.blocks))

    async def replace(self, user_id: str, channel: str, ts: str, reply: Outbound) -> bool:
        """Show `reply` in place of the message at `ts`; False when Slack refuses."""
        text, message_blocks = blocks.message(reply)
        if not await self.update(channel, ts, text, message_blocks):
            return False
        self.posted(user_id, Shown(channel, ts, text, message_blocks))
        return True

    async def update(self, channel: str, ts: str, text: str,
                     message_blocks: list[dict[str, Any]]) -> bool:
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=message_blocks)
        except SlackApiError as exc:  # deleted, or too old to edit: the next step is posted
            log.info("slack: could not update a message (%s)", exc.response.get("error"))
            return False
        return True
