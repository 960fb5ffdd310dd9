"""What the price indices' buttons point a person to (`IndexIntent`): an index's card in chat
(argument: the index's number), following and unfollowing it.

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class IndexIntent:
    """The intents of the price indices."""

    VIEW_INDEX = Intent("index")
    FOLLOW_INDEX = Intent("follow_index")
    UNFOLLOW_INDEX = Intent("unfollow_index")
