"""What a file sent to Agora must be, on plain values (no database): its type, its size and
its first bytes, and how many one listing keeps."""

from __future__ import annotations

from core.errors import DomainError
from core.i18n import _, present

PHOTO_TYPES = {"image/jpeg": b"\xff\xd8", "image/png": b"\x89PNG", "image/webp": b"RIFF"}
DOCUMENT_TYPES = {**PHOTO_TYPES, "application/pdf": b"%PDF"}
VOICE_TYPES = {"audio/ogg": b"OggS", "audio/mpeg": b"ID3", "audio/mp4": b""}  # voice notes
_ALLOWED = {"photo": PHOTO_TYPES, "document": DOCUMENT_TYPES,
            "voice": {**DOCUMENT_TYPES, **VOICE_TYPES}}
MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10  # photos and documents of one listing


def check_upload(kind: str, mime: str, size: int) -> None:
    """Refuse a file by its declared type and size (before fetching it): a photo is JPEG, PNG
    or WebP; a document also PDF (any other kind: as a document); a voice note also audio; at
    most 10 MB."""
    allowed = _ALLOWED.get(kind, DOCUMENT_TYPES)
    if mime not in allowed:
        names = ", ".join(sorted(t.split("/")[1].upper() for t in allowed))
        raise DomainError(_("That file type ({mime}) isn't accepted here. Send {names}.",
                            mime=mime, names=names))
    if size > MAX_BYTES:
        raise DomainError(_("That file is {size} KB; the limit is "
                            "{limit} MB.", size=present.count(size // 1024),
                            limit=present.count(MAX_BYTES // (1024 * 1024))))


def check_content(name: str, mime: str, data: bytes) -> None:
    """The bytes really are what the file claims (a type `check_upload` let through): they
    begin as that type's files do."""
    if not data.startswith({**DOCUMENT_TYPES, **VOICE_TYPES}[mime]):
        raise DomainError(_("“{name}” doesn't look like a real {kind} file.",
                            name=name[:60], kind=mime.split("/")[1].upper()))


def check_may_attach(attached: int) -> None:
    """One more photo or document, with `attached` on the listing: refused at MAX_FILES."""
    if attached >= MAX_FILES:
        raise DomainError(_("A listing can have at most {max_files} photos and documents.",
                            max_files=MAX_FILES))
