"""Reconciliation: the ledger's money per charge against the provider's balance transactions."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from core.money.model import Money
from core.payments_port import EscrowState
from core.storage.uow import UnitOfWork
from payments.tables import Escrow, LedgerAccount, LedgerEntry, LedgerJournal

# An authorisation that is not captured yet is no balance transaction at the provider.
NOT_CHARGED_YET = (EscrowState.AUTHORISED, EscrowState.SETTLING)


async def ledger_net_by_charge(uow: UnitOfWork, provider: str) -> dict[str, tuple[str, Money]]:
    """charge id → (escrow reference, money kept from the payer), from the ledger's world entries."""
    stmt = (select(Escrow.charge_ref, Escrow.reference, Escrow.currency, Escrow.kind, Escrow.state,
                   func.coalesce(func.sum(LedgerEntry.amount), 0))
            .join(LedgerJournal, LedgerJournal.escrow_id == Escrow.id)
            .join(LedgerEntry, LedgerEntry.journal_id == LedgerJournal.id)
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .where(Escrow.provider == provider, Escrow.charge_ref.is_not(None),
                   LedgerAccount.purpose == "world")
            .group_by(Escrow.charge_ref, Escrow.reference, Escrow.currency, Escrow.kind,
                      Escrow.state))
    out: dict[str, tuple[str, Money]] = {}
    for charge, reference, currency, kind, state, world in (await uow.session.execute(stmt)).all():
        if kind == "session" and state in NOT_CHARGED_YET:
            continue
        assert charge is not None  # the query keeps charged escrows only
        out[charge] = (reference, Money(-int(world), currency))
    return out


def provider_net_by_charge(transactions: list[dict[str, Any]]) -> dict[str, Money]:
    """charge id → charged minus refunded, from balance transactions."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for txn in transactions:
        charge = txn["source"] if txn["type"] == "charge" else txn.get("charge")
        if txn["type"] in ("charge", "payment", "refund") and charge:
            sums[(charge, txn["currency"])] += int(txn["amount"])
    return {charge: Money(amount, currency) for (charge, currency), amount in sums.items()}


async def reconcile(uow: UnitOfWork, provider: Any) -> tuple[int, list[str]]:
    """(charges checked, one line per mismatch)."""
    ours = await ledger_net_by_charge(uow, provider.name)
    theirs = provider_net_by_charge(await provider.balance_transactions())
    problems = []
    for charge in sorted(set(ours) | set(theirs)):
        reference, mine = ours.get(charge, ("—", None))
        other = theirs.get(charge)
        if mine is None:
            problems.append(f"{charge}: at the provider ({other}) but not in the ledger")
        elif other is None:
            problems.append(f"{charge} ({reference}): in the ledger ({mine}) but not at the provider")
        elif mine != other:
            problems.append(f"{charge} ({reference}): ledger {mine}, provider {other}")
    return len(set(ours) | set(theirs)), problems
