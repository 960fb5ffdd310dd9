"""Bioenergy market flows: the catalogue (listing creation, my listings, search, saved searches,
moderation) and the market's figures."""

from conversations.flow import Entry
from conversations.flows.market.listing import listing_flow
from conversations.flows.market.listing_view import listing_view, watchlist
from conversations.flows.market.market_view import market
from conversations.flows.market.moderation import moderation
from conversations.flows.market.mylistings import listing_renew, mylistings
from conversations.flows.market.price_index import follow_index, price_index, unfollow_index
from conversations.flows.market.saved import saved, unsubscribe
from conversations.flows.market.search import search

MARKET_FLOWS: list[Entry] = [
    listing_flow, mylistings, listing_view, listing_renew, watchlist, search, saved, unsubscribe,
    market, moderation, price_index, follow_index, unfollow_index,
]
