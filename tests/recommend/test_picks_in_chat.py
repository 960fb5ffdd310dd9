"""Picks in chat on the database (the terminal driver): the weekly message switched off from
the picks and on from /settings, and nothing to pick. /foryou's reasons, buttons and Not
interested run in memory: test_picks_in_memory_chat.py."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from tests.catalog.helpers import make_account
from tests.recommend.helpers import bought, listing
from tests.support.chat import ChatUser


async def _ann_with_history(app) -> tuple[ChatUser, int]:
    seller = await make_account(app, "terminal:sella")
    ann = await make_account(app, "ann", roles=("buyer",))
    await bought(app, ann, await listing(app, seller, "pellets", "Riga"), days_ago=30)
    await bought(app, ann, await listing(app, seller, "pellets", "Riga"), days_ago=3)
    fresh = await listing(app, seller, "pellets", "Daugavpils", title="Fresh pellets, Latgale")
    return ChatUser(app, "ann"), fresh


async def test_the_weekly_message_is_switched_off_from_the_picks_and_on_in_settings(app):
    user, _ = await _ann_with_history(app)
    await user.say("/foryou")
    await user.tap("Stop the weekly message")
    assert "No more weekly picks" in user.texts()
    async with app.uow() as uow:
        account = (await uow.session.execute(select(Account).where(
            Account.display_name == "Ann"))).scalar_one()
        assert account.weekly_picks is False
        ann_id = account.id
    await user.say("/settings")
    for _ in range(12):  # keep every answer until the weekly picks question
        if "weekly message of picks" in user.texts():
            break
        keep = next(x for x in user.labels() if x.startswith(("Keep", "Skip")))
        await user.tap(keep)
    assert "weekly message of picks" in user.texts()
    await user.tap("Yes, on Monday mornings")
    await user.tap("Keep")  # the carbon figure on the public profile
    async with app.uow() as uow:
        assert (await uow.session.get(Account, ann_id)).weekly_picks is True


async def test_nothing_to_pick_says_how_to_get_picks(user, app):
    await make_account(app, "ann", roles=("buyer",))
    await user.say("/foryou")
    assert "Nothing to pick for you yet" in user.texts()
