"""Recommendation flows: /foryou and the weekly message's buttons."""

from conversations.flow import Entry
from conversations.flows.recommend.picks import decline_pick, foryou, stop_picks

PICK_FLOWS: list[Entry] = [
    foryou, decline_pick, stop_picks,
]
