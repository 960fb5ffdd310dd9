"""The double-entry ledger: journals of immutable entries summing to zero per currency.

Balances are derived from entries, never stored. A journal's key is unique in the database, so
posting the same movement twice (a retry, a replayed webhook) records it once.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, tuple_

from core.money.model import Money
from core.payments_port import Actor
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork
from core.storage.upsert import Insert, per_dialect
from payments.tables import LedgerAccount, LedgerEntry, LedgerJournal

_COLUMNS = (LedgerAccount.owner, LedgerAccount.purpose, LedgerAccount.reference,
            LedgerAccount.currency)
# Accounts that stand for the outside world may go negative (money came in from there).
MAY_GO_NEGATIVE = {"world"}
# The platform's commission given back as loyalty discounts: income reduced, shown on its own.
MAY_GO_NEGATIVE.add("loyalty_discount")
# What a buyer owes on an invoice on terms (payments.terms_invoices): a claim, until paid.
MAY_GO_NEGATIVE.add("owes")
KNOWN_AT_MOST = 20_000  # account ids remembered per process (one escrow account per escrow)


@dataclass(frozen=True)
class Ref:
    """A ledger account by name: owner, purpose, reference; the currency comes with the amount."""

    owner: str
    purpose: str
    reference: str = ""


class UnbalancedJournal(ValueError):
    pass


class NegativeBalance(ValueError):
    pass


def world(provider: str) -> Ref:
    return Ref(f"world:{provider}", "world")


def platform(purpose: str) -> Ref:
    return Ref("platform", purpose)


def user(account_id: int, purpose: str, reference: str = "") -> Ref:
    return Ref(f"account:{account_id}", purpose, reference)


async def post(uow: UnitOfWork, key: str, kind: str, legs: Sequence[tuple[Ref, Money]],
               actor: Actor, description: str, escrow_id: int | None = None) -> tuple[int, bool]:
    """Record one journal; returns (journal id, True) or (existing id, False) for a known key."""
    _check_balanced(legs)
    conn = await uow.core()
    if conn.dialect.name == "postgresql" and any(money.amount for _, money in legs):
        return await _post_at_once(uow, conn, key, kind, legs, actor, description, escrow_id)
    journal = (await conn.execute(_JOURNAL[conn.dialect.name], dict(
        key=key, kind=kind, escrow_id=escrow_id, description=description[:200],
        actor=actor.who[:80], reason=actor.reason[:200], created_at=uow.clock.now()))).scalar()
    if journal is None:  # the key is known: this movement was recorded before
        return await journal_id(uow, key), False  # type: ignore[return-value]
    legs = [(ref, money) for ref, money in legs if money.amount]
    ids = await account_ids(uow, [(ref, money.currency) for ref, money in legs])
    await conn.execute(_ENTRIES, [
        {"journal_id": journal, "account_id": ids[(ref, money.currency)], "amount": money.amount,
         "currency": money.currency} for ref, money in legs])
    guarded = [ids[(ref, money.currency)] for ref, money in legs
               if money.amount < 0 and ref.purpose not in MAY_GO_NEGATIVE]
    if guarded and await _overdrawn(uow, guarded):
        raise NegativeBalance(f"journal {key} would take an account below zero")
    return _posted_here(uow, journal), True


async def _post_at_once(uow: UnitOfWork, conn: Any, key: str, kind: str,
                        legs: Sequence[tuple[Ref, Money]], actor: Actor, description: str,
                        escrow_id: int | None) -> tuple[int, bool]:
    """PostgreSQL: the journal, its entries and the check that no guarded account goes below
    zero in one statement (one round trip instead of three), as `post` does them in turn."""
    legs = [(ref, money) for ref, money in legs if money.amount]
    ids = await account_ids(uow, [(ref, money.currency) for ref, money in legs])
    params: dict[str, Any] = dict(
        key=key, kind=kind, escrow_id=escrow_id, description=description[:200],
        actor=actor.who[:80], reason=actor.reason[:200], created_at=uow.clock.now())
    deltas: dict[int, int] = defaultdict(int)
    guarded: list[int] = []
    for n, (ref, money) in enumerate(legs):
        account = ids[(ref, money.currency)]
        params |= {f"a{n}": account, f"m{n}": money.amount, f"c{n}": money.currency}
        deltas[account] += money.amount
        if money.amount < 0 and ref.purpose not in MAY_GO_NEGATIVE and account not in guarded:
            guarded.append(account)
    for n, account in enumerate(guarded):  # each guarded account: its balance after this journal
        params |= {f"g{n}": account, f"d{n}": deltas[account]}
    row = (await conn.execute(_posting(len(legs), len(guarded)), params)).first()
    if row is None:  # the key is known: this movement was recorded before (nothing was written)
        return await journal_id(uow, key), False  # type: ignore[return-value]
    if row.overdrawn:
        raise NegativeBalance(f"journal {key} would take an account below zero")
    return _posted_here(uow, row.id), True


_POSTED = "ledger-journals-posted"  # the journals this transaction recorded (`uow.kept`)


def _posted_here(uow: UnitOfWork, journal: int) -> int:
    uow.kept(_POSTED, set[int]).add(journal)
    return journal


def posted_here(uow: UnitOfWork, journal: int) -> bool:
    """Whether this transaction recorded the journal (nothing can have been issued for it
    before: its documents need not be looked for)."""
    return journal in uow.kept(_POSTED, set[int])


@functools.cache
def _posting(legs: int, guarded: int) -> Any:
    # The statement for this many legs and guarded accounts, built once. The entries' INSERT
    # and the balance check share the statement's snapshot, which does not show the rows the
    # statement itself inserts: the check adds this journal's legs to the committed balance.
    values = ", ".join(f"(CAST(:a{n} AS INTEGER), CAST(:m{n} AS BIGINT), CAST(:c{n} AS VARCHAR))"
                       for n in range(legs))
    checks = ", ".join(f"(CAST(:g{n} AS INTEGER), CAST(:d{n} AS BIGINT))" for n in range(guarded))
    overdrawn = ("EXISTS (SELECT 1 FROM checks WHERE checks.delta + COALESCE((SELECT sum(e.amount) "
                 "FROM ledger_entries AS e WHERE e.account_id = checks.account_id), 0) < 0)"
                 if guarded else "false")
    return text(
        "WITH journal AS (INSERT INTO ledger_journals (key, kind, escrow_id, description, actor, "
        "reason, created_at) VALUES (:key, :kind, :escrow_id, :description, :actor, :reason, "
        ":created_at) ON CONFLICT DO NOTHING RETURNING id), "
        f"legs (account_id, amount, currency) AS (VALUES {values}), "
        + (f"checks (account_id, delta) AS (VALUES {checks}), " if guarded else "")
        + "entries AS (INSERT INTO ledger_entries (journal_id, account_id, amount, currency) "
        "SELECT journal.id, legs.account_id, legs.amount, legs.currency FROM journal, legs) "
        f"SELECT journal.id AS id, {overdrawn} AS overdrawn FROM journal")


def _journal_insert(upsert: Insert) -> Any:
    names = ("key", "kind", "escrow_id", "description", "actor", "reason", "created_at")
    return (upsert(_JOURNALS).values({n: bindparam(n) for n in names})
            .on_conflict_do_nothing().returning(_JOURNALS.c.id))


# The statements of every posting, built once (building one costs more than running it), on the
# tables: they run on the transaction's connection, not through the ORM.
_JOURNALS, _ENTRY_ROWS = table_of(LedgerJournal), table_of(LedgerEntry)
_JOURNAL = per_dialect(_journal_insert)
_ENTRIES = insert(_ENTRY_ROWS)
_OVERDRAWN = (select(_ENTRY_ROWS.c.account_id)
              .where(_ENTRY_ROWS.c.account_id.in_(bindparam("accounts", expanding=True)))
              .group_by(_ENTRY_ROWS.c.account_id).having(func.sum(_ENTRY_ROWS.c.amount) < 0))


async def _overdrawn(uow: UnitOfWork, accounts: list[int]) -> bool:
    return (await (await uow.core()).execute(_OVERDRAWN, {"accounts": accounts})).first() is not None


def _check_balanced(legs: Sequence[tuple[Ref, Money]]) -> None:
    totals: dict[str, int] = defaultdict(int)
    for _, money in legs:
        totals[money.currency] += money.amount
    if any(totals.values()):
        raise UnbalancedJournal(f"entries do not sum to zero: {dict(totals)}")


async def journal_id(uow: UnitOfWork, key: str) -> int | None:
    return (await uow.session.execute(
        select(LedgerJournal.id).where(LedgerJournal.key == key))).scalar_one_or_none()


async def account_ids(uow: UnitOfWork, wanted: Sequence[tuple[Ref, str]]
                      ) -> dict[tuple[Ref, str], int]:
    """Ids of the accounts, each created on first use (safe when two create it at once)."""
    known = _known(uow)
    found = {w: known[w] for w in wanted if w in known}
    missing = [w for w in dict.fromkeys(wanted) if w not in found]
    if missing:
        conn = await uow.core()
        made = await conn.execute(_NEW_ACCOUNT[conn.dialect.name], [
            {"owner": ref.owner, "purpose": ref.purpose, "reference": ref.reference,
             "currency": currency} for ref, currency in missing])
        found |= {(Ref(o, p, r), c): i for i, o, p, r, c in made.all()}
        if len(found) < len(set(wanted)):  # it existed already, or someone just created it
            found |= await _find(uow, [w for w in missing if w not in found])
        _remember(uow, {w: found[w] for w in missing}, known)
    return found


def _known(uow: UnitOfWork) -> dict[tuple[Ref, str], int]:
    """Account ids committed in this database, per process: an account's id never changes."""
    sessions = uow.sessions
    known = getattr(sessions, "agora_ledger_ids", None)
    if known is None or len(known) > KNOWN_AT_MOST:
        known = sessions.agora_ledger_ids = {}  # type: ignore[attr-defined]
    return known


def _remember(uow: UnitOfWork, ids: dict[tuple[Ref, str], int],
              known: dict[tuple[Ref, str], int]) -> None:
    # Only once committed: an id from a transaction that rolls back names no account.
    pending: dict[tuple[Ref, str], int] = uow.session.info.setdefault("ledger-ids", {})
    pending.update(ids)

    async def remember() -> None:
        known.update(pending)
    uow.then("ledger-ids", remember)


def _account_insert(upsert: Insert) -> Any:
    # One statement for any number of new accounts (run with a list: one INSERT … VALUES per
    # batch), built once: a multi-row `.values([...])` statement is compiled on every use.
    accounts = table_of(LedgerAccount)
    return (upsert(accounts).values({c.key: bindparam(c.key) for c in _COLUMNS})
            .on_conflict_do_nothing().returning(accounts.c.id, *(accounts.c[c.key] for c in _COLUMNS)))


_NEW_ACCOUNT = per_dialect(_account_insert)


async def _find(uow: UnitOfWork, wanted: Sequence[tuple[Ref, str]]) -> dict[tuple[Ref, str], int]:
    keys = [(ref.owner, ref.purpose, ref.reference, currency) for ref, currency in wanted]
    rows = await uow.session.execute(select(LedgerAccount.id, *_COLUMNS).where(
        tuple_(*_COLUMNS).in_(keys)))
    return {(Ref(o, p, r), c): i for i, o, p, r, c in rows.all()}


async def balance(uow: UnitOfWork, ref: Ref, currency: str) -> int:
    """The account's balance in minor units: the sum of its entries."""
    stmt = (select(func.coalesce(func.sum(LedgerEntry.amount), 0))
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .where(LedgerAccount.owner == ref.owner, LedgerAccount.purpose == ref.purpose,
                   LedgerAccount.reference == ref.reference, LedgerEntry.currency == currency))
    return int((await uow.session.execute(stmt)).scalar_one())


async def balances_of(uow: UnitOfWork, owner: str) -> dict[tuple[str, str], int]:
    """Every (purpose, currency) balance of one owner, summed over references."""
    stmt = (select(LedgerAccount.purpose, LedgerEntry.currency, func.sum(LedgerEntry.amount))
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .where(LedgerAccount.owner == owner)
            .group_by(LedgerAccount.purpose, LedgerEntry.currency))
    return {(p, c): int(s) for p, c, s in (await uow.session.execute(stmt)).all()}


async def unbalanced_journals(uow: UnitOfWork) -> list[int]:
    """Journals whose entries do not sum to zero in some currency (should always be empty)."""
    stmt = (select(LedgerEntry.journal_id).group_by(LedgerEntry.journal_id, LedgerEntry.currency)
            .having(func.sum(LedgerEntry.amount) != 0))
    return list((await uow.session.execute(stmt)).scalars())


async def totals_by_purpose(uow: UnitOfWork) -> dict[tuple[str, str], int]:
    """(purpose, currency) → sum over every owner; the whole ledger in one view."""
    stmt = (select(LedgerAccount.purpose, LedgerEntry.currency, func.sum(LedgerEntry.amount))
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .group_by(LedgerAccount.purpose, LedgerEntry.currency))
    return {(p, c): int(s) for p, c, s in (await uow.session.execute(stmt)).all()}
