"""What the buttons of listings point a person to (`ListingIntent`).

One listing, renewing it, one's own listings, a listing awaiting review (the arg is the
listing's id).

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class ListingIntent:
    """The intents of listings."""

    VIEW_LISTING = Intent("view_listing")
    RENEW_LISTING = Intent("renew_listing")
    MY_LISTINGS = Intent("my_listings")
    REVIEW_LISTING = Intent("review_listing")
