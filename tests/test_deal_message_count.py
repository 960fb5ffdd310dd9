"""One card per object, kept current: a whole deal — the first question through the listing's
Ask, offer, counter-offer, accept, terms, pay in the sandbox, ship, confirm delivery, rate both
ways — through the real python-telegram-bot application (and the real slack-bolt app), counting
the bot's new messages in each party's chat. A press is answered on the card pressed, so a deal
takes at most 20 new messages per party on either channel, and no button left showing at the end
is one a press would refuse."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlparse

import pytest

from core import conversation_store
from core.deals import deals
from tests.catalog.helpers import publish
from tests.slack.conftest import _settle, message_text
from tests.support.accounts import registered
from tests.support.fake_slack import button_values
from tests.support.fake_telegram import EDITS, Call, FakeTelegram
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER, World
from tests.telegram.conftest import TelegramUser

SELLER, BUYER = TELEGRAM_USER, 4343
MOST = 20  # new bot messages per party over a whole deal
# Buttons that work from any message, whatever happened since (menus, a receipt, a reply).
ALWAYS = ("@menu", "@help", "@go:", "@do:reply", "@do:receipt")


class Person(TelegramUser):
    """A person on Telegram who waits, after each action, until the bot has finished
    answering (no call for a moment), so the next action presses what is shown then."""

    async def send(self, update: dict[str, Any], expect: str, timeout: float = 5.0) -> Call:  # noqa: ASYNC109
        call = await super().send(update, expect, timeout)
        await quiet(self.fake)
        return call

    async def tap(self, label: str, expect: str, message_id: int | None = None,
                  timeout: float = 5.0) -> Call:  # noqa: ASYNC109
        """Press a button the chat shows now (never one an earlier message had)."""
        shown = [b["text"] for m in self.fake.shown(self.id)
                 for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
        assert any(label.lower() in text.lower() for text in shown), (label, shown)
        return await super().tap(label, expect, message_id, timeout)


async def quiet(fake: FakeTelegram, for_seconds: float = 0.15) -> None:
    """Until no Bot API call but the long poll has arrived for a moment."""
    def busy() -> int:
        return sum(1 for c in fake.calls if c.method != "getUpdates")
    seen = busy()
    while True:
        await asyncio.sleep(for_seconds)
        if busy() == seen:
            return
        seen = busy()


async def told(world: World, person: Person, needle: str) -> None:
    """Deliver notices until one with `needle` shows in the person's chat."""
    for _ in range(25):
        await world.deliver()
        await quiet(world.telegram)
        if any(needle in str(m.get("text") or m.get("caption") or "")
               for m in world.telegram.shown(person.id)):
            return
    raise AssertionError(f"{person.id} was never told {needle!r}: {texts(world.telegram, person.id)}")


def texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [str(m.get("text") or m.get("caption")) for m in fake.shown(chat_id)]


async def pay(world: World, deal_id: int = 1) -> None:
    """Pay the deal's escrow on the sandbox's page, as the buyer's Pay link opens it."""
    escrow = await world.app.payments.by_reference(deals.reference(deal_id))
    assert escrow is not None and escrow.pay_url
    paid = await world.http.post(urlparse(escrow.pay_url).path,
                                 data={"card_number": "4242 4242 4242 4242"})
    assert paid.status_code == 200
    assert (await world.app.payments.get(escrow.id)).state == "held"


async def refused_buttons(world: World, chat_id: int) -> list[str]:
    """The buttons showing in a Telegram chat that a press would refuse."""
    shown = [(b["text"], str(b.get("callback_data") or ""), str(m.get("text") or m.get("caption")))
             for m in world.telegram.shown(chat_id)
             for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
    return refused(shown, await token(world, "telegram", str(chat_id), str(chat_id)))


async def refused_on_slack(world: World) -> list[str]:
    """The buttons showing in Bob's Slack DM that a press would refuse."""
    shown = [(label, value, message_text(m)) for m in world.slack.shown(SLACK_USER)
             for label, value in button_values(m.get("blocks")).items()]
    return refused(shown, await token(world, "slack", f"T0AGORA:{SLACK_USER}", SLACK_USER))


async def token(world: World, channel: str, user_key: str, chat_id: str) -> str:
    """The prompt token the person's conversation accepts now."""
    async with world.app.uow() as uow:
        return (await conversation_store.load(uow, channel, user_key, chat_id, lock=False)).token


def refused(shown: list[tuple[str, str, str]], current: str) -> list[str]:
    """Of (label, data, message text): a conversation's button whose prompt the conversation
    has moved past, or an object's next step left on a card (the deal is over: none is one)."""
    found = []
    for label, data, text in shown:
        if not data or data.startswith(("http://", "https://")) or data.startswith(ALWAYS):
            continue
        if data.startswith("@") or data.partition("|")[0] != current:
            found.append(f"{label} ({data}) on {text[:60]!r}")
    return found


# The Telegram seller's part, the same whoever buys: a counter-offer at 225, the shipment, the
# rating of the buyer.


async def seller_counters(sam: Person) -> None:
    await sam.tap("Counter", "Quantity")
    await sam.tap("Keep", "Price")
    await sam.say("225", "Counter-offer on")
    await sam.tap("Send", "Sent (offer #")


async def seller_ships(sam: Person) -> None:
    await sam.tap("Mark shipped", "Carrier")
    await sam.say("DSV", "Tracking")
    await sam.say("CMR-77", "Expected arrival")
    await sam.tap("Skip", "Marked shipped")


async def seller_rates(sam: Person) -> None:
    await sam.tap("Rate", "Overall")
    await sam.tap("★★★★", "Payment")
    await sam.tap("Skip", "Communication")
    await sam.tap("Skip", "comment")
    await sam.tap("Skip", "Thank you")


@pytest.mark.journey
async def test_a_telegram_deal_takes_at_most_20_new_messages_per_party(world):
    app, fake = world.app, world.telegram
    seller = await registered(app, str(SELLER), channel="telegram", address=str(SELLER),
                              roles=("seller",), display_name="Sam", country="LV", city="Riga")
    await registered(app, str(BUYER), channel="telegram", address=str(BUYER),
                     display_name="Tom", country="EE", city="Tallinn")
    listing_id = await publish(app, seller, negotiable="yes", min_order="20", quantity="500")
    sam, tom = Person(fake, SELLER), Person(fake, BUYER)
    start = fake.mark()

    await tom.say(f"/view {listing_id}", "pellets")
    await tom.tap("Ask the seller", "")
    await tom.say("Are the pellets bagged?", "")
    await told(world, sam, "bagged")
    await sam.tap("Reply", "Message Tom")
    await sam.say("Yes, 15 kg bags.", "Sent to Tom")
    await told(world, tom, "15 kg bags")

    await tom.say(f"/view {listing_id}", "pellets")  # the card became the question: again
    await tom.tap("Make an offer", "Quantity")
    await tom.say("100", "Price")
    await tom.say("200", "100 t × 200,00")
    await tom.tap("Send", "Sent (offer #")
    await told(world, sam, "Offer #")
    await seller_counters(sam)
    await told(world, tom, "Changed since the last round: price")
    await tom.tap("Accept", "deal #")

    await told(world, tom, "terms are attached")
    await tom.tap("accept the terms", "Legal name")
    await tom.tap("Keep", "Street")
    await tom.say("Pärnu mnt 10", "Postcode")
    await tom.say("10148", "Town")
    await tom.tap("Keep", "Country")
    await tom.tap("Keep", "VAT number")
    await tom.tap("Skip", "Billing details saved")
    await tom.tap("Accept version 1", "Waiting for the other party")
    await told(world, sam, "accepted: deal #")
    await world.sam_accepts_the_first_terms()

    await told(world, tom, "into escrow")
    await tom.tap("Pay", "Pay")
    await pay(world)

    await told(world, sam, "Ship by")
    await seller_ships(sam)
    await told(world, tom, "on the way")
    await tom.tap("Confirm delivery", "")
    await tom.tap("Yes: the goods arrived", "")

    await told(world, tom, "Deal completed")
    await tom.tap("Rate", "Overall")
    await tom.tap("★★★★★", "")
    for _ in range(4):
        await tom.tap("Skip", "")
    await told(world, sam, "Deal completed")
    await seller_rates(sam)
    await told(world, tom, "ratings of deal #1 are published")
    await told(world, sam, "ratings of deal #1 are published")

    # (new messages, edits) per party: the presses were answered on the cards pressed, a
    # document's under its caption (the terms, the carbon receipt).
    counts = {who: (fake.count(who, since=start), fake.count(who, EDITS, since=start))
              for who in (SELLER, BUYER)}
    assert counts[SELLER][0] <= MOST and counts[BUYER][0] <= MOST, counts
    assert counts[SELLER][1] >= 10 and counts[BUYER][1] >= 10, counts
    assert fake.count(BUYER, ("editMessageCaption",), since=start) >= 2
    assert await refused_buttons(world, SELLER) == []
    assert await refused_buttons(world, BUYER) == []


def slack_counts(world: World, since: int) -> tuple[int, int]:
    """(new messages, updates) in Bob's DM: posts and uploaded files, chat.update calls."""
    dm = (SLACK_USER, f"D{SLACK_USER[1:]}")
    calls = world.slack.calls[since:]
    new = sum(1 for c in calls if (c.method == "chat.postMessage" and c.params.get("channel") in dm)
              or (c.method == "files.completeUploadExternal" and c.params.get("channel_id") in dm))
    return new, sum(1 for c in calls if c.method == "chat.update" and c.params.get("channel") in dm)


@pytest.mark.journey
async def test_a_deal_between_telegram_and_slack_takes_at_most_20_new_messages_per_party(world):
    app, fake = world.app, world.telegram
    seller = await registered(app, str(SELLER), channel="telegram", address=str(SELLER),
                              roles=("seller",), display_name="Sam", country="LV", city="Riga")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="EE", city="Tallinn")
    listing_id = await publish(app, seller, negotiable="yes", min_order="20", quantity="500")
    sam, start, slack_start = Person(fake, SELLER), fake.mark(), len(world.slack.calls)

    await world.bob.command(f"view {listing_id}")
    await _settle()
    await world.bob_presses("Ask the seller")
    await world.bob.dm("Are the pellets bagged?")
    await _settle()
    await told(world, sam, "bagged")
    await sam.tap("Reply", "Message Bob")
    await sam.say("Yes, 15 kg bags.", "Sent to Bob")
    await world.deliver()
    await world.bob_sees("15 kg bags")

    await world.bob_drafts_an_offer(listing_id, "100", "200")
    await world.bob_presses("Send")
    await world.bob_sees("Sent (offer #")
    await told(world, sam, "Offer #")
    await seller_counters(sam)
    await world.deliver()
    await world.bob_sees("Changed since the last round: price")
    await world.bob_presses("Accept")

    await world.deliver()
    await world.bob_sees("terms are attached")
    await world.bob_presses("accept the terms")
    await world.bob_fills({"street": "Pärnu mnt 10", "postcode": "10148"})
    await world.bob_sees("Billing details saved")
    await world.bob_presses("Accept version 1")
    await world.bob_sees("Waiting for the other party")
    await told(world, sam, "accepted: deal #")
    await world.sam_accepts_the_first_terms()

    await world.deliver()
    await world.bob_sees("into escrow")
    await world.bob_presses("💳 Pay")
    await pay(world)

    await told(world, sam, "Ship by")
    await seller_ships(sam)
    await world.deliver()
    await world.bob_sees("on the way")
    await world.bob_presses("Confirm delivery")
    await world.bob_presses("Yes: the goods arrived")

    await world.deliver()
    await world.bob_sees("Deal completed")
    await world.bob_presses("Rate")
    await world.bob_fills({"stars": "5", "quality": "5"})
    await told(world, sam, "Deal completed")
    await seller_rates(sam)
    await world.bob_sees("ratings of deal #1 are published")
    await told(world, sam, "ratings of deal #1 are published")

    # (new messages, edits or updates) per party, each on their own channel.
    on_telegram = fake.count(SELLER, since=start), fake.count(SELLER, EDITS, since=start)
    on_slack = slack_counts(world, slack_start)
    assert on_telegram[0] <= MOST and on_slack[0] <= MOST, (on_telegram, on_slack)
    assert on_telegram[1] >= 10 and on_slack[1] >= 5, (on_telegram, on_slack)
    assert await refused_buttons(world, SELLER) == []
    assert await refused_on_slack(world) == []
