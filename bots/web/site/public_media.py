"""Stored photos made safe to publish: decoded and encoded again without their metadata (a
phone's JPEG carries EXIF with the exact GPS position), turned upright first."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from io import BytesIO

from PIL import Image, ImageOps

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_CACHE: OrderedDict[str, bytes] = OrderedDict()
CACHED = 64  # clean copies kept in memory, by checksum


def without_metadata(data: bytes, mime: str) -> bytes:
    """The picture alone: no EXIF, XMP, ICC comments or text chunks."""
    with Image.open(BytesIO(data)) as source:
        picture = ImageOps.exif_transpose(source)
        if FORMATS[mime] == "JPEG" and picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        out = BytesIO()
        picture.save(out, FORMATS[mime])  # nothing but the pixels is passed on
    return out.getvalue()


async def public_copy(sha256: str, data: bytes, mime: str) -> bytes | None:
    """The clean copy of a stored photo (kept for the next request); None when the picture
    can't be read, so nothing unchecked is published."""
    if sha256 in _CACHE:
        _CACHE.move_to_end(sha256)
        return _CACHE[sha256]
    try:
        clean = await asyncio.to_thread(without_metadata, data, mime)
    except Exception:  # any decoding failure: not published
        return None
    _CACHE[sha256] = clean
    while len(_CACHE) > CACHED:
        _CACHE.popitem(last=False)
    return clean
