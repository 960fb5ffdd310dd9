"""Reconciliation's comparison, as rules without a database: the provider's balance
transactions summed per charge, and each charge whose money the ledger and the provider tell
differently named on a line of its own (payments.reconcile reads both sides)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from core.money.model import Money


def provider_net_by_charge(transactions: list[dict[str, Any]]) -> dict[str, Money]:
    """charge id → charged minus refunded, from balance transactions (a refund names its
    charge; payouts, fees and anything without a charge are not a payer's money)."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for txn in transactions:
        charge = txn["source"] if txn["type"] == "charge" else txn.get("charge")
        if txn["type"] in ("charge", "payment", "refund") and charge:
            sums[(charge, txn["currency"])] += int(txn["amount"])
    return {charge: Money(amount, currency) for (charge, currency), amount in sums.items()}


def mismatches(ours: dict[str, tuple[str, Money]], theirs: dict[str, Money]
               ) -> tuple[int, list[str]]:
    """(charges compared, one line per charge the two sides disagree on): known to one side
    only, or a different amount; in the order of the charges' ids."""
    problems = []
    charges = sorted(set(ours) | set(theirs))
    for charge in charges:
        reference, mine = ours.get(charge, ("—", None))
        other = theirs.get(charge)
        if mine is None:
            problems.append(f"{charge}: at the provider ({other}) but not in the ledger")
        elif other is None:
            problems.append(f"{charge} ({reference}): in the ledger ({mine}) but not at the provider")
        elif mine != other:
            problems.append(f"{charge} ({reference}): ledger {mine}, provider {other}")
    return len(charges), problems
