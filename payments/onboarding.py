"""Payout set-up at the provider (Stripe Connect Express): the link, and `account.updated`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from core.i18n import _
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert
from payments.providers.base import Provider
from payments.tables import PayoutAccount


async def link(uow: UnitOfWork, provider: Provider, account_id: int) -> str:
    """The onboarding link; the connected account is created on the first request."""
    row = await uow.get(PayoutAccount, account_id)
    external_id, url = await provider.onboarding_link(account_id, row.external_id if row else None)
    if row is None:
        await uow.session.execute(dialect_insert(uow, PayoutAccount).values(
            account_id=account_id, provider=provider.name, external_id=external_id, ready=False,
            updated_at=uow.clock.now()).on_conflict_do_nothing())
    return url


async def account_updated(uow: UnitOfWork, external_id: str, ready: bool, at: datetime) -> int | None:
    """Record the provider's word on a connected account; returns the payee when newly ready.

    Events may arrive out of order: an older event never overwrites a newer one.
    """
    row = (await uow.session.execute(select(PayoutAccount).where(
        PayoutAccount.external_id == external_id))).scalar_one_or_none()
    if row is None or row.updated_at > at:
        return None
    was_ready = row.ready
    await uow.session.execute(update(PayoutAccount).where(
        PayoutAccount.account_id == row.account_id, PayoutAccount.updated_at <= at)
        .values(ready=ready, updated_at=at))
    if ready and not was_ready:
        async with addressed_to(uow, row.account_id):
            await notify(uow, row.account_id, _("✅ Payouts are set up: you can now be paid. "
                                                "Waiting payouts are on their way."))
        return row.account_id
    return None
