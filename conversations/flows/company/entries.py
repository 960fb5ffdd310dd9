"""Buying for a company: the company, the purchases held for approval (`/approvals`), and
the keys of its own systems (`/apikeys`)."""

from conversations.flow import Entry
from conversations.flows.company.api_keys import api_keys_flow
from conversations.flows.company.company import company
from conversations.flows.company.purchase import purchase

COMPANY_FLOWS: list[Entry] = [
    company, purchase, api_keys_flow,
]
