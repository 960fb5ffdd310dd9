"""Loyalty across channels, end to end: a Telegram seller reads his points and referral link
and redeems with a tap (the real python-telegram-bot application against a fake Bot API); a
Slack buyer joins by his code and reads her own points (signed requests into slack-bolt)."""

from __future__ import annotations

import pytest

from core.loyalty import service
from core.loyalty.tables import LoyaltyMember
from tests.loyalty.helpers import give
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER


@pytest.mark.journey
async def test_a_telegram_seller_redeems_and_a_slack_buyer_joins_by_his_referral_code(world):
    app = world.app
    sam = await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                           roles=("seller",), display_name="Sam", country="LV", city="Riga")
    bob = await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                           display_name="Bob", country="EE", city="Tallinn")
    await give(app, sam.id, 700)

    shown = await world.sam.say("/points", "700 points")
    text = shown.params["text"]
    assert "Silver tier" in text
    link = next(w for w in text.split() if w.startswith("https://t.me/"))
    code = link.rpartition("ref-")[2]
    await world.sam.tap("Redeem 500 points", "500 points redeemed")

    await world.bob.command(f"start ref-{code}")
    await _settle()
    await world.bob_sees("Welcome!")
    await world.bob.command("points")
    await _settle()
    await world.bob_sees("0 points · Bronze tier")
    async with app.uow() as uow:
        mine = await service.standing(uow, sam.id)
        assert (mine.balance, mine.pending_discount.amount) == (200, 500)
        assert (await uow.session.get(LoyaltyMember, bob.id)).referred_by == sam.id
