"""Buying for a company: the company, the purchases held for approval (`/approvals`), and its
webhooks (`/webhooks`)."""

from conversations.flow import Entry
from conversations.flows.company.company import company
from conversations.flows.company.purchase import purchase
from conversations.flows.company.webhooks import webhooks_flow

COMPANY_FLOWS: list[Entry] = [
    company, purchase, webhooks_flow,
]
