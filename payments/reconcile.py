"""Reconciliation: the ledger's money per charge against the provider's balance transactions
(the comparison itself: payments.reconcile_rules)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core.money.model import Money
from core.payments_port import EscrowState
from core.storage.uow import UnitOfWork
from payments.reconcile_rules import mismatches, provider_net_by_charge
from payments.tables import Escrow, LedgerAccount, LedgerEntry, LedgerJournal

# An authorisation that is not captured yet is no balance transaction at the provider.
NOT_CHARGED_YET = (EscrowState.AUTHORISED, EscrowState.SETTLING)


def at_provider(kind: str, state: str) -> bool:
    """Whether an escrow with a charge has money at the provider yet: a session's card is only
    authorised until the session is captured."""
    return not (kind == "session" and state in NOT_CHARGED_YET)


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
        if not at_provider(kind, state):
            continue
        assert charge is not None  # the query keeps charged escrows only
        out[charge] = (reference, Money(-int(world), currency))
    return out


async def reconcile(uow: UnitOfWork, provider: Any) -> tuple[int, list[str]]:
    """(charges checked, one line per mismatch)."""
    ours = await ledger_net_by_charge(uow, provider.name)
    theirs = provider_net_by_charge(await provider.balance_transactions())
    return mismatches(ours, theirs)
