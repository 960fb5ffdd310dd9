"""Recommendations: listings and consultants a person is likely to want, each with its reason,
from their own deals, searches, saved searches, watchlist and sessions; declines remembered."""
