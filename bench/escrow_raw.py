"""The raw-SQL baseline of one fund-and-release cycle: the same rows, hand-written statements.

It mirrors the service transaction by transaction: open; fund (state, journal, entries, outbox,
unnumbered invoice); release with the payout operation recorded in the same transaction; the
payout's completion (operation claimed first, journal, entries, state, outbox, invoice); and after
each commit that issued an invoice a numbering pass shared by the callers waiting for one
(`payments.numbering.Coalesced`): lock the year's counter, number every unnumbered invoice, move
the counter, commit.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from payments.numbering import Coalesced

ESCROW = text(
    "INSERT INTO escrows (kind, market, reference, payer_id, payee_id, currency, amount, refunded, "
    "commission, state, payout_state, provider, pay_token, changed_by, change_reason, created_at, "
    "updated_at) VALUES ('goods', 'bioenergy', :ref, :payer, :payee, 'EUR', 10000, 0, 0, "
    "'awaiting_payment', 'none', 'sandbox', :token, 'bench', 'benchmark', :now, :now) RETURNING id")
MOVE = text("UPDATE escrows SET state = :to, commission = :fee, payout_state = :payout, "
            "updated_at = :now WHERE id = :id AND state = :from")
PAID = text("UPDATE escrows SET payout_state = 'paid' WHERE id = :id AND payout_state = 'sending'")
JOURNAL = text("INSERT INTO ledger_journals (key, kind, escrow_id, description, actor, reason, "
               "created_at) VALUES (:key, :kind, :id, :key, 'bench', 'benchmark', :now) RETURNING id")
ACCOUNT = text("INSERT INTO ledger_accounts (owner, purpose, reference, currency) "
               "VALUES (:owner, :purpose, :reference, 'EUR') ON CONFLICT DO NOTHING RETURNING id")
ACCOUNT_IDS = ("SELECT id, owner, purpose, reference FROM ledger_accounts WHERE currency = 'EUR' "
               "AND (owner, purpose, reference) IN ({})")
ENTRY = text("INSERT INTO ledger_entries (journal_id, account_id, amount, currency) "
             "VALUES (:journal, :account, :amount, 'EUR')")
INVOICE = text("INSERT INTO invoices (number, journal_id, escrow_id, kind, payer_id, payee_id, "
               "currency, lines, commission, total, token, created_at) VALUES (NULL, :journal, "
               ":id, :kind, :payer, :payee, 'EUR', :lines, 0, :total, :token, :now)")
OUTBOX = text("INSERT INTO outbox (account_id, channel, address, payload, urgent, status, attempts, "
              "available_at, created_at) VALUES (:account, 'terminal', 'x', :payload, false, "
              "'pending', 0, :now, :now)")
OPERATION = text("INSERT INTO payment_operations (key, escrow_id, kind, amount, commission, refund, "
                 "status, actor, reason, created_at) VALUES (:key, :id, 'payout', :amount, 0, 0, "
                 "'pending', 'bench', 'benchmark', :now)")
CLAIM = text("UPDATE payment_operations SET status = 'done', completed_at = :now "
             "WHERE key = :key AND status = 'pending' RETURNING id")
POINTS = text(  # a points journal (once per key) and its two entries, as core.loyalty.points
    "WITH journal AS (INSERT INTO points_journals (key, kind, account_id, reason, created_at) "
    "VALUES (:key, :kind, :account, :reason, :now) ON CONFLICT DO NOTHING RETURNING id), "
    "entries AS (INSERT INTO points_entries (journal_id, holder, points) SELECT journal.id, "
    "legs.holder, legs.points FROM journal, (VALUES ('platform:issued', -CAST(:points AS INTEGER)), "
    "('account:' || CAST(:account AS VARCHAR), CAST(:points AS INTEGER))) AS legs (holder, points)) "
    "SELECT id FROM journal")
POINTS_JOURNAL = text("INSERT INTO points_journals (key, kind, account_id, reason, created_at) "
                      "VALUES (:key, :kind, :account, :reason, :now) ON CONFLICT DO NOTHING "
                      "RETURNING id")
POINTS_ENTRY = text("INSERT INTO points_entries (journal_id, holder, points) "
                    "VALUES (:journal, :holder, :points)")
EARN = {"deal": 100, "payment": 20, "rating": 10}  # core.loyalty.rules.EARN
COUNTER = "SELECT next_number FROM invoice_counters WHERE series = :series"
COUNTER_NEW = text("INSERT INTO invoice_counters (series, next_number) VALUES (:series, 1) "
                   "ON CONFLICT DO NOTHING")
COUNTER_MOVE = text("UPDATE invoice_counters SET next_number = :next WHERE series = :series")
UNNUMBERED = text("SELECT id FROM invoices WHERE number IS NULL ORDER BY id")
NUMBER = text("UPDATE invoices SET number = :number WHERE id = :id")


async def _journal(conn: AsyncConnection, key: str, kind: str, escrow: int,
                   legs: list[tuple[str, str, str, int]], parties: tuple[int, ...],
                   also: int = 0) -> None:
    """The journal, its entries, a notice to each party (and `also` more to the first: a
    payout's commission invoice) and the unnumbered invoice."""
    now = datetime.now(UTC)
    journal = (await conn.execute(JOURNAL, {"key": key, "kind": kind, "id": escrow, "now": now})
               ).scalar_one()
    ids = await account_ids(conn, [leg[:3] for leg in legs])
    await conn.execute(ENTRY, [{"journal": journal, "account": ids[leg[:3]], "amount": leg[3]}
                               for leg in legs])
    await conn.execute(OUTBOX, [{"account": account_id, "payload": json.dumps({"text": key}),
                                 "now": now} for account_id in (*parties, *(parties[0],) * also)])
    await conn.execute(INVOICE, {"journal": journal, "id": escrow, "kind": kind,
                                 "payer": parties[0], "payee": parties[-1],
                                 "lines": json.dumps([[key, 10000]]), "total": 10000,
                                 "token": secrets.token_urlsafe(16), "now": now})


async def account_ids(conn: AsyncConnection, names: list[tuple[str, str, str]]
                    ) -> dict[tuple[str, str, str], int]:
    """Every account's id in one query; a missing one is created."""
    wanted = list(dict.fromkeys(names))
    marks = ", ".join(f"(:o{i}, :p{i}, :r{i})" for i in range(len(wanted)))
    params = {f"{k}{i}": v for i, name in enumerate(wanted) for k, v in zip("opr", name, strict=True)}
    find = text(ACCOUNT_IDS.format(marks))
    ids = {(o, p, r): i for i, o, p, r in (await conn.execute(find, params)).all()}
    for owner, purpose, reference in [name for name in wanted if name not in ids]:
        made = (await conn.execute(ACCOUNT, {"owner": owner, "purpose": purpose,
                                             "reference": reference})).scalar()
        if made is not None:
            ids[(owner, purpose, reference)] = made
    if len(ids) < len(wanted):  # created by someone else at the same moment
        ids = {(o, p, r): i for i, o, p, r in (await conn.execute(find, params)).all()}
    return ids


async def raw_cycle(db: AsyncEngine, payer: int, payee: int, n: str, race: bool) -> int:
    """Open, fund, release (twice at once when `race`) and pay out; returns the releases won."""
    now = datetime.now(UTC)
    async with db.begin() as conn:
        escrow = (await conn.execute(ESCROW, {"ref": f"deal:{n}", "payer": payer, "payee": payee,
                                              "token": secrets.token_urlsafe(16), "now": now})
                  ).scalar_one()
    async with db.begin() as conn:
        await conn.execute(MOVE, {"to": "held", "fee": 0, "payout": "none", "now": now, "id": escrow,
                                  "from": "awaiting_payment"})
        await _journal(conn, f"fund:{escrow}", "fund", escrow, [
            ("world:sandbox", "world", "", -10000), (f"account:{payer}", "escrow", str(escrow), 10000)],
            (payer, payee))
        await earn(conn, "payment", payer, f"deal:{n}")  # the payer's points, as the service's
    await numbering(db).request()

    async def release() -> int:
        async with db.begin() as conn:
            moved = await conn.execute(MOVE, {"to": "released", "fee": 500, "payout": "sending",
                                              "now": now, "id": escrow, "from": "held"})
            if moved.rowcount != 1:
                return 0
            await _journal(conn, f"release:{escrow}", "release", escrow, [
                (f"account:{payer}", "escrow", str(escrow), -10000),
                (f"account:{payee}", "payable", "", 9500), ("platform", "commission", "", 500)],
                (payer, payee))
            await conn.execute(OPERATION, {"key": f"payout:{escrow}:1", "id": escrow,
                                           "amount": 9500, "now": now})
        await numbering(db).request()
        await _paid_out(db, escrow, payee)
        return 1

    return sum(await asyncio.gather(*(release() for _ in range(2 if race else 1))))


async def _paid_out(db: AsyncEngine, escrow: int, payee: int) -> None:
    async with db.begin() as conn:
        if (await conn.execute(CLAIM, {"key": f"payout:{escrow}:1", "now": datetime.now(UTC)})
                ).scalar() is None:
            return
        await _journal(conn, f"payout:{escrow}:1", "payout", escrow, [
            (f"account:{payee}", "payable", "", -9500), (f"account:{payee}", "paid_out", "", 9500)],
            (payee,), also=1)
        await conn.execute(PAID, {"id": escrow})
    await numbering(db).request()


_PASSES: dict[AsyncEngine, Coalesced] = {}


def numbering(db: AsyncEngine) -> Coalesced:
    """The engine's numbering passes, shared by the callers waiting for one (as the service's)."""
    if db not in _PASSES:
        _PASSES[db] = Coalesced(lambda: _number(db))
    return _PASSES[db]


async def _number(db: AsyncEngine) -> None:
    year = str(datetime.now(UTC).year)
    take = text(COUNTER + ("" if db.dialect.name == "sqlite" else " FOR UPDATE"))
    async with db.connect() as conn:
        await conn.begin()
        taken = (await conn.execute(take, {"series": year})).scalar()
        if taken is None:
            await conn.execute(COUNTER_NEW, {"series": year})
            taken = (await conn.execute(take, {"series": year})).scalar_one()
        rows = (await conn.execute(UNNUMBERED)).scalars().all()
        if not rows:
            return  # rolled back
        await conn.execute(NUMBER, [{"id": i, "number": f"{year}-{taken + k:06d}"}
                                    for k, i in enumerate(rows)])
        await conn.execute(COUNTER_MOVE, {"next": taken + len(rows), "series": year})
        await conn.commit()


async def earn(conn: AsyncConnection, kind: str, account: int, about: str) -> None:
    """Loyalty points for one event, once (the services earn them in the same transaction):
    one statement on PostgreSQL, the journal then its entries on SQLite (as the service)."""
    values = {"key": f"{kind}:{about}:{account}", "kind": kind, "account": account,
              "points": EARN[kind], "reason": f"{kind} ({about.replace(':', ' ')})",
              "now": datetime.now(UTC)}
    if conn.dialect.name == "postgresql":
        await conn.execute(POINTS, values)
        return
    journal = (await conn.execute(POINTS_JOURNAL, values)).scalar()
    if journal is not None:
        await conn.execute(POINTS_ENTRY, [
            {"journal": journal, "holder": "platform:issued", "points": -EARN[kind]},
            {"journal": journal, "holder": f"account:{account}", "points": EARN[kind]}])
