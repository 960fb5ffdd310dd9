"""Flows of the catalogue: a new listing, one's listings, a listing's card, the watchlist,
search and saved searches, the market's figures and the moderation queue (core.catalog,
core.market)."""
