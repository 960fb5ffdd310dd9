"""The company in chat on the database, one question at a time (as on Telegram): a newcomer
joins from an invitation link after registering; a buyer's held purchase can be withdrawn; an
approver rejects from the approval card with a reason asked at that step, and the buyer is
told it. The same flow in memory — setting up, inviting, each role's buttons, asking to join
from the Slack workspace, the decisions — is `test_company_in_chat.py`."""

from __future__ import annotations

from tests.catalog.helpers import make_account, publish
from tests.companies.chat_steps import found_company
from tests.deals.chat_helpers import last_notice
from tests.support.chat import ChatUser
from tests.support.registration import last_code


async def _company(app) -> tuple[ChatUser, str]:
    """Alice founds Baltic Heat in chat and invites a buyer with a 1,000 € limit; the code."""
    await make_account(app, "alice", roles=("buyer",))
    alice = ChatUser(app, "alice")
    return alice, await found_company(alice)


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
