"""A Slack DM kept current instead of a transcript: a button's answer replaces the message
whose button was pressed (`chat.update`); a conversation's prompt loses its buttons once the
conversation has moved on — the engine refuses them then anyway ("That button is no longer
active"), so they must not look live; and a message whose buttons name an object (an offer, a
deal: core.actions.about) is its card, whose buttons go when a newer card of it is shown.

What still shows buttons is kept in this process's memory: with several workers, a message
posted by another keeps its (politely refused) buttons. Notices are also retired through the
outbox, whatever the worker (core.notifications.cards)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bots.slack import blocks
from conversations.messages import ListPage, Outbound, Reply
from core.actions import Intent, about

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


def objects(message_blocks: list[dict[str, Any]]) -> frozenset[str]:
    """The objects a message's buttons name ("@do:<intent>:<arg>" → "deal:12")."""
    keys = set()
    for button in _buttons(message_blocks):
        value = str(button.get("value") or "")
        intent, _, arg = value.removeprefix("@do:").partition(":")
        if value.startswith("@do:") and intent in Intent._value2member_map_:
            keys.add(about(Intent(intent), arg))
    return frozenset(keys - {None})


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


CARDS_KEPT = 30  # a person's latest cards still showing buttons, remembered


class LiveMessages:
    """Each person's current prompt and cards, and the edits that keep their DM current."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.prompts: dict[str, list[Shown]] = {}  # user id → this turn's prompts (a list, its chips)
        self.cards: dict[str, list[tuple[frozenset[str], Shown]]] = {}  # user id → cards

    async def posted(self, user_id: str, shown: Shown, about: frozenset[str] = frozenset()
                     ) -> None:
        """A message was posted or updated in the person's DM: their prompt if it is one; a
        card of the objects its buttons name (and those of `about`: a notice's negotiation),
        which retires their older cards."""
        if is_prompt(shown.blocks):
            turn = [p for p in self.prompts.setdefault(user_id, []) if p.ts != shown.ts]
            self.prompts[user_id] = [*turn, shown]
        keys = objects(shown.blocks) | about
        if keys:
            await self.retire_cards(user_id, keys, keep_ts=shown.ts)
            kept = self.cards.setdefault(user_id, [])
            kept.append((keys, shown))
            del kept[:-CARDS_KEPT]

    async def retire_cards(self, user_id: str, keys: frozenset[str] | set[str],
                           keep_ts: str | None = None) -> None:
        """Take the buttons off the person's cards of these objects (but the one at keep_ts)."""
        kept = []
        for card_keys, shown in self.cards.get(user_id, []):
            if card_keys & keys and shown.ts != keep_ts:
                await self.update(shown.channel, shown.ts, shown.text,
                                  without_buttons(shown.blocks))
            elif shown.ts != keep_ts:
                kept.append((card_keys, shown))
        self.cards[user_id] = kept

    def forget(self, ts: str) -> None:
        """A message was edited elsewhere (its card retired through the outbox)."""
        for user_id, kept in self.cards.items():
            self.cards[user_id] = [(k, shown) for k, shown in kept if shown.ts != ts]

    async def moved_on(self, user_id: str, keep_ts: str | None = None) -> None:
        """The person's conversation took a turn: the last turn's prompts lose their buttons
        (but the message about to be replaced)."""
        for shown in self.prompts.pop(user_id, []):
            if shown.ts != keep_ts:
                await self.update(shown.channel, shown.ts, shown.text,
                                  without_buttons(shown.blocks))

    async def replace(self, user_id: str, channel: str, ts: str, reply: Outbound) -> bool:
        """Show `reply` in place of the message at `ts`; False when Slack refuses."""
        text, message_blocks = blocks.message(reply)
        if not await self.update(channel, ts, text, message_blocks):
            return False
        await self.posted(user_id, Shown(channel, ts, text, message_blocks))
        return True

    async def update(self, channel: str, ts: str, text: str,
                     message_blocks: list[dict[str, Any]]) -> bool:
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=message_blocks)
        except SlackApiError as exc:  # deleted, or too old to edit: the next step is posted
            log.info("slack: could not update a message (%s)", exc.response.get("error"))
            return False
        return True
