"""What the operator console shows of the money: balances per account type, the journals of
an escrow, and gross merchandise value and commission per market and month — all read from the
ledger's entries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from core.console.dashboard import MONTHS, month_of
from core.money.model import Money
from core.operators.roles import require
from core.storage.uow import UnitOfWork
from payments.reconcile import reconcile
from payments.tables import Escrow, LedgerAccount, LedgerEntry, LedgerJournal

SETTLING = ("release", "split", "capture")  # journals in which a sale completes
TO_PAYEE = ("payable", "commission")  # their legs: what the seller keeps, what Agora keeps


@dataclass(frozen=True)
class MarketMonth:
    market: str
    month: str  # YYYY-MM
    currency: str
    gmv: Money  # completed sales: the payees' share plus the commission
    commission: Money


@dataclass(frozen=True)
class JournalLine:
    id: int
    kind: str
    description: str
    actor: str
    reason: str
    at: str
    legs: list[tuple[str, Money]]  # (account "owner purpose reference", amount)


async def balances(uow: UnitOfWork, operator_id: int) -> list[tuple[str, Money]]:
    """The sum of every account of each type, per currency (world accounts are negative)."""
    await require(uow, operator_id, "view_payments")
    rows = await uow.session.execute(
        select(LedgerAccount.purpose, LedgerEntry.currency, func.sum(LedgerEntry.amount))
        .join(LedgerEntry, LedgerEntry.account_id == LedgerAccount.id)
        .group_by(LedgerAccount.purpose, LedgerEntry.currency)
        .order_by(LedgerAccount.purpose, LedgerEntry.currency))
    return [(purpose, Money(int(total), currency)) for purpose, currency, total in rows.all()]


async def journals_of(uow: UnitOfWork, operator_id: int, reference: str) -> list[JournalLine]:
    """Every journal of the escrow named `reference` ("deal:12", "booking:3"), oldest first."""
    await require(uow, operator_id, "view_payments")
    escrow_id = (await uow.session.execute(select(Escrow.id).where(
        Escrow.reference == reference))).scalar()
    if escrow_id is None:
        return []
    journals = list((await uow.session.execute(select(LedgerJournal).where(
        LedgerJournal.escrow_id == escrow_id).order_by(LedgerJournal.id))).scalars())
    legs = defaultdict(list)
    rows = await uow.session.execute(
        select(LedgerEntry.journal_id, LedgerAccount, LedgerEntry.amount, LedgerEntry.currency)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerEntry.journal_id.in_([j.id for j in journals])).order_by(LedgerEntry.id))
    for journal_id, account, amount, currency in rows.all():
        name = " ".join(part for part in (account.owner, account.purpose, account.reference) if part)
        legs[journal_id].append((name, Money(int(amount), currency)))
    return [JournalLine(j.id, j.kind, j.description, j.actor, j.reason,
                        f"{j.created_at:%Y-%m-%d %H:%M}", legs[j.id]) for j in journals]


async def by_market_and_month(uow: UnitOfWork, operator_id: int) -> list[MarketMonth]:
    """GMV and commission of completed sales per market, month and currency (last year)."""
    await require(uow, operator_id, "view_dashboard")
    since = uow.clock.now() - timedelta(days=31 * MONTHS)
    rows = await uow.session.execute(
        select(Escrow.market, LedgerJournal.created_at, LedgerAccount.purpose,
               LedgerEntry.currency, LedgerEntry.amount)
        .join(LedgerJournal, LedgerJournal.escrow_id == Escrow.id)
        .join(LedgerEntry, LedgerEntry.journal_id == LedgerJournal.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerJournal.kind.in_(SETTLING), LedgerAccount.purpose.in_(TO_PAYEE),
               LedgerJournal.created_at >= since))
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for market, at, purpose, currency, amount in rows.all():
        pair = sums[(market, month_of(at), currency)]
        pair[0] += int(amount)
        if purpose == "commission":
            pair[1] += int(amount)
    return [MarketMonth(market, month, currency, Money(gmv, currency), Money(fee, currency))
            for (market, month, currency), (gmv, fee) in sorted(sums.items())]


async def reconcile_report(uow: UnitOfWork, operator_id: int, provider: object
                           ) -> tuple[bool, int, list[str]]:
    """(whether the provider can be reconciled, charges checked, mismatches), as the
    `agora payments reconcile` command prints them."""
    await require(uow, operator_id, "view_payments")
    if not hasattr(provider, "balance_transactions"):
        return False, 0, []
    checked, problems = await reconcile(uow, provider)
    return True, checked, problems
