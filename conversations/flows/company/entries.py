"""Buying for a company: the company, and the purchases held for approval (`/approvals`)."""

from conversations.flow import Entry
from conversations.flows.company.company import company
from conversations.flows.company.purchase import purchase

COMPANY_FLOWS: list[Entry] = [
    company, purchase,
]
