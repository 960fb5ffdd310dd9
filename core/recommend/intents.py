"""What the buttons of recommendations point a person to (`PickIntent`).

"Not interested" (arg "listing:42" or "consultant:7"), stopping the weekly message, and the
current picks on demand.

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class PickIntent:
    """The intents of recommendations."""

    DECLINE_PICK = Intent("decline_pick")
    STOP_PICKS = Intent("stop_picks")
    PICKS = Intent("picks")
