"""Shortcuts for catalogue tests: accounts made directly, listings made through the real flow."""

from __future__ import annotations

from typing import Any

from config.container import Container
from conversations.messages import Choice, ListPage
from core.accounts.tables import Account
from core.catalog import lifecycle, listings
from core.catalog.tables import SellerStats
from tests.catalog.fakes import values
from tests.support.accounts import registered
from tests.support.chat import ChatUser
from tests.support.languages import said

# One answer per question of the short listing form (quantity with unit, price, place,
# delivery options, Incoterms place), as typed in chat.
PELLETS = ["500 t", "230", "Fixed price", "Riga", ["Pickup", "EXW"], "Riga port"]
# Details added from the preview (“Add details”), by the label of the field.
PELLET_DETAILS = {"Title": "ENplus A1 wood pellets, 15 kg bags", "Grade or class": "ENplus A1",
                  "Valid until": "+60", "Net calorific value": "17.2"}


async def make_account(app: Container, name: str, *, channel: str = "terminal",
                       roles: tuple[str, ...] = ("seller", "buyer"), city: str = "Riga",
                       country: str = "LV", address: str | None = None,
                       rating_x10: int | None = None) -> Account:
    """A registered account with one identity (no chat needed), rated if asked."""
    account = await registered(app, name, channel=channel, roles=roles, address=address,
                               email=f"{name[-5:]}@ex.com", country=country, city=city)
    if rating_x10 is not None:
        async with app.uow() as uow:
            uow.add(SellerStats(account_id=account.id, rating_x10=rating_x10, ratings=12, deals=9,
                                stars_total=round(rating_x10 * 12 / 10)))
            await uow.commit()
    return account


async def publish(app: Container, seller: Account, **overrides: Any) -> int:
    """A published listing made with the core services (for search and alert tests)."""
    async with app.uow() as uow:
        draft = await listings.create_draft(uow, seller.id, values(**overrides))
        await lifecycle.submit(uow, draft.id, seller.id)
        await uow.commit()
        return draft.id


async def answer_form(user: ChatUser, answers: list[Any], language: str = "en") -> None:
    """Answer a form field by field: None taps Skip (or Done), a list taps each then Done (the
    buttons as `language` names them)."""
    done, skip = said(language, "Done"), said(language, "Skip")
    for answer in answers:
        if isinstance(answer, list):
            for label in answer:
                await user.tap(label)
            await user.tap(done)
        elif answer is None:
            labels = user.labels()
            await user.tap(skip if skip in labels else done)
        elif answer in user.labels():
            await user.tap(answer)
        else:
            await user.say(answer)


async def add_details(user: ChatUser, details: dict[str, Any]) -> None:
    """From the preview: “Add details”, the field, its answer — for each detail."""
    for label, answer in details.items():
        await user.tap("Add details")
        await user.tap(label)
        await answer_form(user, [answer])
        assert "Saved" in user.texts(), user.texts()


async def list_pellets(user: ChatUser, *, details: dict[str, Any] | None = None,
                       publish: bool = True) -> None:
    """Create the pellet listing through the real flow: short form, details, publish."""
    await user.say("/sell")
    await user.tap("Wood pellets")
    await answer_form(user, PELLETS)
    assert "Preview" in user.texts(), user.texts()
    await add_details(user, PELLET_DETAILS if details is None else details)
    if publish:
        await user.tap("Publish")


async def open_item(user: ChatUser, title: str = "") -> None:
    """Press the button of the first list item whose title contains `title`."""
    for reply in user.last:
        if isinstance(reply, ListPage):
            for item in reply.items:
                if title.lower() in item.title.lower() and item.button:
                    await user.send(Choice(item.button.data))
                    return
    raise AssertionError(f"no list item {title!r}")
