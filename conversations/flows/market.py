"""Bioenergy market flows (listing creation, my listings, search, saved searches, moderation)."""

from conversations.flow import Flow

MARKET_FLOWS: list[Flow] = []
