"""The money half of the raw-SQL deal (bench/deals_raw.py): the escrow opened, held by the test
card, released with its payout operation and paid out, each with its journal, entries, invoice
and notices, as hand-written statements; the deal's own moves stay with the caller."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench.escrow_raw import account_ids, earn, numbering

ESCROW = text(
    "INSERT INTO escrows (kind, market, reference, payer_id, payee_id, currency, amount, refunded, "
    "commission, state, payout_state, provider, pay_token, pay_url, changed_by, change_reason, "
    "created_at, updated_at) VALUES ('goods', 'bioenergy', :ref, :payer, :payee, 'EUR', :amount, "
    "0, 0, 'awaiting_payment', 'none', 'sandbox', :token, :url, 'system:deals', "
    "'the deal''s process', :now, :now)")
HOLD = text("UPDATE escrows SET state = 'held', charge_ref = 'sbx_ch_' || id, changed_by = "
            "'system:sandbox', change_reason = 'test card accepted', updated_at = :now WHERE "
            "reference = :ref AND state = 'awaiting_payment' RETURNING id, amount, payer_id, payee_id")
RELEASE = text("UPDATE escrows SET state = 'released', commission = amount * 5 / 100, "
               "payout_state = 'sending', changed_by = 'system:deals', change_reason = "
               "'the deal''s process', updated_at = :now WHERE reference = :ref AND "
               "state = 'held' RETURNING id, amount, commission, payer_id, payee_id")
PAID = text("UPDATE escrows SET payout_state = 'paid' WHERE id = :id AND payout_state = 'sending' "
            "RETURNING id, payer_id, payee_id")
JOURNAL = text("INSERT INTO ledger_journals (key, kind, escrow_id, description, actor, reason, "
               "created_at) VALUES (:key, :kind, :id, :text, :who, :why, :now) "
               "ON CONFLICT DO NOTHING RETURNING id")
ENTRY = text("INSERT INTO ledger_entries (journal_id, account_id, amount, currency) "
             "VALUES (:journal, :account, :amount, 'EUR')")
OVERDRAWN = text("SELECT account_id FROM ledger_entries WHERE account_id = :account "
                 "GROUP BY account_id HAVING sum(amount) < 0")
ADDRESSES = text("SELECT account_id, channel, address FROM identities WHERE account_id IN (:a, :b)")
OUTBOX = text("INSERT INTO outbox (account_id, channel, address, payload, urgent, status, attempts, "
              "available_at, created_at) VALUES (:account, :channel, :address, :payload, false, "
              "'pending', 0, :now, :now)")
INVOICE = text("INSERT INTO invoices (number, journal_id, escrow_id, kind, payer_id, payee_id, "
               "currency, lines, commission, total, token, created_at) VALUES (NULL, :journal, "
               ":id, :kind, :payer, :payee, 'EUR', :lines, :fee, :total, :token, :now)")
OPERATION = text("INSERT INTO payment_operations (key, escrow_id, kind, amount, commission, refund, "
                 "status, actor, reason, created_at) VALUES (:key, :id, 'payout', :amount, 0, 0, "
                 "'pending', 'system:payout', 'payee can be paid', :now)")
CLAIM = text("UPDATE payment_operations SET status = 'done', provider_ref = 'sbx_transfer_' || key, "
             "completed_at = :now WHERE key = :key AND status = 'pending' RETURNING escrow_id, amount")


def _now() -> datetime:
    return datetime.now(UTC)


async def open_escrow(db: AsyncEngine, deal_id: int, buyer: int, seller: int, amount: int) -> None:
    """After the terms: the escrow, with its payment page."""
    token = secrets.token_urlsafe(16)
    async with db.begin() as conn:
        await conn.execute(ESCROW, {"ref": f"deal:{deal_id}", "payer": buyer, "payee": seller,
                                    "amount": amount, "token": token, "now": _now(),
                                    "url": f"http://127.0.0.1:8000/pay/{token}"})


async def hold(conn: AsyncConnection, deal_id: int, buyer: int, seller: int) -> None:
    """The test card, in the caller's transaction: escrow held, fund journal, receipts to both."""
    escrow = (await conn.execute(HOLD, {"ref": f"deal:{deal_id}", "now": _now()})).one()
    journal = await _post(conn, f"fund:{escrow.id}", "fund", escrow.id, [
        ("world:sandbox", "world", "", -escrow.amount),
        (f"account:{buyer}", "escrow", str(escrow.id), escrow.amount)])
    await _notices(conn, escrow, journal, "payment", [(f"deal:{deal_id}", escrow.amount)], 0,
                   (buyer, seller))
    await earn(conn, "payment", buyer, f"deal:{deal_id}")


async def release(db: AsyncEngine, deal_id: int) -> int:
    """Held → released minus commission, with the payout operation; returns the escrow's id."""
    async with db.begin() as conn:
        escrow = (await conn.execute(RELEASE, {"ref": f"deal:{deal_id}", "now": _now()})).one()
        net = escrow.amount - escrow.commission
        journal = await _post(conn, f"release:{escrow.id}", "release", escrow.id, [
            (f"account:{escrow.payer_id}", "escrow", str(escrow.id), -escrow.amount),
            (f"account:{escrow.payee_id}", "payable", "", net),
            ("platform", "commission", "", escrow.commission)])
        await conn.execute(OPERATION, {"key": f"payout:{escrow.id}:1", "id": escrow.id,
                                       "amount": net, "now": _now()})
        await _notices(conn, escrow, journal, "payout", [
            (f"deal:{deal_id}: released from escrow", escrow.amount),
            ("Platform commission", -escrow.commission)], escrow.commission,
            (escrow.payee_id, escrow.payer_id))
    await numbering(db).request()
    return int(escrow.id)


async def pay_out(db: AsyncEngine, escrow_id: int, deal_id: int) -> None:
    """The payout's completion: operation claimed first, journal, payout state, statement."""
    async with db.begin() as conn:
        op = (await conn.execute(CLAIM, {"key": f"payout:{escrow_id}:1", "now": _now()})).one()
        escrow = (await conn.execute(PAID, {"id": escrow_id})).one()
        journal = await _post(conn, f"payout:{escrow_id}:1", "payout", escrow_id, [
            (f"account:{escrow.payee_id}", "payable", "", -op.amount),
            (f"account:{escrow.payee_id}", "paid_out", "", op.amount)])
        await _notices(conn, escrow, journal, "payout", [(f"Payout for deal:{deal_id}", op.amount)],
                       0, (escrow.payee_id,), also=f"commission invoice {journal}")
    await numbering(db).request()


async def _post(conn: AsyncConnection, key: str, kind: str, escrow: int,
                legs: list[tuple[str, str, str, int]]) -> int:
    """A journal and its entries; an account a leg takes money from may not go below zero."""
    journal = (await conn.execute(JOURNAL, {
        "key": key, "kind": kind, "id": escrow, "text": key, "who": "system", "why": kind,
        "now": _now()})).scalar_one()
    ids = await account_ids(conn, [leg[:3] for leg in legs])
    await conn.execute(ENTRY, [{"journal": journal, "account": ids[leg[:3]], "amount": leg[3]}
                               for leg in legs])
    for leg in legs:
        if leg[3] < 0 and leg[1] != "world":
            overdrawn = (await conn.execute(OVERDRAWN, {"account": ids[leg[:3]]})).first()
            assert overdrawn is None, f"journal {key} takes an account below zero"
    return int(journal)


async def _notices(conn: AsyncConnection, escrow: Any, journal: int, kind: str,
                   lines: list[tuple[str, int]], fee: int, parties: tuple[int, ...],
                   also: str | None = None) -> None:
    """The invoice (numbered after commit) and a notice to each party on their channel (and
    `also`, a second notice to the first party: the payout's commission invoice)."""
    now, token = _now(), secrets.token_urlsafe(16)
    await conn.execute(INVOICE, {
        "journal": journal, "id": escrow.id, "kind": kind,
        "payer": escrow.payer_id, "payee": escrow.payee_id,
        "lines": json.dumps(lines), "fee": fee, "total": sum(n for _, n in lines),
        "token": token, "now": now})
    where = {row.account_id: row for row in (await conn.execute(ADDRESSES, {
        "a": parties[0], "b": parties[-1]})).all()}
    payload = json.dumps({"text": f"{kind} {journal}", "attachments": [
        {"kind": "invoice", "key": token}]})
    extra = [(parties[0], json.dumps({"text": also}))] if also else []
    await conn.execute(OUTBOX, [{"account": p, "channel": where[p].channel,
                                 "address": where[p].address, "payload": text_, "now": now}
                                for p, text_ in [*((p, payload) for p in parties), *extra]])


async def notify(conn: AsyncConnection, parties: tuple[int, ...], text_: str,
                 rewrites: tuple[int, ...] = (), card: str = "") -> None:
    """A notice to each party on their channel (the services' deal notices), and to each of
    `rewrites` the row that rewrites their latest card of `card` ("deal:12"), in one INSERT."""
    people = (*parties, *rewrites)
    where = {row.account_id: row for row in (await conn.execute(ADDRESSES, {
        "a": people[0], "b": people[-1]})).all()}
    now = _now()
    said = json.dumps({"text": text_})
    await conn.execute(OUTBOX, [{"account": p, "channel": where[p].channel,
                                 "address": where[p].address, "now": now,
                                 "payload": said if n < len(parties) else json.dumps(
                                     {"rewrites": card})}
                                for n, p in enumerate(people)])
