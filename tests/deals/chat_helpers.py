"""Shared set-up for deal conversations: a seller with a listing, a buyer, and what each was
told (their outbox rows), with the buttons of those notices pressable like any other."""

from __future__ import annotations

from typing import Any

from config.container import Container
from conversations.messages import Choice, Outbound, notification_reply
from tests.catalog.helpers import make_account, publish
from tests.support.chat import ChatUser
from tests.support.outbox import told  # by chat name: told(app, "sam")


async def trading_pair(app: Container, **listing: Any) -> tuple[ChatUser, ChatUser, int]:
    """Sam sells (a published listing), Bob buys; both chat on the terminal channel."""
    sam = await make_account(app, "sam")
    await make_account(app, "bob", roles=("buyer",), city="Tallinn", country="EE")
    listing_id = await publish(app, sam, **{"negotiable": "yes", "min_order": "20",
                                            "ncv": "17.2", "moisture": "8", **listing})
    return ChatUser(app, "sam"), ChatUser(app, "bob"), listing_id


async def last_notice(app: Container, user: ChatUser, containing: str = "") -> str:
    """The text of the newest notice for `user` (containing `containing`), whose buttons become
    the user's latest replies so `user.tap` presses them."""
    for payload in reversed(await told(app, user.name)):
        if containing in str(payload.get("text")):
            reply = notification_reply(payload)
            user.last = [reply]
            return reply.text
    raise AssertionError(f"no notice with {containing!r} for {user.name}: "
                         f"{[p.get('text') for p in await told(app, user.name)]}")


async def press(user: ChatUser, label: str) -> list[Outbound]:
    return await user.send(Choice(user.button(label).data))


async def agreed_deal(app: Container, listing_id: int, buyer: str = "bob", seller: str = "sam",
                      quantity: str = "100", price: str = "220") -> int:
    """A deal agreed through the services (offer accepted, terms accepted by both)."""
    from core.accounts.service import find_account

    async with app.uow() as uow:
        bob = await find_account(uow, "terminal", buyer)
        sam = await find_account(uow, "terminal", seller)
        assert bob is not None and sam is not None
        buyer_id, seller_id = bob.id, sam.id
    return await agreed_between(app, listing_id, buyer_id, seller_id, quantity, price)


async def agreed_between(app: Container, listing_id: int, buyer_id: int, seller_id: int,
                         quantity: str = "100", price: str = "220") -> int:
    """A deal between two accounts, on any channel, agreed through the services: the buyer's
    offer accepted by the seller, the terms accepted by both."""
    from decimal import Decimal

    from core.deals.offers import service as offers
    from core.deals.offers.facts import Terms
    from core.deals.terms import service as terms
    from core.money.model import Money

    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, buyer_id, Terms(
            Decimal(quantity), Money.parse(price, "EUR"), "EXW", "Riga port"))
        deal = await offers.accept(uow, offer.id, seller_id)
        version = await terms.current(uow, deal.id)
        assert version is not None
        await terms.accept(uow, deal.id, buyer_id, version.sha256)
        await terms.accept(uow, deal.id, seller_id, version.sha256)
        await uow.commit()
        return deal.id


async def paid_deal(app: Container, listing_id: int, **kwargs: Any) -> int:
    """A deal whose buyer paid into escrow with the sandbox test card."""
    from core.deals import deals

    deal_id = await agreed_deal(app, listing_id, **kwargs)
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    assert escrow is not None
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    return deal_id


async def status_of(app: Container, deal_id: int) -> str:
    from core.deals.tables import Deal

    async with app.uow() as uow:
        deal = await uow.session.get(Deal, deal_id)
        assert deal is not None
        return deal.status


async def give_billing(user: ChatUser, street: str, postcode: str, vat: str | None = None) -> None:
    """Answer the once-per-account billing questions (name, town and country kept)."""
    await user.tap("Keep")  # legal name from the profile
    await user.say(street)
    await user.say(postcode)
    await user.tap("Keep")  # town
    await user.tap("Keep")  # country
    await (user.say(vat) if vat else user.tap("Skip"))
    if vat:
        await user.tap("Skip")  # the VAT rate: the country's standard rate
    assert "Billing details saved" in user.texts(), user.texts()
