"""Catalogue events: past-tense facts handed on after commit (the search index listens)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class ListingPublished(Event):
    listing_id: int


@dataclass(frozen=True)
class ListingChanged(Event):
    """Edited, paused, sold, expired, closed…: the index re-reads the row."""

    listing_id: int
    status: str


@dataclass(frozen=True)
class ListingWatched(Event):
    account_id: int
    listing_id: int


@dataclass(frozen=True)
class ListingUnwatched(Event):
    account_id: int
    listing_id: int


@dataclass(frozen=True)
class ListingAwaitsReview(Event):
    """Submitted, or edited while live, with moderation on: the admins are told."""

    listing_id: int


@dataclass(frozen=True)
class ListingApproved(Event):
    listing_id: int


@dataclass(frozen=True)
class ListingRejected(Event):
    listing_id: int
    reason: str


@dataclass(frozen=True)
class ListingMatchedInstantSearch(Event):
    """A listing matched an instant saved search for the first time: its owner is alerted."""

    saved_search_id: int
    listing_id: int
