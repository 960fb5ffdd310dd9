"""What the buttons of a member's own account point a person to (`AccountIntent`).

Registering, the profile, linking another channel, unsubscribing from emails, the phone a
seller's XRechnungs name.

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class AccountIntent:
    """The intents of a member's own account."""

    REGISTER = Intent("register")
    PROFILE = Intent("profile")
    LINK_ACCOUNT = Intent("link_account")
    UNSUBSCRIBE = Intent("unsubscribe")
    INVOICE_PHONE = Intent("invoice_phone")  # a seller's phone, for German buyers' XRechnungs
