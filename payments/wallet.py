"""The wallet: a user's held, incoming, pending and paid-out money, derived from the ledger."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import func, select

from core.i18n import N_, _
from core.money.model import Money, described
from core.payments_port import EscrowState, Movement, Wallet
from core.storage.uow import UnitOfWork
from payments import ledger
from payments.providers.base import Provider
from payments.tables import Escrow, LedgerAccount, LedgerEntry, LedgerJournal, PayoutAccount

OPEN = (EscrowState.HELD, EscrowState.AUTHORISED, EscrowState.SETTLING)
# A user's ledger accounts as a wallet line names them.
PURPOSES = {"escrow": N_("escrow"), "authorised": N_("authorised"), "payable": N_("payable"),
            "paid_out": N_("paid out"), "transfer": N_("received by transfer")}


async def wallet(uow: UnitOfWork, provider: Provider, account_id: int, recent: int = 8) -> Wallet:
    """Everything the wallet shows for one account."""
    balances = await ledger.balances_of(uow, f"account:{account_id}")

    def of(*purposes: str) -> list[Money]:
        sums: dict[str, int] = defaultdict(int)
        for (purpose, currency), amount in balances.items():
            if purpose in purposes:
                sums[currency] += amount
        return [Money(v, c) for c, v in sorted(sums.items()) if v]

    return Wallet(held=of("escrow", "authorised", "transfer"), incoming=await _incoming(uow, account_id),
                  pending=of("payable"), paid_out=of("paid_out"),
                  movements=await _movements(uow, account_id, recent),
                  payouts_ready=await _ready(uow, provider, account_id))


async def _incoming(uow: UnitOfWork, account_id: int) -> list[Money]:
    stmt = (select(Escrow.currency, func.sum(Escrow.amount - Escrow.refunded))
            .where(Escrow.payee_id == account_id, Escrow.state.in_(OPEN))
            .group_by(Escrow.currency).order_by(Escrow.currency))
    return [Money(int(total), cur) for cur, total in (await uow.session.execute(stmt)).all() if total]


# A journal names its escrow by reference (“Payment for booking:1”); people read “session
# booking #1”. Old journals keep their text, so it is translated when shown.
_REFERENCE = re.compile(r"\b(?:deal|booking|recap):\d+(?::[a-z]+(?::\d+)?)?")


def _readable(text: str) -> str:
    return _REFERENCE.sub(lambda m: described(m.group(0)), text)


async def _movements(uow: UnitOfWork, account_id: int, limit: int) -> list[Movement]:
    stmt = (select(LedgerJournal.created_at, LedgerJournal.description, LedgerAccount.purpose,
                   LedgerEntry.amount, LedgerEntry.currency)
            .join(LedgerEntry, LedgerEntry.journal_id == LedgerJournal.id)
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .where(LedgerAccount.owner == f"account:{account_id}")
            .order_by(LedgerEntry.id.desc()).limit(limit))
    rows = (await uow.session.execute(stmt)).all()
    return [Movement(when.date(), f"{_readable(text)} ({_purpose(purpose)})",
                     Money(int(amount), currency))
            for when, text, purpose, amount, currency in rows]


def _purpose(purpose: str) -> str:
    return _(PURPOSES[purpose]) if purpose in PURPOSES else purpose.replace("_", " ")


async def _ready(uow: UnitOfWork, provider: Provider, account_id: int) -> bool:
    if not getattr(provider, "needs_onboarding", False):
        return True
    row = await uow.get(PayoutAccount, account_id)
    return bool(row and row.ready)
