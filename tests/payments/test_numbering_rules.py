"""Invoice numbering's decisions without a database (payments.numbering): which series a
document is numbered in, the numbers a pass gives, and how payments committing at once share
one pass. Gapless numbers under concurrency, and a crash's invoice numbered by the job, stay
proven on the database (tests/payments/test_ledger.py)."""

from __future__ import annotations

import asyncio

from payments.numbering import Coalesced, assign, series_of


def test_credit_notes_and_commission_invoices_have_series_of_their_own_per_year():
    assert series_of("payment", 2026) == "2026" and series_of("payout", 2026) == "2026"
    assert series_of("credit_note", 2026) == "CN-2026"
    assert series_of("commission", 2027) == "CI-2027"


def test_a_pass_numbers_in_id_order_each_series_counting_on_from_its_next_number():
    rows = [(4, "2026"), (5, "CN-2026"), (6, "2026"), (7, "CI-2026")]
    numbers, moved = assign(rows, {"2026": 7, "CN-2026": 1, "CI-2026": 3})
    assert numbers == [(4, "2026-000007"), (5, "CN-2026-000001"), (6, "2026-000008"),
                       (7, "CI-2026-000003")]
    assert list(moved.items()) == [("2026", 9), ("CI-2026", 4), ("CN-2026", 2)]


def test_an_unused_series_does_not_move_and_one_not_taken_waits_for_the_next_pass():
    numbers, moved = assign([(1, "2025"), (2, "2026")], {"2026": 1, "CN-2026": 1})
    assert numbers == [(2, "2026-000001")] and moved == {"2026": 2}
    assert assign([(1, "2025")], {"2026": 1}) == ([], {})


async def test_payments_committing_during_a_pass_share_the_next_one():
    runs: list[int] = []
    gate = asyncio.Event()

    async def job() -> None:
        runs.append(len(runs) + 1)
        if len(runs) == 1:
            await gate.wait()

    passes = Coalesced(job)
    first = asyncio.create_task(passes.request())
    await asyncio.sleep(0)  # the first pass runs, held at the gate
    later = [asyncio.create_task(passes.request()) for _ in range(3)]
    await asyncio.sleep(0)
    assert not first.done() and runs == [1]
    gate.set()
    await asyncio.gather(first, *later)
    assert runs == [1, 2]  # three callers, one more pass


async def test_a_failed_pass_still_lets_its_callers_go_and_the_next_one_runs(caplog):
    calls = 0

    async def job() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database away")

    passes = Coalesced(job)
    await passes.request()
    await passes.request()
    assert calls == 2 and "invoice numbering failed" in caplog.text
