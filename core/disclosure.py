"""What others may see of a member's own words and name: contact details hidden until a deal is
agreed (so the market cannot be bypassed), and names shortened for public pages. Plain text
rules, used by threads, listings, profiles, reviews and the public site alike."""

from __future__ import annotations

import re

HIDDEN = "[contact details hidden until a deal is agreed]"  # in a thread, before a deal
PUBLIC_HIDDEN = "[contact details hidden]"  # on a public page
_CONTACTS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email addresses
    r"|(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|eu|io|lv|lt|ee|de|pl|se|fi)\b\S*"  # links
    r"|\+?\d[\d ()./-]{6,}\d",  # phone numbers: 8+ digits with the usual separators
    re.IGNORECASE)


_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}")


def mask(text: str, hidden: str = HIDDEN) -> tuple[str, bool]:
    """The text with contact details hidden (each replaced by `hidden`), and whether anything
    was (dates are no phones)."""
    found = False

    def hide(match: re.Match[str]) -> str:
        nonlocal found
        if _DATE.fullmatch(match.group(0)):
            return match.group(0)
        found = True
        return hidden

    return _CONTACTS.sub(hide, text), found


def public_text(text: str | None) -> str:
    """User-written text with emails, phone numbers and links hidden."""
    return mask(text or "", PUBLIC_HIDDEN)[0]


def first_name(display_name: str) -> str:
    return (display_name or "").split(" ", 1)[0]


def quoted_name(display_name: str | None, company: str | None) -> str:
    """“Ann Bērziņa”, “Baltic Pellets SIA” → “Ann, B.”: a first name and a company's initial."""
    first = (display_name or "").strip().split(" ", 1)[0] or "A member"
    initial = (company or "").strip()[:1]
    return f"{first}, {initial.upper()}." if initial else first
