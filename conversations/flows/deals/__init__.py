"""Flows of trading: messages about a listing, offers and their answers, deals and their steps,
ratings and disputes, framework contracts, requests for supply, their questions and bids
(core.deals)."""
