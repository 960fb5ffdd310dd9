"""The raw-SQL baseline of one fund-and-release cycle: the same rows, hand-written statements."""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

ESCROW = text(
    "INSERT INTO escrows (kind, market, reference, payer_id, payee_id, currency, amount, refunded, "
    "commission, state, payout_state, provider, pay_token, changed_by, change_reason, created_at, "
    "updated_at) VALUES ('goods', 'bioenergy', :ref, :payer, :payee, 'EUR', 10000, 0, 0, "
    "'awaiting_payment', 'none', 'sandbox', :token, 'bench', 'benchmark', :now, :now) RETURNING id")
MOVE = text("UPDATE escrows SET state = :to, commission = :fee, payout_state = :payout, "
            "updated_at = :now WHERE id = :id AND state = :from")
PAYOUT = text("UPDATE escrows SET payout_state = :to WHERE id = :id AND payout_state = :from")
JOURNAL = text("INSERT INTO ledger_journals (key, kind, escrow_id, description, actor, reason, "
               "created_at) VALUES (:key, :kind, :id, :key, 'bench', 'benchmark', :now) RETURNING id")
ACCOUNT = text("INSERT INTO ledger_accounts (owner, purpose, reference, currency) "
               "VALUES (:owner, :purpose, :reference, 'EUR') ON CONFLICT DO NOTHING")
ACCOUNT_ID = text("SELECT id FROM ledger_accounts WHERE owner = :owner AND purpose = :purpose "
                  "AND reference = :reference AND currency = 'EUR'")
ENTRY = text("INSERT INTO ledger_entries (journal_id, account_id, amount, currency) "
             "VALUES (:journal, :account, :amount, 'EUR')")
COUNTER = text("UPDATE invoice_counters SET next_number = next_number + 1 WHERE series = '2026' "
               "RETURNING next_number")
COUNTER_NEW = text("INSERT INTO invoice_counters (series, next_number) VALUES ('2026', 1) "
                   "ON CONFLICT DO NOTHING")
INVOICE = text("INSERT INTO invoices (number, journal_id, escrow_id, kind, payer_id, payee_id, "
               "currency, lines, commission, total, token, created_at) VALUES (:number, :journal, "
               ":id, :kind, :payer, :payee, 'EUR', :lines, 0, :total, :token, :now)")
OUTBOX = text("INSERT INTO outbox (account_id, channel, address, payload, urgent, status, attempts, "
              "available_at, created_at) VALUES (:account, 'terminal', 'x', :payload, false, "
              "'pending', 0, :now, :now)")
OPERATION = text("INSERT INTO payment_operations (key, escrow_id, kind, amount, commission, refund, "
                 "status, actor, reason, created_at) VALUES (:key, :id, 'payout', :amount, 0, 0, "
                 "'pending', 'bench', 'benchmark', :now)")
OPERATION_DONE = text("UPDATE payment_operations SET status = 'done', completed_at = :now "
                      "WHERE key = :key AND status = 'pending'")


async def _journal(conn: AsyncConnection, key: str, kind: str, escrow: int,
                   legs: list[tuple[str, str, str, int]], parties: tuple[int, int]) -> None:
    now = datetime.now(UTC)
    journal = (await conn.execute(JOURNAL, {"key": key, "kind": kind, "id": escrow, "now": now})
               ).scalar_one()
    for owner, purpose, reference, amount in legs:
        names = {"owner": owner, "purpose": purpose, "reference": reference}
        account = (await conn.execute(ACCOUNT_ID, names)).scalar()
        if account is None:
            await conn.execute(ACCOUNT, names)
            account = (await conn.execute(ACCOUNT_ID, names)).scalar_one()
        await conn.execute(ENTRY, {"journal": journal, "account": account, "amount": amount})
    number = (await conn.execute(COUNTER)).scalar()
    if number is None:
        await conn.execute(COUNTER_NEW)
        number = (await conn.execute(COUNTER)).scalar_one()
    await conn.execute(INVOICE, {"number": f"2026-{number:06d}", "journal": journal, "id": escrow,
                                 "kind": kind, "payer": parties[0], "payee": parties[1],
                                 "lines": json.dumps([[key, 10000]]), "total": 10000,
                                 "token": secrets.token_urlsafe(16), "now": now})
    for account_id in parties:
        await conn.execute(OUTBOX, {"account": account_id, "payload": json.dumps({"text": key}),
                                    "now": now})


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

    async def release() -> int:
        async with db.begin() as conn:
            moved = await conn.execute(MOVE, {"to": "released", "fee": 500, "payout": "waiting",
                                              "now": now, "id": escrow, "from": "held"})
            if moved.rowcount != 1:
                return 0
            await _journal(conn, f"release:{escrow}", "release", escrow, [
                (f"account:{payer}", "escrow", str(escrow), -10000),
                (f"account:{payee}", "payable", "", 9500), ("platform", "commission", "", 500)],
                (payer, payee))
        await _payout(db, escrow, payer, payee)
        return 1

    return sum(await asyncio.gather(*(release() for _ in range(2 if race else 1))))


async def _payout(db: AsyncEngine, escrow: int, payer: int, payee: int) -> None:
    now = datetime.now(UTC)
    async with db.begin() as conn:
        if (await conn.execute(PAYOUT, {"to": "sending", "id": escrow, "from": "waiting"})
                ).rowcount != 1:
            return
        await conn.execute(OPERATION, {"key": f"payout:{escrow}:1", "id": escrow, "amount": 9500,
                                       "now": now})
    async with db.begin() as conn:
        await _journal(conn, f"payout:{escrow}:1", "payout", escrow, [
            (f"account:{payee}", "payable", "", -9500), (f"account:{payee}", "paid_out", "", 9500)],
            (payee, payee))
        await conn.execute(PAYOUT, {"to": "paid", "id": escrow, "from": "sending"})
        await conn.execute(OPERATION_DONE, {"key": f"payout:{escrow}:1", "now": now})
