"""What an XRechnung (the German CIUS of EN 16931, payments.xrechnung) asks of members beyond
their billing details, each asked where it is needed rather than in the billing walk: a
seller's phone, for the seller contact every XRechnung names (BR-DE-2, BR-DE-6), and a German
public buyer's Leitweg-ID, the routing id its invoices carry as their buyer reference (BT-10).
Both are kept beside the billing details (`core.accounts.tables.BillingColumns`)."""

from __future__ import annotations

import re

from core.accounts.book import book_of
from core.accounts.events import ProfileUpdated
from core.errors import DomainError
from core.i18n import _
from core.storage.uow import UnitOfWork

# +49 30 1234567, 030/1234567, (030) 123-4567: digits with the usual separators.
_PHONE = re.compile(r"^\+?[0-9][0-9 ()/.\-]{4,38}$")
# Coarse address (2-12 digits), fine address (up to 30 letters or digits), check digits.
_LEITWEG = re.compile(r"^[0-9]{2,12}(-[0-9A-Z]{1,30})?-[0-9]{2}$")


def check_phone(phone: str) -> str:
    """A phone number as written, tidied; DomainError saying what to fix."""
    text = " ".join(phone.split())
    if not _PHONE.match(text) or sum(char.isdigit() for char in text) < 6:
        raise DomainError(_("A phone number has digits, with the country code if you like, "
                            "like +49 30 1234567."))
    return text


def check_leitweg_id(leitweg_id: str) -> str:
    """A Leitweg-ID, upper case; DomainError when its form or check digits are wrong (ISO/IEC
    7064 MOD 97-10 over its letters and digits, as KoSIT specifies it)."""
    text = "".join(leitweg_id.split()).upper()
    digits = "".join(str(int(char, 36)) for char in text.replace("-", ""))
    if not _LEITWEG.match(text) or int(digits) % 97 != 1:
        raise DomainError(_("A Leitweg-ID looks like 04011000-1234512345-06: the digits your "
                            "public authority gave, with its two check digits at the end."))
    return text


async def set_phone(uow: UnitOfWork, account_id: int, phone: str) -> str:
    """Keep the phone a seller's XRechnungs name with its email as their contact."""
    checked = check_phone(phone)
    await book_of(uow).change(account_id, {"phone": checked})
    uow.emit(ProfileUpdated(account_id, ("billing",)))
    return checked

