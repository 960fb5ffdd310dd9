"""What the buttons of the community point a person to (`CommunityIntent`).

A board post ("id", or "reply:id", "report:id", "hide:id", "react:id:kind"); a board ("id").

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class CommunityIntent:
    """The intents of the community."""

    BOARD_POST = Intent("board_post")
    VIEW_BOARD = Intent("view_board")
