"""A Slack DM kept current instead of a transcript: a button's answer replaces the message
whose button was pressed (`chat.update`); a conversation's prompt loses the conversation's
buttons once the conversation has moved on — the engine refuses them then anyway ("That button
is no longer active"), so they must not look live — but for the steps of an object it shows
(a session's Review); and a message whose buttons name an object (an offer, a deal, a session:
core.actions.about) is its card, whose buttons go when a newer card of it is shown.
Whatever takes buttons away keeps the words the message shows now: an answer shown in place
of a notice stays as it was answered.

What still shows buttons is kept in this process's memory: with several workers, a message
posted by another keeps its (politely refused) buttons. Notices are retired through the
outbox, whatever the worker (core.notifications.cards), once each: this process edits a
notice only after taking it from the outbox (`release`), and a notice answered in place by one
of its object's steps is recorded there as the answer (`reshown`), so the outbox retires what
is shown, never writing the notice's old words over the answer."""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

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


def _object_of(button: dict[str, Any]) -> str | None:
    """The object a button's step is about ("@do:<intent>:<arg>" → "deal:12"), if any."""
    value = str(button.get("value") or "")
    intent, _, arg = value.removeprefix("@do:").partition(":")
    if value.startswith("@do:") and Intent.is_declared(intent):
        return about(Intent.named(intent), arg)
    return None


def objects(message_blocks: list[dict[str, Any]]) -> frozenset[str]:
    """The objects a message's buttons name ("@do:<intent>:<arg>" → "deal:12")."""
    return frozenset(key for b in _buttons(message_blocks) if (key := _object_of(b)))


def _stamped(button: dict[str, Any]) -> bool:
    return bool(_STAMPED.match(str(button.get("value") or "")))


def is_prompt(message_blocks: list[dict[str, Any]]) -> bool:
    """Whether a message is a conversation's prompt: it has the conversation's buttons."""
    return any(_stamped(b) for b in _buttons(message_blocks))


def without_buttons(message_blocks: list[dict[str, Any]],
                    gone: Callable[[dict[str, Any]], bool] = lambda button: True
                    ) -> list[dict[str, Any]]:
    """The message's blocks with its buttons (those `gone` picks) taken away; its words stay."""
    kept = []
    for block in message_blocks:
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory.get("type") == "button" and gone(accessory):
            block = {k: v for k, v in block.items() if k != "accessory"}
        if block.get("type") == "actions":
            elements = [e for e in block.get("elements") or []
                        if isinstance(e, dict) and e.get("type") == "button" and not gone(e)]
            if not elements:
                continue
            block = {**block, "elements": elements}
        kept.append(block)
    return kept


def without_prompt_buttons(message_blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A passed prompt: its buttons go but the steps of an object it is a card of (a session's
    "⭐ Review"), which stay possible until a newer card of that object retires them."""
    return without_buttons(message_blocks, lambda button: _object_of(button) is None)


def replaces(reply: Outbound) -> bool:
    """Whether an answer may take the pressed message's place: a step to show, not an error
    (which the person reads beside what they pressed) nor a form or a file."""
    return isinstance(reply, Reply | ListPage) and getattr(reply, "kind", "text") != "error"


CARDS_KEPT = 30  # a person's latest cards still showing buttons, remembered
SHOWN_KEPT = 2000  # messages whose current words this process remembers


@dataclass
class _Card:
    keys: frozenset[str]
    ts: str
    notice: bool  # an outbox notice: retired once, through the outbox's claim


class Outbox(Protocol):
    """The outbox's record of the notices delivered as cards (core.notifications.cards)."""

    async def release(self, address: str, ref: str) -> bool:
        """Take the card at `ref` ("channel ts") from the outbox: True when this process may
        retire it now, False when the outbox did already."""

    async def reshown(self, address: str, ref: str, shown: Shown, keys: frozenset[str]) -> bool:
        """The card at `ref` shows `shown` now, its steps about `keys`: True when it is still
        the outbox's to retire (as shown now)."""


class NoOutbox:
    """A channel without one (a test's): this process retires every card itself."""

    async def release(self, address: str, ref: str) -> bool:
        return True

    async def reshown(self, address: str, ref: str, shown: Shown, keys: frozenset[str]) -> bool:
        return False


class LiveMessages:
    """Each person's current prompt and cards, what each message shows now, and the edits that
    keep their DM current."""

    def __init__(self, client: Any, outbox: Outbox | None = None) -> None:
        self.client = client
        self.outbox = outbox or NoOutbox()
        self.prompts: dict[str, list[str]] = {}  # user id → this turn's prompts' ts
        self.cards: dict[str, list[_Card]] = {}  # user id → their cards, oldest first
        self.shown: OrderedDict[str, Shown] = OrderedDict()  # ts → what it shows now

    def showing(self, ts: str) -> Shown | None:
        """What the message at `ts` shows now, if this process posted or edited it."""
        return self.shown.get(ts)

    def remember(self, shown: Shown) -> None:
        """The message at `shown.ts` shows this now (posted or edited)."""
        self.shown[shown.ts] = shown
        self.shown.move_to_end(shown.ts)
        while len(self.shown) > SHOWN_KEPT:
            self.shown.popitem(last=False)

    async def posted(self, user_id: str, shown: Shown, about: frozenset[str] = frozenset(),
                     notice: bool = False, retires_notices: bool = True) -> None:
        """A message was posted or updated in the person's DM: their prompt if it is one; a
        card of the objects its buttons name (and those of `about`), which retires their older
        cards (older notices only when `retires_notices`: after a notice is delivered, the
        outbox retires them, once). A `notice` is a card the outbox retires."""
        self.remember(shown)
        turn = [ts for ts in self.prompts.get(user_id, []) if ts != shown.ts]
        self.prompts[user_id] = [*turn, shown.ts] if is_prompt(shown.blocks) else turn
        kept = [c for c in self.cards.get(user_id, []) if c.ts != shown.ts]  # it shows this now
        self.cards[user_id] = kept
        keys = objects(shown.blocks) | about
        if keys:
            await self.retire_cards(user_id, keys, keep_ts=shown.ts, notices=retires_notices)
            self.cards[user_id].append(_Card(keys, shown.ts, notice))
            del self.cards[user_id][:-CARDS_KEPT]

    async def retire_cards(self, user_id: str, keys: frozenset[str] | set[str],
                           keep_ts: str | None = None, notices: bool = True) -> None:
        """Take the buttons off the person's cards of these objects (but the one at keep_ts;
        notices only when `notices`, taken from the outbox first), keeping the words each
        shows now."""
        kept = []
        for card in self.cards.get(user_id, []):
            if not card.keys & keys or card.ts == keep_ts or (card.notice and not notices):
                kept.append(card)
                continue
            shown = self.shown.get(card.ts)
            if shown is None or (card.notice and not await self.outbox.release(
                    user_id, f"{shown.channel} {shown.ts}")):
                continue  # forgotten, or retired through the outbox already
            await self.update(shown.channel, shown.ts, shown.text, without_buttons(shown.blocks))
        self.cards[user_id] = kept

    def forget(self, ts: str) -> None:
        """A card was retired elsewhere (through the outbox): it is a card no more."""
        for user_id, kept in self.cards.items():
            self.cards[user_id] = [c for c in kept if c.ts != ts]

    async def moved_on(self, user_id: str, keep_ts: str | None = None) -> None:
        """The person's conversation took a turn: the last turn's prompts lose the
        conversation's buttons (but the message about to be replaced)."""
        for ts in self.prompts.pop(user_id, []):
            shown = self.shown.get(ts)
            if shown is not None and ts != keep_ts:
                await self.update(shown.channel, ts, shown.text,
                                  without_prompt_buttons(shown.blocks))

    async def replace(self, user_id: str, channel: str, ts: str, reply: Outbound,
                      pressed: str = "") -> bool:
        """Show `reply` in place of the message at `ts`, whose button `pressed` (its value)
        was; False when Slack refuses. When that button was an object's step, the answer is
        that object's card now: a notice there is retired later as the answer, not as its old
        words (or, with no buttons left to take away, is the outbox's no more)."""
        text, message_blocks = blocks.message(reply)
        shown, ref = Shown(channel, ts, text, message_blocks), f"{channel} {ts}"
        step = _object_of({"value": pressed})
        keys = objects(message_blocks) | ({step} if step else set())
        if not _buttons(message_blocks):
            keys = frozenset()
        notice = bool(keys) and await self.outbox.reshown(user_id, ref, shown, keys)
        if not notice:
            await self.outbox.release(user_id, ref)
        if not await self.update(channel, ts, text, message_blocks):
            return False
        await self.posted(user_id, shown, keys, notice=notice)
        return True

    async def update(self, channel: str, ts: str, text: str,
                     message_blocks: list[dict[str, Any]]) -> bool:
        """Edit the message at `ts`, remembering what it shows now; False when Slack refuses."""
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=message_blocks)
        except SlackApiError as exc:  # deleted, or too old to edit: the next step is posted
            log.info("slack: could not update a message (%s)", exc.response.get("error"))
            return False
        self.remember(Shown(channel, ts, text, message_blocks))
        return True
