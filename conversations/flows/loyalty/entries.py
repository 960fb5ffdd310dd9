"""Loyalty flows: points, and the referral a member joins through."""

from conversations.flow import Entry
from conversations.flows.loyalty.loyalty import points, referral

LOYALTY_FLOWS: list[Entry] = [
    points, referral,
]
