"""Words shortened to fit a button: cut after a whole word, the cut marked with “…”."""

from __future__ import annotations

# What a button quotes of an answer (“Keep “…””): room for the longest of our choices'
# words (“FCA — handed to buyer's carrier”), and a Slack button's 75 characters for the rest.
QUOTED = 40
_TRAILING = " \t—–-,;:·/("


def shortened(text: str, limit: int = QUOTED) -> str:
    """`text` if it fits in `limit` characters, else its words up to the last that fits, then
    “…” (a single word longer than the limit is cut inside it, having no better place)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    head = room.rsplit(" ", 1)[0] if " " in room and not text[limit - 1].isspace() else room
    return (head.rstrip(_TRAILING) or room) + "…"
