"""Buying for a company: the company, the purchases held for approval (`/approvals`), the
keys of its own systems (`/apikeys`) and its webhooks (`/webhooks`)."""

from conversations.flow import Entry
from conversations.flows.company.api_keys import api_keys_flow
from conversations.flows.company.company import company
from conversations.flows.company.purchase import purchase
from conversations.flows.company.webhooks import webhooks_flow

COMPANY_FLOWS: list[Entry] = [
    company, purchase, api_keys_flow, webhooks_flow,
]
