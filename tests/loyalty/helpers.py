"""Shared set-up for the loyalty tests: points given, balances and journals read back."""

from __future__ import annotations

from sqlalchemy import select

from config.container import Container
from core.deals import deals
from core.deals.after_sale import service as after_sale
from core.loyalty import points, service
from core.loyalty.tables import PointsJournal
from tests.deals.test_offers import agreed


async def give(app: Container, account_id: int, amount: int, key: str = "gift") -> None:
    """Points issued to a member (as any earning event issues them)."""
    async with app.uow() as uow:
        await points.earn(uow, f"{key}:{account_id}", "deal", account_id, amount, "test points")
        await uow.commit()


async def balance(app: Container, account_id: int) -> int:
    async with app.uow() as uow:
        return await points.balance(uow, points.member(account_id))


async def kinds(app: Container, account_id: int) -> list[str]:
    async with app.uow() as uow:
        return list((await uow.session.execute(select(PointsJournal.kind).where(
            PointsJournal.account_id == account_id).order_by(PointsJournal.id))).scalars())


async def unbalanced(app: Container) -> list[int]:
    async with app.uow() as uow:
        return await points.unbalanced_journals(uow)


async def code_of(app: Container, account_id: int) -> str:
    async with app.uow() as uow:
        code = (await service.standing(uow, account_id)).code
        await uow.commit()
        return code


async def agreed_deal(app: Container):
    """Sam sells to Bob (Eve is a third member): the deal agreed, not yet paid."""
    sam, bob, eve, _, deal_id = await agreed(app)
    return sam, bob, eve, deal_id


async def complete(app: Container, deal_id: int, seller_id: int, buyer_id: int) -> None:
    """Paid (the money layer's step), shipped, delivered, confirmed by the buyer."""
    async with app.uow() as uow:
        await deals.take(uow, deal_id, "accept-terms", None)
        await deals.take(uow, deal_id, "payment-received", None)
        await after_sale.mark_shipped(uow, deal_id, seller_id, "DSV", None, None)
        await after_sale.update_shipment(uow, deal_id, seller_id, "delivered")
        await deals.take(uow, deal_id, "confirm-receipt", buyer_id)
        await uow.commit()
