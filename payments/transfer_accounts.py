"""The account a provider gives one payment for a bank transfer (Stripe: a Customer's virtual
IBAN, its `customer_balance` PaymentIntent and Stripe's reference), kept per escrow so the payer
sees the same details each time and the provider's word on it finds its escrow again."""

from __future__ import annotations

from sqlalchemy import select, update

from core.storage.uow import UnitOfWork
from core.storage.upsert import dialect_insert
from payments.providers.base import BankAccount
from payments.tables import TransferAccount


def account_of(row: TransferAccount) -> BankAccount:
    return BankAccount(row.holder, row.iban, row.bic, row.reference, row.provider_ref,
                       row.customer_ref)


async def stored(uow: UnitOfWork, escrow_id: int) -> TransferAccount | None:
    """The escrow's per-payment account, if the provider gave one."""
    return (await uow.session.execute(select(TransferAccount).where(
        TransferAccount.escrow_id == escrow_id).execution_options(populate_existing=True))
            ).scalar_one_or_none()


async def keep(uow: UnitOfWork, escrow_id: int, provider: str, account: BankAccount) -> None:
    """Keep the account the provider gave (the first one kept wins: the provider gives the same
    one for the same idempotency key)."""
    assert account.provider_ref is not None
    await uow.session.execute(dialect_insert(uow, TransferAccount).values(
        escrow_id=escrow_id, provider=provider, holder=account.holder[:140],
        iban=account.iban[:34], bic=account.bic[:11], reference=(account.reference or "")[:64],
        provider_ref=account.provider_ref[:80], customer_ref=account.customer_ref,
        created_at=uow.clock.now(), closed_at=None).on_conflict_do_nothing())


async def escrow_of(uow: UnitOfWork, provider_ref: str | None = None,
                    customer_ref: str | None = None) -> int | None:
    """The escrow whose account is this PaymentIntent, or this Customer's."""
    if provider_ref:
        where = TransferAccount.provider_ref == provider_ref
    elif customer_ref:
        where = TransferAccount.customer_ref == customer_ref
    else:
        return None
    return (await uow.session.execute(select(TransferAccount.escrow_id).where(where))).scalar()


async def closed(uow: UnitOfWork, escrow_id: int) -> bool:
    """Mark the account closed; True when this call did (it was open)."""
    moved = await uow.session.execute(update(TransferAccount).where(
        TransferAccount.escrow_id == escrow_id, TransferAccount.closed_at.is_(None))
        .values(closed_at=uow.clock.now()).execution_options(synchronize_session=False))
    return moved.rowcount == 1  # type: ignore[attr-defined]
