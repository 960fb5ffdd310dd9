"""Checks shared by the community and learning use cases: texts without control characters
within their bounds, and web addresses that are plain http(s) links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from core.errors import DomainError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_URL = 500


def text(value: str | None, what: str, *, minimum: int = 1, maximum: int = 2000,
         one_line: bool = False) -> str:
    """The text trimmed and without control characters; a polite refusal when empty, too short
    or too long (or on several lines where one is wanted)."""
    clean = _CONTROL.sub("", str(value or "")).strip()
    if not clean:
        raise DomainError(f"The {what} is empty — please type it.")
    if len(clean) < minimum:
        raise DomainError(f"The {what} needs at least {minimum} characters.")
    if len(clean) > maximum:
        raise DomainError(f"That {what} is {len(clean):,} characters; please keep it under "
                          f"{maximum:,}.")
    if one_line and "\n" in clean:
        raise DomainError(f"The {what} must be on one line.")
    return clean


def url(value: str | None, what: str = "link") -> str:
    """An http(s) address with a host, at most 500 characters; anything else is refused."""
    clean = str(value or "").strip()
    parts = urlsplit(clean) if len(clean) <= MAX_URL else None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or "." not in parts.hostname or any(c.isspace() for c in clean)
            or _CONTROL.search(clean)):
        raise DomainError(f"The {what} must be a web address starting with https:// "
                          f"(at most {MAX_URL} characters).")
    return clean
