"""A photo or document someone sent in a conversation: checked, fetched from their channel and
kept in the file store by its checksum, ready to relay."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.messages import FileUpload
from core.catalog import media
from core.deals.threads.service import SharedFile
from core.errors import DomainError
from core.i18n import _


async def stored_file(ctx: Ctx, msg: FileUpload, voice: bool = False) -> SharedFile:
    """Check, fetch and keep an uploaded file by its checksum (voice notes where `voice`)."""
    kind = msg.kind if msg.kind == "photo" or (voice and msg.kind == "voice") else "document"
    media.check_upload(kind, msg.mime_type, msg.size)
    fetcher = ctx.services.fetchers.get(ctx.env.channel)
    if fetcher is None or ctx.services.files is None:
        raise DomainError(_("Files can't be received on this channel yet; describe it in words."))
    data = await fetcher.fetch(msg.file_id)
    __, path = media.keep(ctx.services.files, kind, msg.file_name, msg.mime_type, data)
    return SharedFile(path, msg.file_name[:200], msg.mime_type)
