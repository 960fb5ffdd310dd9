"""The answers kept for the API's idempotency keys: a POST claims its key (per company) as the
first thing its transaction writes, does its work, and keeps its answer beside the claim, all
committed together. A retry finds the answer and is given it again; the same key with another
request is refused; two at once meet at the unique key — the second waits for the first's
commit (PostgreSQL's unique index, SQLite's one writer) and then finds its answer — so the work
is done once, on one worker or several."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.companies.tables import ApiReplay
from core.storage.uow import UnitOfWork

KEY_LIMIT = 255


@dataclass(frozen=True)
class Kept:
    """A request's answer, as first given."""

    fingerprint: str
    status: int
    body: str


async def claim(uow: UnitOfWork, company_id: int, key: str, fingerprint: str) -> Kept | None:
    """Claim `key` for this request; None when it is ours now, else what was kept under it
    (an answer committed by an earlier or concurrent request)."""
    try:
        async with uow.nested():
            uow.add(ApiReplay(company_id=company_id, idempotency_key=key,
                              fingerprint=fingerprint, status=0, body="",
                              created_at=uow.clock.now()))
            await uow.flush()
    except IntegrityError:
        return await kept(uow, company_id, key)
    return None


async def kept(uow: UnitOfWork, company_id: int, key: str) -> Kept | None:
    row = (await uow.session.execute(select(
        ApiReplay.fingerprint, ApiReplay.status, ApiReplay.body).where(
        ApiReplay.company_id == company_id, ApiReplay.idempotency_key == key))).first()
    return Kept(row.fingerprint, row.status, row.body) if row is not None else None


async def keep(uow: UnitOfWork, company_id: int, key: str, status: int, body: str) -> None:
    """The answer to the claimed request, written in its transaction."""
    await uow.session.execute(update(ApiReplay).where(
        ApiReplay.company_id == company_id, ApiReplay.idempotency_key == key).values(
        status=status, body=body).execution_options(synchronize_session=False))
