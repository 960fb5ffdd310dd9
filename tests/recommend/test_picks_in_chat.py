"""Picks in chat (the terminal driver): /foryou with reasons and buttons, Not interested, the
weekly message switched off and on from the picks and from /settings."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from core.recommend.tables import PickDeclined
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


async def test_foryou_shows_picks_with_reasons_and_not_interested_hides_one(app):
    user, fresh = await _ann_with_history(app)
    await user.say("/foryou")
    assert "Picked for you" in user.texts()
    assert "because you bought wood pellets in Latvia twice" in user.texts()
    assert "Fresh pellets, Latgale" in user.texts()
    assert any(label.startswith("1. Open") for label in user.labels())
    position = next(line.split(".")[0] for line in user.texts().splitlines()
                    if "Fresh pellets" in line and line[0].isdigit())
    await user.tap(f"{position}. 🚫 Not interested")
    assert "won't recommend that to you again" in user.texts()
    async with app.uow() as uow:
        [row] = (await uow.session.execute(select(PickDeclined))).scalars()
        assert (row.kind, row.item_id) == ("listing", fresh)
    await user.tap("Other picks")
    assert "Fresh pellets, Latgale" not in user.texts()


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
    async with app.uow() as uow:
        assert (await uow.session.get(Account, ann_id)).weekly_picks is True


async def test_nothing_to_pick_says_how_to_get_picks(user, app):
    await make_account(app, "ann", roles=("buyer",))
    await user.say("/foryou")
    assert "Nothing to pick for you yet" in user.texts()
