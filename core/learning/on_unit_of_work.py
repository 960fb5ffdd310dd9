"""What the learning context's SQL storage (the shelf, the agenda) shares beside every SQL
store's (core.storage.stores.SqlStore): it asks who is an administrator there."""

from __future__ import annotations

from core.operators import roles
from core.storage.stores import SqlStore


class OnUnitOfWork(SqlStore):
    """A storage adapter inside `uow`'s transaction."""

    async def is_admin(self, account_id: int) -> bool:
        return await roles.is_admin(self._uow, account_id)
