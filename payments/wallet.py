"""The wallet: a user's held, incoming, pending and paid-out money, derived from the ledger
(what each figure sums and how a movement reads: payments.wallet_rules)."""

from __future__ import annotations

from sqlalchemy import func, select

from core.money.model import Money
from core.payments_port import EscrowState, Movement, Wallet
from core.storage.uow import UnitOfWork
from payments import ledger
from payments.providers.base import Provider
from payments.tables import Escrow, LedgerAccount, LedgerEntry, LedgerJournal, PayoutAccount
from payments.transfer_matching import CRYPTO
from payments.wallet_rules import HELD, PAID_OUT, PENDING, movement_text, summed

OPEN = (EscrowState.HELD, EscrowState.AUTHORISED, EscrowState.SETTLING)


async def wallet(uow: UnitOfWork, provider: Provider, account_id: int, recent: int = 8) -> Wallet:
    """Everything the wallet shows for one account."""
    balances = await ledger.balances_of(uow, f"account:{account_id}")
    return Wallet(held=summed(balances, HELD), incoming=await _incoming(uow, account_id),
                  pending=summed(balances, PENDING),
                  paid_out=summed(balances, PAID_OUT),
                  movements=await _movements(uow, account_id, recent),
                  payouts_ready=await _ready(uow, provider, account_id))


async def _incoming(uow: UnitOfWork, account_id: int) -> list[Money]:
    stmt = (select(Escrow.currency, func.sum(Escrow.amount - Escrow.refunded))
            .where(Escrow.payee_id == account_id, Escrow.state.in_(OPEN))
            .group_by(Escrow.currency).order_by(Escrow.currency))
    return [Money(int(total), cur) for cur, total in (await uow.session.execute(stmt)).all() if total]


async def _movements(uow: UnitOfWork, account_id: int, limit: int) -> list[Movement]:
    stmt = (select(LedgerJournal.created_at, LedgerJournal.description, LedgerAccount.purpose,
                   LedgerEntry.amount, LedgerEntry.currency, LedgerJournal.actor)
            .join(LedgerEntry, LedgerEntry.journal_id == LedgerJournal.id)
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .where(LedgerAccount.owner == f"account:{account_id}")
            .order_by(LedgerEntry.id.desc()).limit(limit))
    rows = (await uow.session.execute(stmt)).all()
    return [Movement(when.date(), movement_text(text, purpose, actor == CRYPTO.who),
                     Money(int(amount), currency))
            for when, text, purpose, amount, currency, actor in rows]


async def _ready(uow: UnitOfWork, provider: Provider, account_id: int) -> bool:
    if not getattr(provider, "needs_onboarding", False):
        return True
    row = await uow.get(PayoutAccount, account_id)
    return bool(row and row.ready)
