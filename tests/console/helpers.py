"""Console tests: operators signed in through the real one-time link, a disputed deal whose
parties use Telegram and Slack, and the console's routes listed from the app itself."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi.routing import iter_route_contexts
from sqlalchemy import select

from bots.server import create_app
from config.container import Container
from core.accounts.tables import Account
from core.deals.after_sale import service as after_sale
from core.deals.offers import service as offers
from core.deals.terms import service as deal_terms
from core.notifications.tables import OutboxMessage
from core.operators import signin
from payments.escrow_rows import by_reference
from tests.catalog.helpers import make_account, publish
from tests.deals.test_offers import terms

SIGN_IN_LINK = re.compile(r"https?://\S+/admin/login/([A-Za-z0-9_-]+)")
OPEN = ("/admin/login/{token}",)  # the only console path a stranger may open


def console_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every /admin route of the app, the sign-in link's excepted."""
    found = []
    for route in iter_route_contexts(app.routes):
        path = getattr(route, "path", "") or ""
        if (path == "/admin" or path.startswith("/admin/")) and path not in OPEN:
            found += [(method, path) for method in sorted(route.methods or ())]
    return found


def filled(path: str, value: str = "1") -> str:
    """A route's path with every parameter set to `value`."""
    return re.sub(r"\{[^}]+\}", value, path)


def client(app: Container, web: Any = None) -> httpx.AsyncClient:
    """An HTTP client of the console (served in-process)."""
    transport = httpx.ASGITransport(app=web or create_app(app, run_workers=False))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def link_for(app: Container, account: Account, channel: str = "terminal") -> str:
    """A fresh sign-in link, sent the way /console sends it; returns its token."""
    async with app.uow() as uow:
        link = await signin.send_link(uow, account.id, channel)
        await uow.commit()
    match = SIGN_IN_LINK.search(link)
    assert match
    return match.group(1)


async def signed_in(app: Container, http: httpx.AsyncClient, account: Account) -> None:
    token = await link_for(app, account)
    answer = await http.post(f"/admin/login/{token}")
    assert answer.status_code == 303, answer.text


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def post_form(http: httpx.AsyncClient, page: str, action: str, **fields: str
                    ) -> httpx.Response:
    """Open `page`, then post its form to `action` with the page's CSRF token."""
    html = (await http.get(page)).text
    return await http.post(action, data={"csrf": csrf_of(html), **fields})


async def root(app: Container) -> Account:
    """The administrator settings name (terminal:root in the test app)."""
    return await make_account(app, "root")


async def outbox(app: Container, account_id: int) -> list[tuple[str, str, str]]:
    """(channel, address, text) of every notification written for an account, oldest first."""
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.account_id == account_id).order_by(OutboxMessage.id))).scalars()
        return [(r.channel, r.address, r.payload.get("text", "")) for r in rows]


async def disputed_deal(app: Container, title: str = "ENplus A1 wood pellets"
                        ) -> tuple[Account, Account, int, int]:
    """A paid deal of 100 t at 220.00 EUR (€22,000 held) that the buyer disputed; the seller
    uses Telegram, the buyer Slack. (seller, buyer, deal id, dispute id)."""
    sam = await make_account(app, "sam", channel="telegram", address="5001")
    bob = await make_account(app, "bob", channel="slack", roles=("buyer",), address="D0BOB")
    listing_id = await publish(app, sam, quantity="100", min_order="20", title=title)
    async with app.uow() as uow:
        offer = await offers.make_offer(uow, listing_id, bob.id, terms(quantity="100"))
        deal = await offers.accept(uow, offer.id, sam.id)
        await uow.commit()
    async with app.uow() as uow:
        version = await deal_terms.current(uow, deal.id)
        await deal_terms.accept(uow, deal.id, bob.id, version.sha256)
        await deal_terms.accept(uow, deal.id, sam.id, version.sha256)
        await uow.commit()
    async with app.uow() as uow:
        escrow = await by_reference(uow, f"deal:{deal.id}")
        assert escrow is not None
        escrow_id = escrow.id
    await app.payments.pay_with_test_card(escrow_id, "4242 4242 4242 4242")
    async with app.uow() as uow:
        dispute = await after_sale.open_dispute(uow, deal.id, bob.id, "Half of it was wet")
        await uow.commit()
    return sam, bob, deal.id, dispute.id


async def escrow_state(app: Container, deal_id: int) -> tuple[str, int]:
    async with app.uow() as uow:
        escrow = await by_reference(uow, f"deal:{deal_id}")
        assert escrow is not None
        return escrow.state, escrow.refunded
