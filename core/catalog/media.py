"""Photos and documents of listings: type and size checked, stored with a SHA-256 checksum.

Channels fetch the bytes (Telegram getFile, Slack files.info, a local path in the terminal)
through a `FileFetcher` they register; the `FileStore` keeps them under the data directory.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.catalog.sql_stock import stock_of
from core.catalog.stock import Stock
from core.catalog.tables import ListingMedia
from core.catalog.upload_rules import MAX_BYTES as MAX_BYTES  # the upload limits' size, asked here
from core.catalog.upload_rules import PHOTO_TYPES as PHOTO_TYPES  # the Mini App's and the site's
from core.catalog.upload_rules import check_content, check_may_attach
from core.catalog.upload_rules import check_upload as check_upload  # asked by flows before fetching
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Attached:
    """A file just linked to a listing, as the seller is told of it."""

    id: int
    name: str
    size: int  # bytes
    sha256: str


class FileFetcher(Protocol):
    async def fetch(self, file_id: str) -> bytes: ...


class LocalFileFetcher:
    """The terminal's files: its uploads are paths on this machine."""

    async def fetch(self, file_id: str) -> bytes:
        return await asyncio.to_thread(Path(file_id).read_bytes)


class FileStore:
    """Content-addressed files under a directory: the path is the checksum."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def put(self, data: bytes, suffix: str) -> tuple[str, str]:
        """Store bytes; returns (sha256, path relative to the root)."""
        digest = hashlib.sha256(data).hexdigest()
        relative = f"{digest[:2]}/{digest}{suffix}"
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return digest, relative

    def read(self, relative: str) -> bytes:
        return (self.root / relative).read_bytes()

    def locate(self, relative: str) -> Path:
        """Where a stored file is on this machine."""
        return (self.root / relative).resolve()


def keep(store: FileStore, kind: str, name: str, mime: str, data: bytes) -> tuple[str, str]:
    """Check the bytes really are what they claim and store them; (sha256, path)."""
    check_upload(kind, mime, len(data))
    check_content(name, mime, data)
    suffix = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
              "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/mp4": ".m4a"}.get(mime, ".pdf")
    return store.put(data, suffix)


async def attach(uow: UnitOfWork | Stock, store: FileStore, listing_id: int, *, kind: str,
                 name: str, mime: str, data: bytes, channel_ref: str | None = None) -> Attached:
    """Check the bytes really are what they claim, store them and link them to the listing."""
    stock = stock_of(uow)
    check_may_attach(len(await stock.files(listing_id)))
    digest, path = keep(store, kind, name, mime, data)
    row = ListingMedia(listing_id=listing_id, kind=kind, file_name=name[:200], mime_type=mime,
                       size=len(data), sha256=digest, path=path, channel_ref=channel_ref,
                       created_at=stock.now())
    await stock.add_file(row)
    return Attached(row.id, row.file_name, row.size, row.sha256)
