"""A notice about an object is its card: once a newer card of the same object is delivered
into a chat, the older cards there lose their buttons (each once, whatever the workers); cards
of other objects, and notices that name none, keep theirs. (Through the real senders:
tests/telegram/test_cards.py and the Slack deal journey.)"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from core.actions import Action, Intent, about, abouts
from core.notifications.dispatcher import Attachment, OutboxDispatcher
from tests.test_outbox import make_account, queue


def deal_card(deal: int, step: str = "pay") -> list[list[Action]]:
    return [[Action(Intent.DEAL_STEP, "Next", f"{deal}:{step}")],
            [Action(Intent.VIEW_DEAL, "Open the deal", str(deal))]]


class EditingSender:
    """Records what it sent and which cards it was asked to take the buttons off."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.retired: list[str] = []

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> str:
        self.sent.append(payload["text"])
        return f"m{len(self.sent)}"

    async def retire(self, address: str, ref: str, payload: dict[str, Any]) -> None:
        self.retired.append(payload["text"])


def test_an_intents_argument_names_its_object():
    assert about(Intent.DEAL_STEP, "12:pay") == "deal:12"
    assert about(Intent.ANSWER_OFFER, "accept:7") == "offer:7"
    assert about(Intent.REPLY_THREAD, "3") is None  # a thread's messages stay answerable
    assert about(Intent.VIEW_DEAL, "") is None
    assert abouts(deal_card(4)) == {"deal:4"}


async def test_a_newer_card_of_the_same_object_takes_the_older_ones_buttons(app):
    account = await make_account(app)
    sender = EditingSender()
    dispatcher = OutboxDispatcher(app.sessions, app.clock, {"telegram": sender})
    await queue(app, account, "deal 1: agreed", buttons=deal_card(1, "accept-terms"))
    await queue(app, account, "deal 2: agreed", buttons=deal_card(2, "accept-terms"))
    await queue(app, account, "a message", buttons=[[Action(Intent.REPLY_THREAD, "Reply", "5")]])
    await dispatcher.run_once()
    assert sender.retired == []
    await queue(app, account, "deal 1: pay now", buttons=deal_card(1))
    await queue(app, account, "offer 9 on the talk", about=["talk:3:1"],
                buttons=[[Action(Intent.ANSWER_OFFER, "Accept", "accept:9")]])
    await queue(app, account, "deal 3 agreed from the talk", about=["talk:3:1"],
                buttons=deal_card(3, "accept-terms"))
    await dispatcher.run_once()
    assert sender.retired == ["deal 1: agreed", "offer 9 on the talk"]
    # Retired once: another pass, or a second worker, finds nothing more to do.
    second = OutboxDispatcher(app.sessions, app.clock, {"telegram": sender})
    await asyncio.gather(dispatcher.run_once(), second.run_once())
    assert sender.retired == ["deal 1: agreed", "offer 9 on the talk"]
