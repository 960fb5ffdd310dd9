"""What the buttons of support point a person to (`SupportIntent`).

Asking for help (arg "error": about the error just shown); a person's own ticket ("id", or
"reply:id", "close:id", "rate:id:stars"); an operator's ticket ("id", "reply:id").

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class SupportIntent:
    """The intents of support."""

    SUPPORT = Intent("support")
    MY_TICKET = Intent("my_ticket", about="ticket")
    HANDLE_TICKET = Intent("handle_ticket", about="ticket")
