"""An inspector on the database: a live consultant who offers sampling and lab analysis at a
fixed fee of 150 €, in Latvia; a paid deal with quality limits whose goods left (Sam's 100 t at 220 € to
Bob, at most 10 % moisture, at least 16.5 MJ/kg)."""

from __future__ import annotations

from typing import Any

from config.container import Container
from core.accounts.tables import Account
from core.catalog.media import FileStore
from core.companies.billing import give
from core.consulting.profiles import service as profiles
from core.deals import deals
from core.deals.after_sale import service as after_sale
from payments import ledger
from tests.catalog.helpers import make_account, publish
from tests.consulting.helpers import PNG, complete
from tests.deals.chat_helpers import agreed_between
from tests.support.accounts import registered

CARD = "4242 4242 4242 4242"


async def inspector(app: Container, name: str, *, channel: str = "terminal",
                    language: str = "en", fee: str = "150.00", display_name: str = "Ines Prüf",
                    countries: tuple[str, ...] = ("LV",), **profile: Any) -> Account:
    """A live consultant whose profile offers inspections at `fee`, sampling in `countries`."""
    account = await registered(app, name, roles=("consultant",), channel=channel,
                               address=name, display_name=display_name, language=language,
                               country="DE", **profile)
    async with app.uow() as uow:
        await profiles.save(uow, account.id, **complete(
            categories=["sampling-lab", "pellet-quality"], inspection_fee=fee,
            countries_served=list(countries)))
        await profiles.set_photo(uow, account.id, FileStore(app.settings.data_dir), "me.png",
                                 "image/png", PNG)
        await give(uow, account.id, legal_name="Ines Prüf Labor", street="Hauptstraße 1",
                   postcode="10115", town="Berlin", country="DE")
        assert app.payments is not None
        assert await profiles.go_live(uow, account.id, app.payments) == []
        await uow.commit()
    return account


async def shipped_deal(app: Container, sam: Account | None = None, bob: Account | None = None
                       ) -> tuple[Account, Account, int]:
    """Sam's deal with Bob, paid into escrow and shipped, under moisture and NCV limits (the
    goods in Latvia, the listing's country)."""
    sam = sam or await make_account(app, "sam")
    bob = bob or await make_account(app, "bob")
    listing_id = await publish(app, sam, quantity="500", min_order="20", moisture="10",
                               ncv="16.5")
    deal_id = await agreed_between(app, listing_id, bob.id, sam.id)
    goods = await app.payments.by_reference(deals.reference(deal_id))
    assert goods is not None
    await app.payments.pay_with_test_card(goods.id, CARD)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, sam.id, "own transport", None, None)
        await uow.commit()
    return sam, bob, deal_id


async def balanced(app: Container) -> bool:
    async with app.uow() as uow:
        return not await ledger.unbalanced_journals(uow)
