"""The community's rules, on plain values (no database), and the checks the learning use
cases share: texts without control characters within their bounds, web addresses that are plain
http(s) links, and what a board post, a reason and a reaction may be."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from core.errors import DomainError
from core.i18n import _, present

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_URL = 500
MAX_POST = 2000
MAX_REASON = 300
REACTIONS = {"up": "👍", "heart": "❤️", "idea": "💡"}


def text(value: str | None, what: str, *, minimum: int = 1, maximum: int = 2000,
         one_line: bool = False) -> str:
    """The text trimmed and without control characters; a polite refusal when empty, too short
    or too long (or on several lines where one is wanted)."""
    clean = _CONTROL.sub("", str(value or "")).strip()
    if not clean:
        raise DomainError(_("The {what} is empty — please type it.", what=what))
    if len(clean) < minimum:
        raise DomainError(_("The {what} needs at least {minimum} characters.", what=what, minimum=minimum))
    if len(clean) > maximum:
        raise DomainError(_("That {what} is {count} characters; please keep it under "
                            "{maximum}.", what=what, count=present.count(len(clean)),
                            maximum=present.count(maximum)))
    if one_line and "\n" in clean:
        raise DomainError(_("The {what} must be on one line.", what=what))
    return clean


def url(value: str | None, what: str = "link") -> str:
    """An http(s) address with a host, at most 500 characters; anything else is refused."""
    clean = str(value or "").strip()
    parts = urlsplit(clean) if len(clean) <= MAX_URL else None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or "." not in parts.hostname or any(c.isspace() for c in clean)
            or _CONTROL.search(clean)):
        raise DomainError(_("The {what} must be a web address starting with https:// "
                            "(at most {max_url} characters).", what=what, max_url=MAX_URL))
    return clean


def post_text(value: str | None, reply: bool = False) -> str:
    """A post (or a reply): 2 to MAX_POST characters."""
    return text(value, "reply" if reply else "post", minimum=2, maximum=MAX_POST)


def report_reason(value: str) -> str:
    """A reporter's reason is optional: empty stays empty, else at most MAX_REASON."""
    return text(value, "reason", maximum=MAX_REASON) if value.strip() else ""


def hide_reason(value: str | None) -> str:
    """An admin hiding a post says why: 3 to MAX_REASON characters."""
    return text(value, "reason", minimum=3, maximum=MAX_REASON)


def check_reaction(kind: str) -> None:
    if kind not in REACTIONS:
        raise DomainError(_("React with 👍, ❤️ or 💡."))
