"""The periodic work of framework contracts, as plain functions the scheduler calls: each due
call-off timer taken in its own short transaction (the shared timer loop), and the notices
before each call-off and before the contract ends, each once per timer and offset."""

from __future__ import annotations

from datetime import timedelta

from core.deals.contracts import service as contracts
from core.deals.contracts.tables import Contract
from core.deals.notices import contracts as contract_notices
from core.process import timers
from core.process.deals import CONTRACT_PROCESS, ContractState
from core.process.tables import ProcessTimer
from core.process.timer_jobs import fire_each, remind_each
from core.storage.uow import UnitOfWork, UowFactory

# The longest notice ahead of a call-off: the timers worth looking at.
HORIZON = max(o for t in CONTRACT_PROCESS.timers for o in t.remind)
ENDING = HORIZON  # the earliest notice is the one before the last call-off (with Renew)


async def run_all(uow_factory: UowFactory, limit: int = 200) -> list[int]:
    """Call off every delivery now due; returns the new call-off deals' ids."""
    async with uow_factory() as uow:
        due = await timers.due(uow, CONTRACT_PROCESS, limit=limit)
    return await fire_each(uow_factory, due, fire, "contract")


async def fire(uow: UnitOfWork, timer_id: int) -> int | None:
    """Claim one due call-off timer and call off the delivery; None when another worker
    claimed it or the contract moved on."""
    timer = await timers.claim(uow, timer_id, CONTRACT_PROCESS)
    if timer is None or timer.fires != "call-off":
        return None
    return await contracts.call_off(uow, timer.subject_id)


async def remind_all(uow_factory: UowFactory) -> int:
    """Send every notice now due before a call-off or a contract's end; how many went."""
    async with uow_factory() as uow:
        soon = [t.id for t in await timers.upcoming(uow, HORIZON, CONTRACT_PROCESS)]
    return await remind_each(uow_factory, soon, remind, "contract")


async def run(uow_factory: UowFactory) -> None:
    """The `contract-timers` job: due call-offs, then the notices before the next ones."""
    await run_all(uow_factory)
    await remind_all(uow_factory)


async def remind(uow: UnitOfWork, timer_id: int) -> int:
    """The notices now due before this timer's call-off: the call-off itself (to both, with
    its date and quantity) and, before the last one, the contract's end with Renew."""
    timer = await uow.get(ProcessTimer, timer_id, populate_existing=True)
    now = uow.clock.now()
    if timer is None or timer.done_at is not None or timer.due_at <= now:
        return 0
    contract = await uow.get(Contract, timer.subject_id)
    if contract is None or contract.status != ContractState.ACTIVE:
        return 0
    number = contract.called + 1
    sent = 0
    for offset in _offsets():
        if timer.due_at - offset > now or not await timers.mark_reminded(uow, timer.id, offset):
            continue
        if offset == ENDING:
            if number == contract.call_offs:
                sent += await contract_notices.ending(uow, contract, timer.due_at)
        else:
            sent += await contract_notices.coming(uow, contract, number, timer.due_at)
    return sent


def _offsets() -> tuple[timedelta, ...]:
    return next(t.remind for t in CONTRACT_PROCESS.timers if t.fires == "call-off")
