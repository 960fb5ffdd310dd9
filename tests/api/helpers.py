"""What the API's tests share: a company whose admin made keys, and a client of the API served
by uvicorn on 127.0.0.1 (the real application, as the site's and the channels' tests serve it)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from bots.server import create_app
from config.container import Container
from core.companies import api_keys
from core.companies import service as companies
from core.companies.billing import give
from core.deals import deals
from core.money.model import Money
from tests.catalog.helpers import make_account, publish
from tests.deals.chat_helpers import agreed_between
from tests.support.servers import serve

ALL = ["read", "trade", "documents"]


async def company(app: Container, limit: str | None = "10000") -> dict[str, Any]:
    """Sam sells pellets; Alice founds Baltic Heat and is its admin; Anna buys for it with a
    spending limit."""
    sam = await make_account(app, "sam", roles=("seller",))
    alice, anna = [await make_account(app, name, roles=("buyer",)) for name in ("alice", "anna")]
    listing_id = await publish(app, sam, quantity="500", min_order="20", negotiable="yes")
    async with app.uow() as uow:
        await companies.found(uow, alice.id, "Baltic Heat AS")
        code = await companies.invite(uow, alice.id, ["buyer"],
                                      Money.parse(limit, "EUR") if limit else None)
        await uow.commit()
    async with app.uow() as uow:
        await companies.join(uow, anna.id, code.code)
        await uow.commit()
    return {"sam": sam, "alice": alice, "anna": anna, "listing": listing_id}


async def key_for(app: Container, admin_id: int, holder_id: int, scopes: list[str] = ALL,
                  name: str = "ERP") -> str:
    """A key the admin made (through core, as the chat makes it)."""
    async with app.uow() as uow:
        made = await api_keys.create(uow, admin_id, name, scopes, holder_id=holder_id)
        await uow.commit()
    return made.token


def bearer(token: str, **more: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **more}


def fresh(token: str) -> dict[str, str]:
    """Headers of a POST: the key and a new idempotency key."""
    return bearer(token, **{"Idempotency-Key": str(uuid.uuid4())})


@asynccontextmanager
async def served(app: Container) -> AsyncIterator[httpx.AsyncClient]:
    """The whole web application served on 127.0.0.1, and a client of it."""
    async with serve(create_app(app, run_workers=False)) as base, \
            httpx.AsyncClient(base_url=base, timeout=10) as http:
        yield http


SELLER_BILLING = {"legal_name": "Sam Pellets SIA", "street": "Brīvības iela 1",
                  "postcode": "LV-1010", "town": "Rīga", "country": "LV",
                  "vat_id": "LV40003521600"}
BUYER_BILLING = {"legal_name": "Baltic Heat AS", "street": "Narva mnt 5", "postcode": "10117",
                 "town": "Tallinn", "country": "EE", "vat_id": "EE100247019"}


async def billed(app: Container, seller_id: int, buyer_id: int) -> None:
    """Both sides' billing details (the buyer's are her company's), as their first deal asks."""
    async with app.uow() as uow:
        await give(uow, seller_id, **SELLER_BILLING)
        await give(uow, buyer_id, **BUYER_BILLING)
        await uow.commit()


async def paid_deal(app: Container, listing_id: int, buyer_id: int, seller_id: int) -> int:
    """A deal agreed through the services and paid into escrow by card: its receipt issued."""
    await billed(app, seller_id, buyer_id)
    deal_id = await agreed_between(app, listing_id, buyer_id, seller_id, "20", "220")
    escrow = await app.payments.by_reference(deals.reference(deal_id))
    await app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    return deal_id
