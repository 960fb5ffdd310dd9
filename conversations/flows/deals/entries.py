"""Trading flows: messages, offers, deals, ratings and disputes, framework contracts, requests
for supply with their questions and bids, lots at auction, the carbon statement."""

from conversations.flow import Entry
from conversations.flows.deals.bid import bid_flow
from conversations.flows.deals.carbon import carbon_statement
from conversations.flows.deals.contract import contract_flow
from conversations.flows.deals.deal import deal_flow, deals_flow
from conversations.flows.deals.deal_rating import dispute_answer, disputes_flow, rate_flow
from conversations.flows.deals.deal_steps import deal_step
from conversations.flows.deals.deal_thread import thread_flow
from conversations.flows.deals.freight import (
    freight_ask_flow,
    freight_flow,
    freight_quote_flow,
    freight_step_flow,
)
from conversations.flows.deals.haulier import haulier_flow
from conversations.flows.deals.lot import lot_flow
from conversations.flows.deals.offer import offer_flow
from conversations.flows.deals.offer_answer import offer_answer
from conversations.flows.deals.request_card import requests_flow
from conversations.flows.deals.request_open import see_request_flow
from conversations.flows.deals.request_questions import request_question_flow
from conversations.flows.deals.supply_request import request_flow

DEAL_FLOWS: list[Entry] = [
    thread_flow, offer_flow, offer_answer, deal_flow, deals_flow, deal_step, rate_flow,
    disputes_flow, dispute_answer, contract_flow, request_flow, requests_flow,
    request_question_flow, bid_flow, see_request_flow, carbon_statement, lot_flow,
    haulier_flow, freight_ask_flow, freight_flow, freight_quote_flow, freight_step_flow,
]
