"""What the learning context's SQL storage (the shelf, the agenda) shares: it works inside the
caller's unit of work, reads its clock and asks who is an administrator there."""

from __future__ import annotations

from datetime import datetime

from core.operators import roles
from core.storage.uow import UnitOfWork


class OnUnitOfWork:
    """A storage adapter inside `uow`'s transaction."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def now(self) -> datetime:
        return self._uow.clock.now()

    async def is_admin(self, account_id: int) -> bool:
        return await roles.is_admin(self._uow, account_id)
