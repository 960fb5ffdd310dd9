"""A notice about an object is its card: once a newer card of the same object is delivered
into a chat, the older cards there lose their buttons (each once, whatever the workers); cards
of other objects, and notices that name none, keep theirs. An object that changed without a new
card in a chat has its latest card there rewritten to what it is at delivery. (Through the real
senders: tests/telegram/test_cards.py and the Slack deal journey.)"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from core.actions import Action, about, abouts
from core.deals.intents import DealIntent
from core.notifications import cards
from core.notifications.cards import RetryLater
from core.notifications.delivery import Attachment
from core.notifications.dispatcher import OutboxDispatcher
from core.notifications.outbox import rewrite_card
from core.notifications.ratelimit import Rate, SendLimiter
from core.notifications.tables import OutboxMessage
from tests.test_outbox import make_account, queue


def deal_card(deal: int, step: str = "pay") -> list[list[Action]]:
    return [[Action(DealIntent.DEAL_STEP, "Next", f"{deal}:{step}")],
            [Action(DealIntent.VIEW_DEAL, "Open the deal", str(deal))]]


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


class RewritingSender(EditingSender):
    """Also rewrites a card in place, recording (where, what it said, what it says now)."""

    def __init__(self) -> None:
        super().__init__()
        self.rewritten: list[tuple[str, str, str]] = []

    async def rewrite(self, address: str, ref: str, was: dict[str, Any],
                      now: dict[str, Any]) -> None:
        self.rewritten.append((ref, was["text"], now["text"]))


def unpaced(app, sender: EditingSender) -> OutboxDispatcher:
    """A dispatcher that sends at once: pacing is not what these tests are about."""
    unlimited = SendLimiter({"telegram": Rate(10_000, 10_000)})
    return OutboxDispatcher(app.sessions, app.clock, {"telegram": sender}, unlimited)


class DealsNow:
    """A deal's card as it is now: its state is what the test says it is at delivery."""

    def __init__(self) -> None:
        self.state = {"1": "paid", "2": "agreed"}
        self.asked: list[tuple[str, int]] = []

    async def __call__(self, deal_id: str, account_id: int) -> dict[str, Any] | None:
        self.asked.append((deal_id, account_id))
        if deal_id not in self.state:
            return None
        return {"text": f"deal {deal_id}: {self.state[deal_id]}",
                "buttons": [[{"intent": DealIntent.VIEW_DEAL.value, "arg": deal_id,
                              "label": "Open the deal"}]]}


async def rewriting(app) -> tuple[int, RewritingSender, DealsNow, OutboxDispatcher]:
    """An account, and a dispatcher whose channel rewrites cards, drawing deals by `DealsNow`."""
    sender, builder = RewritingSender(), DealsNow()
    dispatcher = unpaced(app, sender)
    dispatcher.card_builders["deal"] = builder
    return await make_account(app), sender, builder, dispatcher


async def rewrite(app, account: int, key: str, after: timedelta | None = None) -> None:
    async with app.uow() as uow:
        await rewrite_card(uow, account, key, after=after)
        await uow.commit()


def test_an_intents_argument_names_its_object():
    assert about(DealIntent.DEAL_STEP, "12:pay") == "deal:12"
    assert about(DealIntent.ANSWER_OFFER, "accept:7") == "offer:7"
    assert about(DealIntent.REPLY_THREAD, "3") is None  # a thread's messages stay answerable
    assert about(DealIntent.VIEW_DEAL, "") is None
    assert abouts(deal_card(4)) == {"deal:4"}


async def test_a_newer_card_of_the_same_object_takes_the_older_ones_buttons(app):
    account = await make_account(app)
    sender = EditingSender()
    dispatcher = unpaced(app, sender)
    await queue(app, account, "deal 1: agreed", buttons=deal_card(1, "accept-terms"))
    await queue(app, account, "deal 2: agreed", buttons=deal_card(2, "accept-terms"))
    await queue(app, account, "a message", buttons=[[Action(DealIntent.REPLY_THREAD, "Reply", "5")]])
    await dispatcher.run_once()
    assert sender.retired == []
    await queue(app, account, "deal 1: pay now", buttons=deal_card(1))
    await queue(app, account, "offer 9 on the talk", about=["talk:3:1"],
                buttons=[[Action(DealIntent.ANSWER_OFFER, "Accept", "accept:9")]])
    await queue(app, account, "deal 3 agreed from the talk", about=["talk:3:1"],
                buttons=deal_card(3, "accept-terms"))
    await dispatcher.run_once()
    assert sender.retired == ["deal 1: agreed", "offer 9 on the talk"]
    # Retired once: another pass, or a second worker, finds nothing more to do.
    second = unpaced(app, sender)
    await asyncio.gather(dispatcher.run_once(), second.run_once())
    assert sender.retired == ["deal 1: agreed", "offer 9 on the talk"]


async def test_a_change_without_a_new_card_rewrites_the_latest_card_as_the_object_is_now(app):
    account, sender, builder, dispatcher = await rewriting(app)
    await queue(app, account, "deal 1: pay now", buttons=deal_card(1))
    await queue(app, account, "deal 2: agreed", buttons=deal_card(2, "accept-terms"))
    await dispatcher.run_once()
    await rewrite(app, account, "deal:1")
    builder.state["1"] = "shipped"  # changed again before delivery: the card shows it as it is
    assert await dispatcher.run_once() == 1
    assert sender.rewritten == [("m1", "deal 1: pay now", "deal 1: shipped")]
    assert len(sender.sent) == 2  # nothing new in the chat
    # The card keeps what it shows now: a newer card of the deal retires those words.
    await queue(app, account, "deal 1: delivered", buttons=deal_card(1, "confirm"))
    await dispatcher.run_once()
    assert sender.retired == ["deal 1: shipped"]


async def test_a_rewrite_leaves_newer_cards_answers_shown_in_place_and_gone_objects_alone(app):
    account, sender, builder, dispatcher = await rewriting(app)
    await queue(app, account, "deal 1: pay now", buttons=deal_card(1))
    await dispatcher.run_once()
    # Held back (the mover's own card): meanwhile a newer card of the deal came.
    await rewrite(app, account, "deal:1", after=timedelta(seconds=5))
    await queue(app, account, "deal 1: paid, ship", buttons=deal_card(1, "ship"))
    await dispatcher.run_once()
    app.clock.advance(seconds=6)
    await dispatcher.run_once()
    assert sender.rewritten == [] and builder.asked == []
    # An answer shown in the card's place stays: the person is reading it.
    await queue(app, account, "deal 2: agreed", buttons=deal_card(2, "accept-terms"))
    await dispatcher.run_once()
    assert await cards.reshown(app.sessions, "telegram", "42", "m3", {"text": "Accepted"},
                               {"deal:2"})
    await rewrite(app, account, "deal:2")
    # A deal gone (or no longer theirs): nothing to draw, nothing changed.
    await rewrite(app, account, "deal:1")
    builder.state.pop("1")
    await dispatcher.run_once()
    assert sender.rewritten == []
    assert builder.asked == [("1", account)]
    async with app.uow() as uow:  # each rewrite row is done, none left to try again
        left = await uow.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.channel == "telegram", OutboxMessage.status != "sent"))
    assert left == 0


async def test_a_rewrite_the_channel_asks_to_wait_for_is_made_once_the_wait_is_over(app):
    account, sender, builder, dispatcher = await rewriting(app)
    await queue(app, account, "deal 1: pay now", buttons=deal_card(1))
    await dispatcher.run_once()
    waits = [RetryLater(3)]
    rewrite_now = sender.rewrite

    async def busy_once(address: str, ref: str, was: dict[str, Any], now: dict[str, Any]) -> None:
        if waits:
            raise waits.pop()  # Telegram's 429 "retry after 3"
        await rewrite_now(address, ref, was, now)

    sender.rewrite = busy_once  # type: ignore[method-assign]
    await rewrite(app, account, "deal:1")
    builder.state["1"] = "shipped"
    await dispatcher.run_once()
    assert sender.rewritten == []  # not dropped: the chat waits
    app.clock.advance(seconds=4)
    await dispatcher.run_once()
    assert [now for _, _, now in sender.rewritten] == ["deal 1: shipped"]
