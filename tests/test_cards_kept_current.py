"""An object's latest card is rewritten to what the object is now when it changes without a new
card in that chat — through the real python-telegram-bot application (editMessageText on the
card's message) and the real slack-bolt app (chat.update on the card's ts):

- a seller who ships from somewhere else than the "Ship by" card (the Mini App, the deal's
  own view, another worker) finds that card saying "shipped", without a "Mark shipped" that a
  press would refuse — a few seconds after, so a card pressed is answered in place first;
- when the ratings close (a timer: nobody is told), each party's "Deal completed" card loses
  its "Rate" and says the deal is closed.
No new message comes for either. And each card rewritten is the card opened from /deals, line
for line and button for button (core.deals.deal_card) — on Telegram after the shipping, on
Slack once the deal is closed."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest

from core.deals import deals, due
from core.deals.after_sale import service as after_sale
from tests.catalog.helpers import publish
from tests.deals.chat_helpers import agreed_between
from tests.support.accounts import registered
from tests.support.fake_slack import button_values
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER, World

pytestmark = pytest.mark.journey
# A deal card's buttons (core.deals.deal_card): the steps possible now, then its other doors
# (the rarer steps, the inspection, the terms' PDF, sharing; the carbon receipt once
# completed), ended by a notice with the deal itself — by the chat with Done and its Cancel.
OPEN, CHAT_FRAME = "🤝 Open the deal", ("✔ Done", "◀ Back", "✖ Cancel")
CARD_AFTER_SHIPPING = ["Mark delivered", "🚚 Shipment update", "⚖ Open a dispute",
                       "🔬 Book an inspection", "📄 Terms (PDF)", "📣 Share", OPEN]
CARD_WHEN_CLOSED = ["📄 Terms (PDF)", "🌱 Carbon receipt", "📣 Share", OPEN]


def telegram_card(world: World, needle: str) -> dict[str, Any]:
    [card] = [m for m in world.telegram.shown(TELEGRAM_USER)
              if needle in str(m.get("text") or m.get("caption") or "")]
    return card


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row]


def slack_card(world: World, ts: str) -> dict[str, Any]:
    [card] = [m for m in world.slack.shown(SLACK_USER) if m.get("ts") == ts]
    return card


def slack_words(message: dict[str, Any]) -> str:
    return str(message.get("text") or "") + " ".join(
        str((block.get("text") or {}).get("text") or "") for block in message.get("blocks") or [])


async def telegram_drawn(world: World, message_id: int, needle: str) -> dict[str, Any]:
    """Sam's message `message_id` once the app has drawn it to say `needle`."""
    for _ in range(25):
        message = world.telegram.messages[message_id]
        if needle in str(message.get("text")):
            return message
        await asyncio.sleep(0.1)
    raise AssertionError(f"message {message_id} never said {needle!r}")


async def slack_other_card(world: World, needle: str, but: dict[str, Any]) -> dict[str, Any]:
    """The card in Bob's DM, other than `but`, that says `needle` (once the app drew it)."""
    for _ in range(25):
        found = [m for m in world.slack.shown(SLACK_USER)
                 if m.get("ts") != but["ts"] and needle in slack_words(m)]
        if found:
            return found[-1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no other card says {needle!r}")


async def paid_deal(world: World) -> tuple[int, int, int]:
    """Sam (Telegram) sells to Bob (Slack): a deal agreed, its terms accepted and paid."""
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram",
                           address=str(TELEGRAM_USER), roles=("seller",), display_name="Sam",
                           country="LV", city="Riga")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           display_name="Bob", country="EE", city="Tallinn")
    listing_id = await publish(app, sam, negotiable="yes", min_order="20", quantity="500")
    deal_id = await agreed_between(app, listing_id, bob.id, sam.id, "100", "220")
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    assert escrow is not None
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    await world.deliver()
    return sam.id, bob.id, deal_id


async def test_a_deal_moved_without_a_new_card_rewrites_each_partys_latest_card(world):
    app, fake = world.app, world.telegram
    sam, bob, deal_id = await paid_deal(world)
    ship_by = telegram_card(world, "Ship by")
    assert "Mark shipped" in labels(ship_by)

    # Sam ships, not from that card: Bob hears it; Sam's card waits its few seconds.
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam, "DSV", "CMR-77", None)
        await uow.commit()
    start = fake.mark()
    await world.deliver()
    await world.bob_sees("on the way")
    assert "Mark shipped" in labels(fake.messages[ship_by["message_id"]])
    app.clock.advance(seconds=6)
    await world.deliver()
    # as rewritten (the fake edits its messages in place, and a newer card of the deal will
    # take this one's buttons away)
    rewritten = copy.deepcopy(fake.messages[ship_by["message_id"]])
    assert "Status: shipped" in rewritten["text"] and "via DSV (CMR-77)" in rewritten["text"]
    assert "Mark shipped" not in labels(rewritten)
    # its next steps now and the card's other doors, as the card opened from /deals has them
    assert labels(rewritten) == CARD_AFTER_SHIPPING
    assert fake.count(TELEGRAM_USER, since=start) == 0  # nothing new in Sam's chat
    assert fake.count(TELEGRAM_USER, ("editMessageText",), since=start) == 1
    # the same card, opened from /deals: the same lines, the same buttons (its frame aside)
    await world.sam.say("/deals", "Open one, or Done.")
    listed, _ = fake.find_button(TELEGRAM_USER, "Open")  # the list, newer than the card
    await world.sam.tap("Open", "Status: shipped", message_id=listed["message_id"])
    opened = await telegram_drawn(world, listed["message_id"], "Status: shipped")
    assert opened["text"] == rewritten["text"]
    assert [b for b in labels(opened) if b not in CHAT_FRAME] == \
        [b for b in labels(rewritten) if b != OPEN]

    # Bob confirms the goods arrived: both hear it, with ⭐ Rate on each card.
    async with app.uow() as uow:
        await deals.take(uow, deal_id, "confirm-receipt", bob)
        await uow.commit()
    await world.deliver()
    completed = await world.bob_sees("Deal completed")
    assert any("Rate" in label for label in button_values(completed.get("blocks")))
    sams = telegram_card(world, "Deal completed")
    assert any("Rate" in label for label in labels(sams))

    # Nobody rated; the ratings close two weeks on (nobody is told): no Rate is left.
    posts, start = len(world.slack.calls_to("chat.postMessage")), fake.mark()
    app.clock.advance(days=15)
    assert ("deal", deal_id, "close-reviews") in await due.run_all(app.uow)
    await world.deliver()
    sams = fake.messages[sams["message_id"]]
    assert "Status: closed" in sams["text"] and labels(sams) == CARD_WHEN_CLOSED
    bobs = copy.deepcopy(slack_card(world, completed["_where"][1]))  # as rewritten
    assert "Status: closed" in slack_words(bobs)
    assert list(button_values(bobs.get("blocks"))) == CARD_WHEN_CLOSED
    assert fake.count(TELEGRAM_USER, since=start) == 0
    assert len(world.slack.calls_to("chat.postMessage")) == posts
    # Bob opens the deal from /deals on Slack: the card drawn by the chat reads as the card
    # rewritten did.
    await world.bob.command("deals")
    await world.bob_sees("Your deals and offers")  # the list's "Open", newer than the card's
    await world.bob_presses("Open")  # answered on the list (the older card loses its buttons)
    opened = await slack_other_card(world, "Status: closed", bobs)
    assert opened["text"] == bobs["text"]
    assert slack_words(opened).strip() == slack_words(bobs).strip()
    assert [b for b in button_values(opened.get("blocks")) if b not in CHAT_FRAME] == \
        [b for b in button_values(bobs.get("blocks")) if b != OPEN]
