"""The company in chat, one question at a time (as on Telegram): an invitation link
(`/start company-join_CODE`) joins the company, even for a newcomer after registering; a buyer's
held purchase can be withdrawn; an approver rejects with a reason asked at that step; each
role sees the buttons it may use; bad input is re-asked."""

from __future__ import annotations

import re

from tests.catalog.helpers import make_account, publish
from tests.deals.chat_helpers import last_notice
from tests.support.chat import ChatUser
from tests.support.registration import last_code


async def _company(app) -> tuple[ChatUser, str]:
    """Alice founds Baltic Heat in chat and invites a buyer with a 1,000 € limit; the code."""
    await make_account(app, "alice", roles=("buyer",))
    alice = ChatUser(app, "alice")
    await alice.say("/company")
    assert "Buy for your company" in alice.texts()
    await alice.tap("Set up a company")
    await alice.say("x")  # too short: asked again
    assert "Please give the company's name" in alice.texts()
    await alice.say("Baltic Heat AS")
    assert "Baltic Heat AS is set up" in alice.texts()
    assert {"➕ Invite a colleague", "📋 Decisions"} <= set(alice.labels())
    await alice.tap("Invite a colleague")
    await alice.say("Buyer")
    await alice.say("-5")  # a negative limit is re-asked
    assert "must be between 0 and" in alice.texts()
    await alice.say("1000")
    code = re.search(r"Invitation code: ([A-Z0-9]{10})", alice.texts()).group(1)
    assert f"https://t.me/agora_market_bot?start=company-join_{code}" in alice.texts()
    return alice, code


async def test_an_invitation_link_joins_and_a_buyer_sees_only_her_buttons(app):
    _alice, code = await _company(app)
    await make_account(app, "anna", roles=("buyer",))
    anna = ChatUser(app, "anna")
    await anna.say(f"/start company-join_{code}")
    assert "Welcome to Baltic Heat AS" in anna.texts()
    assert "Your spending limit per purchase: 1" in anna.texts()
    labels = set(anna.labels())
    assert "➕ Invite a colleague" not in labels and "📋 Decisions" not in labels
    await anna.say(f"/start company-join_{code}")  # the code is used now
    assert "unknown, used or expired" in anna.texts()


async def test_a_newcomer_registers_then_joins_from_the_link(app, mailbox):
    alice, code = await _company(app)
    nina = ChatUser(app, "nina")
    await nina.say(f"/start company-join_{code}")
    assert "Your name?" in nina.texts()
    for answer in ("Nina Kask", "Baltic Heat", "nina@example.com"):
        await nina.say(answer)
    await nina.tap("Buyer")
    await nina.tap("Done")
    await nina.say("Estonia")
    await nina.say("Tallinn")
    await nina.tap("Wood pellets")
    await nina.tap("Done")
    await nina.say(await last_code(app, mailbox))
    assert "Welcome to Baltic Heat AS" in nina.texts()
    assert any("Nina Kask joined Baltic Heat AS" in p for p in [await last_notice(
        app, alice, "joined")])


async def test_a_held_purchase_is_withdrawn_or_rejected_with_a_reason(app):
    alice, code = await _company(app)
    sam = await make_account(app, "sam", roles=("seller",))
    await make_account(app, "anna", roles=("buyer",))
    listing_id = await publish(app, sam, quantity="500", min_order="20", negotiable="yes")
    anna = ChatUser(app, "anna")
    await anna.say(f"/start company-join_{code}")
    await anna.say(f"/view {listing_id}")
    await anna.tap("Make an offer")
    await anna.say("100")
    await anna.say("220")
    await anna.tap("Send")
    assert "Waiting for approval: 22" in anna.texts() and "Alice can approve it" in anna.texts()
    await anna.tap("Withdraw the request")
    assert "Request withdrawn" in anna.texts()

    await anna.say(f"/view {listing_id}")
    await anna.tap("Make an offer")
    await anna.say("100")
    await anna.say("220")
    await anna.tap("Send")
    await last_notice(app, alice, "Approval needed")
    await alice.tap("Reject")
    assert "Why not?" in alice.texts()
    await alice.say("   ")
    assert "Please type a reason" in alice.texts()
    await alice.say("Over budget this quarter")
    assert "Rejected; the buyer is told why" in alice.texts()
    assert "Reason: Over budget this quarter" in await last_notice(app, anna, "rejected")
    await anna.say("/approvals")
    assert "Nothing waits for approval" in anna.texts()



async def test_a_colleague_of_the_slack_workspace_may_ask_to_join_from_the_card(app):
    from tests.support.accounts import registered

    await registered(app, "T0AGORA:U1ALICE", channel="slack", address="U1ALICE",
                     display_name="Alice")
    alice = ChatUser(app, "T0AGORA:U1ALICE", channel="slack", chat_id="U1ALICE")
    await alice.say("/company")
    await alice.tap("Set up a company")
    await alice.say("Baltic Heat AS")
    await registered(app, "T0AGORA:U1FRED", channel="slack", address="U1FRED",
                     display_name="Fred")
    await registered(app, "T9OTHER:U1EVE", channel="slack", address="U1EVE", display_name="Eve")
    fred = ChatUser(app, "T0AGORA:U1FRED", channel="slack", chat_id="U1FRED")
    await fred.say("/company")
    assert "Baltic Heat AS, of your Slack workspace, is on Agora" in fred.texts()
    await fred.tap("Ask to join Baltic Heat AS")
    assert "an admin of Baltic Heat AS will let you in" in fred.texts()
    eve = ChatUser(app, "T9OTHER:U1EVE", channel="slack", chat_id="U1EVE")
    await eve.say("/company")
    assert "Ask to join" not in " ".join(eve.labels())  # another workspace
    await eve.say("/company ask:1")  # a crafted request from another workspace
    assert "Ask an admin of Baltic Heat AS for an invitation" in eve.texts()


async def test_the_decisions_read_as_words_and_are_for_admins_and_finance_only(app):
    alice, code = await _company(app)
    await alice.say("/company")
    await alice.tap("Decisions")
    assert "Alice set up the company" in alice.texts()
    assert "Alice invited a colleague (invite:" in alice.texts()
    await make_account(app, "anna", roles=("buyer",))
    anna = ChatUser(app, "anna")
    await anna.say(f"/start company-join_{code}")
    await anna.say("/company deals")  # typed by hand: core refuses what the role may not see
    assert "No deals of colleagues to show yet" in anna.texts()
