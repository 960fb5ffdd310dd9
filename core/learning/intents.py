"""What the buttons of learning point a person to (`LearningIntent`).

A resource or insight ("id"); a webinar or event ("id", "rsvp:id:answer").

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class LearningIntent:
    """The intents of learning."""

    VIEW_RESOURCE = Intent("view_resource")
    VIEW_GATHERING = Intent("view_gathering")
