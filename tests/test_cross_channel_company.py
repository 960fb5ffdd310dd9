"""A company of three buys from a Telegram seller, each on their own channel: Alice sets up
Baltic Heat in Slack and invites Bob as a buyer with a 10,000 € limit; Fred, of the same Slack
workspace, asks to join and Alice lets him in as finance; Agora's finance approves the company
for payment on terms; Bob's 20,000 € offer, on terms (net 30), waits for approval (Sam hears
nothing) until Alice approves it on her approval card — updated in place — and Sam, on
Telegram, accepts it; Fred then finds the deal under the company's deals."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from sqlalchemy import select

from core.companies.tables import Company
from core.deals import on_terms
from core.money.model import Money
from core.operators.tables import OperatorRole
from tests.catalog.helpers import publish
from tests.slack.conftest import SIGNING_SECRET, _settle, message_text
from tests.support.accounts import registered
from tests.support.fake_slack import button_values
from tests.support.slack_requests import SlackUser
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER, World, modal_defaults


class Colleague:
    """Another person of Bob's Slack workspace, in her own DM with the app."""

    def __init__(self, world: World, user_id: str, name: str) -> None:
        self.world, self.user_id = world, user_id
        self.slack = SlackUser(world.http, SIGNING_SECRET, user_id=user_id, name=name)

    async def sees(self, needle: str) -> dict[str, Any]:
        for _ in range(25):
            found = [p for p in self.world.slack.calls_to("chat.postMessage")
                     + self.world.slack.calls_to("chat.update")
                     + self.world.slack.calls_to("chat.postEphemeral")
                     if p.get("channel") in (self.user_id, f"D{self.user_id[1:]}")
                     and needle in message_text(p)]
            if found:
                return found[-1]
            await self.world.deliver()
            await asyncio.sleep(0.1)
        raise AssertionError(f"{self.user_id} never saw {needle!r}: "
                             f"{self.world.slack.posted_texts(f'D{self.user_id[1:]}')}")

    async def presses(self, label: str) -> None:
        found = self.world.slack.newest_button(self.user_id, label)
        assert found is not None, f"no {label!r} for {self.user_id}"
        value, message = found
        assert (await self.slack.click(value, message=message)).status_code == 200
        await _settle()

    async def fills(self, answers: dict[str, Any]) -> None:
        view = self.world.slack.calls_to("views.open")[-1]["view"]
        response = await self.slack.submit(view, {**modal_defaults(view), **answers})
        assert response.status_code == 200, response.text
        await _settle()


@pytest.mark.journey
async def test_a_slack_company_of_three_buys_from_a_telegram_seller_with_approval(world):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                           roles=("seller",), display_name="Sam", country="LV", city="Riga")
    for user, name in ((SLACK_USER, "Bob"), ("U7ALICE", "Alice")):
        await registered(app, f"T0AGORA:{user}", channel="slack", address=user,
                         display_name=name, country="EE", city="Tallinn")
    listing_id = await publish(app, sam, negotiable="yes", min_order="20", quantity="500")
    alice, fred = Colleague(world, "U7ALICE", "alice"), Colleague(world, "U7FRED", "fred")
    bob = Colleague(world, SLACK_USER, "bob")

    # Alice sets up the company and invites Bob as a buyer with a limit.
    await alice.slack.command("company")
    await _settle()
    await alice.presses("Set up a company")
    await alice.fills({"name": "Baltic Heat AS"})
    await alice.sees("Baltic Heat AS is set up")
    await alice.presses("Invite a colleague")
    await alice.fills({"roles": ["buyer"], "limit": "10000"})
    invitation = message_text(await alice.sees("Invitation code"))
    code = re.search(r"Invitation code: ([A-Z0-9]{10})", invitation).group(1)
    assert f"start=company-join_{code}" in invitation  # the Telegram link
    await world.bob.command(f"company join {code}")
    await bob.sees("Welcome to Baltic Heat AS")

    # Fred registers in the same workspace: offered to ask to join, he does; Alice lets him
    # in and makes him finance.
    await registered(app, "T0AGORA:U7FRED", channel="slack", address="U7FRED",
                     display_name="Fred", country="EE", city="Tallinn")
    await fred.sees("Baltic Heat AS, of your Slack workspace, buys on Agora as a company")
    await fred.presses("Ask to join")
    await fred.sees("an admin of Baltic Heat AS will let you in")
    await alice.sees("Fred, of your Slack workspace, asks to join")
    await alice.presses("Let them join")
    await alice.sees("Fred joined as a buyer")
    await alice.slack.command("company")
    await _settle()
    await alice.presses("Colleagues")
    fred_row = next(value for name, value in _buttons_after(world, "U7ALICE", "Fred"))
    await alice.slack.click(fred_row)
    await _settle()
    await alice.fills({"roles": ["finance"], "limit": ""})
    await alice.sees("Saved")

    # Agora's finance approves Baltic Heat for payment on terms: the admin and finance hear it.
    await _approve_terms(app, "Baltic Heat AS")
    await fred.sees("Agora approved Baltic Heat AS for payment on terms")

    # Bob's offer above his limit, on terms, waits; Sam hears nothing yet.
    mark = world.telegram.mark()
    await world.bob.command(f"view {listing_id}")
    await _settle()
    await world.bob_presses("Make an offer")
    modal = world.slack.calls_to("views.open")[-1]["view"]
    assert "On terms: invoice due 30 days after shipment (bank transfer)" in str(modal)
    await world.bob_fills({"quantity": "100", "price": "200", "payment_method": "net30"})
    await world.bob_sees("Payment: On terms: invoice due 30 days after shipment")
    await world.bob_presses("Send")
    await world.bob_sees("Waiting for approval")
    await world.deliver()
    assert not any("Offer #" in str(c.params.get("text")) for c in world.telegram.calls[mark:])

    # Alice approves on her card, which is updated in place; the offer reaches Sam.
    card = await alice.sees("Approval needed: Bob wants to send an offer")
    assert "20\xa0000,00\xa0€" in message_text(card) and "limit" in message_text(card)
    updates = len(world.slack.calls_to("chat.update"))
    await alice.presses("Approve")
    await alice.sees("Approved: it went out in the buyer's name")
    assert len(world.slack.calls_to("chat.update")) > updates
    await world.bob_sees("Alice approved your purchase")
    offer_card = await world.sam_told("Offer #", mark)
    assert "Payment: On terms: invoice due 30 days after shipment" in offer_card
    await world.sam.tap("Accept", "deal #")

    # Fred (finance) finds the deal among the company's, and its card has no steps for him.
    await fred.slack.command("company")
    await _settle()
    await fred.presses("Company deals")
    listed = await fred.sees("bought by Bob")
    assert "Pellets" in message_text(listed) or "#" in message_text(listed)
    await fred.presses("Open")
    deal_card = await fred.sees("Deal #")
    labels = " ".join(button_values(deal_card.get("blocks")))
    assert "Parties: buyer Bob, seller Sam" in message_text(deal_card)
    assert "Pay" not in labels and "Accept" not in labels and "Terms (PDF)" in labels

    # The App Home has the company view too.
    await fred.slack.open_home()
    home = await world.slack.wait_for("views.publish", lambda p: p.get("user_id") == "U7FRED")
    assert "🏢 Baltic Heat AS" in str(home["view"]) and "bought by Bob" in str(home["view"])


async def _approve_terms(app: Any, name: str) -> None:
    """Fiona, of Agora's finance, lets the company pay on terms: net 30, up to 50,000 €."""
    fiona = await registered(app, "fiona", channel="terminal", address="fiona",
                             display_name="Fiona")
    async with app.uow() as uow:
        uow.add(OperatorRole(account_id=fiona.id, role="finance", granted_by=None,
                             granted_at=uow.clock.now()))
        company = (await uow.session.execute(select(Company).where(Company.name == name))
                   ).scalar_one()
        await on_terms.approve(uow, fiona.id, company.id, 30, Money.parse("50000", "EUR"))
        await uow.commit()


def _buttons_after(world: World, user_id: str, name: str) -> list[tuple[str, str]]:
    """(label, value) of the Change button on the colleagues list row naming `name`."""
    for message in reversed(world.slack.shown(user_id)):
        blocks = message.get("blocks") or []
        for i, block in enumerate(blocks):
            text = str((block.get("text") or {}).get("text", ""))
            if name in text:
                accessory = block.get("accessory") or {}
                if accessory.get("value"):
                    return [("Change", accessory["value"])]
                values = button_values(blocks[i + 1:i + 2])
                return list(values.items())
    raise AssertionError(f"no row for {name}")
