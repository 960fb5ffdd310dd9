"""A dispute left undecided at its deadline reaches every admin — the deal, the reason, its age and
a button to decide it — and again each day until an admin decides it."""

from __future__ import annotations

from core.deals.after_sale import service as after_sale
from tests.catalog.helpers import make_account
from tests.deals.timer_support import buttons, paid, run_timers, status_of, told
from tests.tickets.helpers import with_admins

REASON = "Half of the pellets arrived wet"


async def disputed_with_two_admins(app):
    """A paid deal the buyer disputes; admins named in settings on two channels."""
    root = await make_account(app, "root")
    ada = await make_account(app, "T1:U9", channel="slack")
    await with_admins(app, "terminal:root", "slack:T1:U9")
    sam, bob, _, deal_id = await paid(app)
    async with app.uow() as uow:
        dispute = await after_sale.open_dispute(uow, deal_id, bob.id, REASON)
        await uow.commit()
    return (root, ada), (sam, bob), deal_id, dispute.id


async def test_an_undecided_dispute_reaches_every_admin_with_its_reason_and_age_once(app, clock):
    admins, parties, deal_id, dispute_id = await disputed_with_two_admins(app)
    clock.advance(days=2, hours=23)
    assert await run_timers(app) == []
    clock.advance(hours=1, seconds=1)
    assert await run_timers(app) == [("deal", deal_id, "escalate-dispute")]
    assert await run_timers(app) == []
    for admin in admins:
        assert await told(app, admin.id, "undecided") == [
            f"🛡 The dispute over deal #{deal_id} is still undecided after 3 days: “{REASON}”. "
            "The buyer and the seller are waiting."]
        assert await buttons(app, admin.id, "undecided") == [("decide_dispute", str(dispute_id))]
    for party in parties:
        assert await told(app, party.id, "undecided") == []
    assert await status_of(app, deal_id) == "disputed"


async def test_the_admins_hear_again_each_day_until_the_dispute_is_decided(app, clock):
    (root, ada), _, deal_id, dispute_id = await disputed_with_two_admins(app)
    clock.advance(days=3, seconds=1)
    await run_timers(app)
    clock.advance(hours=23)
    assert await run_timers(app) == []
    clock.advance(hours=1)
    assert await run_timers(app) == [("deal", deal_id, "escalate-dispute")]
    texts = await told(app, ada.id, "undecided")
    assert len(texts) == 2 and "after 4 days" in texts[1]
    async with app.uow() as uow:
        await after_sale.decide(uow, dispute_id, root.id, "refund", "Wet on arrival")
        await uow.commit()
    clock.advance(days=2)
    assert await run_timers(app) == []
    assert len(await told(app, root.id, "undecided")) == 2
