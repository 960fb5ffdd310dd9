"""Bioenergy market flows: the catalogue (listing creation, my listings, search, saved searches,
moderation) and trading (messages, offers, deals, ratings, disputes)."""

from conversations.flow import Entry
from conversations.flows.bid import bid_flow
from conversations.flows.contract import contract_flow
from conversations.flows.deal import deal_flow, deals_flow
from conversations.flows.deal_rating import dispute_answer, disputes_flow, rate_flow
from conversations.flows.deal_steps import deal_step
from conversations.flows.deal_thread import thread_flow
from conversations.flows.listing import listing_flow
from conversations.flows.listing_view import listing_view, watchlist
from conversations.flows.market_view import market
from conversations.flows.moderation import moderation
from conversations.flows.mylistings import listing_renew, mylistings
from conversations.flows.offer import offer_flow
from conversations.flows.offer_answer import offer_answer
from conversations.flows.request_card import requests_flow
from conversations.flows.request_open import see_request_flow
from conversations.flows.request_questions import request_question_flow
from conversations.flows.saved import saved, unsubscribe
from conversations.flows.search import search
from conversations.flows.supply_request import request_flow

MARKET_FLOWS: list[Entry] = [
    listing_flow, mylistings, listing_view, listing_renew, watchlist, search, saved, unsubscribe,
    market, moderation,
]
# Trading: messages, offers, deals, ratings and disputes.
DEAL_FLOWS: list[Entry] = [
    thread_flow, offer_flow, offer_answer, deal_flow, deals_flow, deal_step, rate_flow,
    disputes_flow, dispute_answer, contract_flow, request_flow, requests_flow,
    request_question_flow, bid_flow, see_request_flow,
]
