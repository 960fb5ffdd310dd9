"""The sampling record an inspection's results notice carries, read from the file store
when the notice leaves (the outbox keeps only a reference)."""

from __future__ import annotations

from collections.abc import Callable

from core.catalog.media import FileStore
from core.consulting.inspections import service
from core.consulting.inspections.tables import Inspection
from core.errors import NotFound
from core.i18n import _
from core.notifications.delivery import Attachment, Resolver
from core.storage.uow import UnitOfWork


def resolvers(uow_factory: Callable[[], UnitOfWork], files: FileStore) -> dict[str, Resolver]:
    """The attachment kind inspections render, for the dispatchers."""

    async def sampling_record(key: str) -> Attachment:
        async with uow_factory() as uow:
            row = await uow.get(Inspection, int(key))
            kept = await service.record(uow, row.id, row.inspector_id) if row else None
        if kept is None:
            raise NotFound(_("That sampling record is no longer there."))
        return Attachment(kept.name, files.read(kept.path), kept.mime_type)

    return {"inspection-record": sampling_record}
