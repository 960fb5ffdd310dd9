"""Each process's states are typed, and the type names exactly the states its declaration uses:
a status is compared by name (`DealState.COMPLETED`), so a misspelt state is a type error, and
the literal comparisons that remain may only shrink."""

from __future__ import annotations

import re
from pathlib import Path

from core.catalog.lifecycle import TRANSITIONS
from core.catalog.rules import ListingState
from core.process.deals import DEAL_PROCESS, OFFER_PROCESS, DealState, OfferState

ROOT = Path(__file__).resolve().parents[1]
# `something.status == "literal"` (or !=, in, not in a tuple of literals), outside the flows.
LITERAL = re.compile(r"\b([\w.]+)\.status (?:(?:==|!=) \"|(?:in|not in) \(\")")
# Literal status comparisons left in core/, payments/ and bots/ (141 before deals, offers and
# listings were typed); lower it as more processes are typed, never raise it.
AT_MOST = 86


def test_the_deal_and_offer_states_are_their_processes_states():
    assert {s.value for s in DealState} == set(DEAL_PROCESS.states)
    assert {s.value for s in OfferState} == set(OFFER_PROCESS.states)


def test_the_listing_states_are_those_its_moves_use():
    moved = {state for sources, target in TRANSITIONS.values() for state in (*sources, target)}
    assert {s.value for s in ListingState} == moved | {"draft", "pending_review"}


def literal_comparisons() -> list[tuple[str, int, str]]:
    found = []
    for face in ("core", "payments", "bots"):
        for path in (ROOT / face).rglob("*.py"):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for match in LITERAL.finditer(line):
                    found.append((str(path.relative_to(ROOT)), n, match.group(1)))
    return found


def test_deals_offers_and_listings_are_compared_by_state_not_by_string():
    typed = {"deal", "Deal", "offer", "Offer", "listing", "Listing"}
    untyped = [f for f in literal_comparisons() if f[2].split(".")[-1] in typed]
    assert not untyped, untyped


def test_literal_status_comparisons_only_shrink():
    assert len(literal_comparisons()) <= AT_MOST
