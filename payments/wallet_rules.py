"""The wallet's figures, as rules without a database: which of a user's ledger balances it
shows under which heading, and how a movement reads (payments.wallet reads the ledger)."""

from __future__ import annotations

import re
from collections import defaultdict

from core.i18n import N_, _
from core.money.model import Money, described

# A user's ledger accounts as a wallet line names them.
PURPOSES = {"escrow": N_("escrow"), "authorised": N_("authorised"), "payable": N_("payable"),
            "paid_out": N_("paid out"), "transfer": N_("received by transfer")}
# The same waiting account when what waits there was paid on a crypto invoice.
IN_CRYPTO = N_("received in crypto")
# The wallet's headings, each the ledger purposes it sums: money held for the user as a payer
# (in escrow, a card authorised, a transfer still short), owed to them, and paid out.
HELD = ("escrow", "authorised", "transfer")
PENDING = ("payable",)
PAID_OUT = ("paid_out",)

# A journal names its escrow by reference (“Payment for booking:1”); people read “session
# booking #1”. Old journals keep their text, so it is translated when shown.
_REFERENCE = re.compile(r"\b(?:deal|booking|recap):\d+(?::[a-z]+(?::\d+)?)?"
                        r"|\b(?:lot-)?deposit:\d+:\d+")


def summed(balances: dict[tuple[str, str], int], purposes: tuple[str, ...]) -> list[Money]:
    """The (purpose, currency) balances of `purposes`, summed per currency: one amount per
    currency in the order of their codes, none of zero."""
    sums: dict[str, int] = defaultdict(int)
    for (purpose, currency), amount in balances.items():
        if purpose in purposes:
            sums[currency] += amount
    return [Money(v, c) for c, v in sorted(sums.items()) if v]


def readable(text: str) -> str:
    """A journal's text with the references it names as people read them."""
    return _REFERENCE.sub(lambda m: described(m.group(0)), text)


def purpose_name(purpose: str, crypto: bool = False) -> str:
    """A ledger account's purpose as a wallet line names it; `crypto`: the movement is of money
    paid in crypto (a payment not complete yet waits "received in crypto", not "by transfer")."""
    if crypto and purpose == "transfer":
        return _(IN_CRYPTO)
    return _(PURPOSES[purpose]) if purpose in PURPOSES else purpose.replace("_", " ")


def movement_text(text: str, purpose: str, crypto: bool = False) -> str:
    """A movement's line: 'Payment for deal #1 (escrow)'."""
    return f"{readable(text)} ({purpose_name(purpose, crypto)})"
