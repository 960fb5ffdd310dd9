"""Files that deal notices carry, rendered when the notice leaves (the outbox keeps only a
reference): a photo or document relayed in a thread, a version of a deal's terms and the
buyer's carbon receipt as PDFs."""

from __future__ import annotations

from collections.abc import Callable

from core.catalog.media import FileStore
from core.deals.after_sale.carbon_receipt import carbon_receipt_pdf
from core.deals.folder import folder_of
from core.deals.freight import view as freight_view
from core.deals.freight.tables import FreightRequest
from core.deals.terms.pdf import version_pdf
from core.deals.threads import service as threads
from core.errors import NotFound
from core.i18n import _
from core.notifications.delivery import Attachment, Resolver
from core.storage.uow import UnitOfWork


def resolvers(uow_factory: Callable[[], UnitOfWork], files: FileStore) -> dict[str, Resolver]:
    """The attachment kinds deals render, for the dispatchers (wired by the composition root)."""

    async def thread_file(key: str) -> Attachment:
        async with uow_factory() as uow:
            message = await threads.file_of(uow, int(key))
            name, path, mime = message.file_name, message.file_path, message.mime_type
        return Attachment(name or "file", files.read(path or ""),
                          mime or "application/octet-stream")

    async def deal_terms(key: str) -> Attachment:
        async with uow_factory() as uow:
            return await terms_file(uow, int(key))

    async def carbon(key: str) -> Attachment:
        async with uow_factory() as uow:
            pdf = await carbon_receipt_pdf(uow, int(key), None)
        return Attachment(f"agora-deal-{key}-carbon.pdf", pdf, "application/pdf")

    async def cmr(key: str) -> Attachment:
        async with uow_factory() as uow:
            request = await uow.get(FreightRequest, int(key))
            kept = await freight_view.cmr(uow, request.id, request.asked_by) if request else None
        if kept is None:
            raise NotFound(_("That CMR is no longer there."))
        return Attachment(kept.file_name, files.read(kept.path), kept.mime_type)

    return {"thread-file": thread_file, "deal-terms": deal_terms, "carbon-receipt": carbon,
            "freight-cmr": cmr}


async def terms_file(uow: UnitOfWork, version_id: int) -> Attachment:
    """One version of a deal's terms as a PDF, named by deal and version."""
    version = await folder_of(uow).version(version_id)
    if version is None:
        raise NotFound(_("Those terms are no longer there."))
    pdf = await version_pdf(uow, version, None)
    return Attachment(f"agora-deal-{version.deal_id}-terms-v{version.version}.pdf", pdf,
                      "application/pdf")
