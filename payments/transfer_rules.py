"""Paying an escrow by bank transfer, as rules without a database: the payment's reference, how
an incoming transfer is matched against what is due, and how long a transfer may take.

A transfer names its payment by an ISO 11649 creditor reference ("RF" reference), the structured
reference European banks carry unchanged from payer to payee; its check digits catch a mistyped
reference before any money is matched to the wrong payment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

PREFIX = "AGORA"  # the reference's own part: AGORA<escrow id>
# SEPA credit transfers arrive by the next business day; a day more covers a transfer sent
# late in the day or from a bank that batches. A deal paid by transfer waits this much longer.
TRANSFER_BUSINESS_DAYS = 2


def reference_for(escrow_id: int) -> str:
    """The escrow's creditor reference, e.g. RF83AGORA42 (shown grouped: RF83 AGOR A42)."""
    body = f"{PREFIX}{escrow_id}"
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def shown(reference: str) -> str:
    """The reference grouped by four, as banks print it."""
    return str(iso11649.format(reference))


def shown_for(escrow_id: int) -> str:
    """The escrow's reference as a payer reads and copies it: RF83 AGOR A42."""
    return shown(reference_for(escrow_id))


def escrow_of(text: str) -> int | None:
    """The escrow a typed or received reference names; None when it names none (a wrong check
    digit included). Spaces, dashes and letter case do not matter."""
    compact = re.sub(r"[\s\-.]", "", text or "").upper()
    if not iso11649.is_valid(compact):
        return None
    body = compact[4:]
    if not body.startswith(PREFIX) or not body[len(PREFIX):].isdigit():
        return None
    return int(body[len(PREFIX):])


@dataclass(frozen=True)
class Matched:
    """What one incoming transfer does, in minor units of the payment's currency."""

    outcome: str  # "short" (more is due), "paid" (exactly), "over" (the extra goes back),
    #               "late" (the payment is closed: all of it goes back)
    applied: int  # counted towards the payment
    back: int  # returned to the sender
    missing: int  # still due after this transfer


def match(due: int, received_before: int, amount: int, still_open: bool) -> Matched:
    """Match a transfer of `amount` against a payment of `due` of which `received_before`
    already arrived. A closed payment (paid otherwise, cancelled) takes nothing."""
    if amount <= 0:
        raise ValueError("a transfer brings money")
    if not still_open:
        return Matched("late", 0, amount, 0)
    total = received_before + amount
    if total < due:
        return Matched("short", amount, 0, due - total)
    if total == due:
        return Matched("paid", amount, 0, 0)
    return Matched("over", due - received_before, total - due, 0)


def counts_until(deadline: datetime, business_days: int = TRANSFER_BUSINESS_DAYS) -> datetime:
    """When a transfer sent by `deadline` must have arrived: that many business days later
    (Saturdays and Sundays do not count; a bank holiday is one day of margin)."""
    moved, left = deadline, business_days
    while left:
        moved += timedelta(days=1)
        if moved.weekday() < 5:
            left -= 1
    return moved
