"""Bioenergy market flows (listing creation, my listings, search, saved searches, moderation)."""

from conversations.flow import Entry
from conversations.flows.listing import listing_flow
from conversations.flows.listing_view import listing_view, watchlist
from conversations.flows.market_view import market
from conversations.flows.moderation import moderation
from conversations.flows.mylistings import listing_renew, mylistings
from conversations.flows.saved import saved, unsubscribe
from conversations.flows.search import search

MARKET_FLOWS: list[Entry] = [
    listing_flow, mylistings, listing_view, listing_renew, watchlist, search, saved, unsubscribe,
    market, moderation,
]
