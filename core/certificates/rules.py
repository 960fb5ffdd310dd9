"""The rules of a profile's certificates, with no database: the schemes a certificate may be
of (the catalogue's own list), each scheme's certificate number format, validity, and the day
the holder is told that one runs out.

Number formats, as the schemes publish them (checked leniently: case, spaces and dashes of
another kind are forgiven, and the number is kept in its usual spelling):

- ENplus: the ENplus ID, a country code and three digits ("DE 301"), optionally followed by
  the certificate's own serial of up to four digits ("DE 301 1234").
- SBP: "SBP-" and two groups of two to four digits ("SBP-01-23").
- ISCC EU: "EU-ISCC-Cert-", the country code with the certification body's digits, a dash and
  the holder's digits ("EU-ISCC-Cert-DE100-12345678").
- FSC: the certification body's letters, "COC" (chain of custody; "FM" forest management,
  "CW" controlled wood) and four to six digits ("SGSCH-COC-123456").
- PEFC: the certification body's letters, "PEFC", optionally "COC", and the digits
  ("BV-PEFC-COC-123456").
- SURE and REDcert publish no one pattern: the scheme's name ("SURE-EU-…", "REDcert-EU-…") and
  the body's code, letters, digits and dashes.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from core.errors import DomainError
from core.i18n import _

# The schemes a profile's certificate may be of, named as the catalogue's list names them
# (core.catalog.taxonomy.CERTIFICATIONS, which reads these certificates: the same codes, held
# alike by a test); "RED II compliant" and "Other" have no certificate of their own.
SCHEME_NAMES = {"enplus": "ENplus", "sbp": "SBP", "iscc": "ISCC EU", "sure": "SURE",
                "redcert": "REDcert", "fsc": "FSC", "pefc": "PEFC"}
SCHEMES = tuple(SCHEME_NAMES)

EXAMPLES = {
    "enplus": "DE 301 1234", "sbp": "SBP-01-23", "iscc": "EU-ISCC-Cert-DE100-12345678",
    "sure": "SURE-EU-DE-123-45", "redcert": "REDcert-EU-DE-123-45", "fsc": "SGSCH-COC-123456",
    "pefc": "BV-PEFC-COC-123456",
}

_DASHES = re.compile(r"\s*[-‐‑‒–—_/]\s*")
_PATTERNS: dict[str, re.Pattern[str]] = {
    "enplus": re.compile(r"([A-Z]{2}) ?(\d{3})(?: ?(\d{1,4}))?"),
    "sbp": re.compile(r"SBP-(\d{2,4})-(\d{2,4})"),
    "iscc": re.compile(r"EU-ISCC-CERT-([A-Z]{2})-?(\d{3})-(\d{4,10})"),
    "fsc": re.compile(r"([A-Z]{2,8})-(COC|FM|CW|FM-COC)-(\d{4,6})"),
    "pefc": re.compile(r"([A-Z]{2,8})-PEFC-(?:(COC)-)?(\d{3,8})"),
    "sure": re.compile(r"SURE-([A-Z0-9]+(?:-[A-Z0-9]+){0,5})"),
    "redcert": re.compile(r"REDCERT-([A-Z0-9]+(?:-[A-Z0-9]+){0,5})"),
}
NUMBER_MAX = 60
HOLDER_MAX = 200
WARN_MONTHS = 1  # the holder is told this many months before a certificate runs out


def scheme_name(code: str) -> str:
    """The scheme's name as the catalogue writes it ("ENplus", "ISCC EU")."""
    return SCHEME_NAMES.get(code, code)


def check_scheme(code: str) -> str:
    if code not in SCHEMES:
        raise DomainError(_("Choose a certification scheme from the list."))
    return code


def certificate_number(scheme: str, typed: str) -> str:
    """The certificate number `typed` in its scheme's usual spelling; DomainError saying the
    format when it is not one of the scheme's numbers."""
    check_scheme(scheme)
    text = " ".join(typed.split()).upper()
    if scheme == "enplus":
        text = text.replace("-", " ")
    else:  # dashes of any kind, slashes, underscores and spaces between the parts
        text = _DASHES.sub("-", text).replace(" ", "-")
    found = _PATTERNS[scheme].fullmatch(text) if len(text) <= NUMBER_MAX else None
    if found is None:
        raise DomainError(_("That is not a {scheme} certificate number. It looks like "
                            "“{example}”.", scheme=scheme_name(scheme), example=EXAMPLES[scheme]))
    return _spelled(scheme, found)


def _spelled(scheme: str, found: re.Match[str]) -> str:
    if scheme == "enplus":
        return " ".join(part for part in found.groups() if part)
    if scheme == "iscc":
        return f"EU-ISCC-Cert-{found.group(1)}{found.group(2)}-{found.group(3)}"
    if scheme == "redcert":
        return f"REDcert-{found.group(1)}"
    return found.group(0)


def holder_name(typed: str) -> str:
    name = " ".join(typed.split())
    if not name or len(name) > HOLDER_MAX:
        raise DomainError(_("Give the holder's name as the certificate writes it."))
    return name


def check_valid_until(valid_until: date, today: date) -> date:
    """A certificate is added or replaced only while it is valid."""
    if valid_until < today:
        raise DomainError(_("That certificate is no longer valid; add the renewed one."))
    return valid_until


def is_valid(valid_until: date, today: date) -> bool:
    """Valid through its last day."""
    return valid_until >= today


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day where it has fewer)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def warn_on(valid_until: date) -> date:
    """The day the holder is told a certificate runs out: a month before its last day."""
    return months_before(valid_until, WARN_MONTHS)


def warning_due(valid_until: date, today: date, warned: bool) -> bool:
    """Whether the month-before notice is due now: from its day to the last valid day, once."""
    return not warned and warn_on(valid_until) <= today <= valid_until
