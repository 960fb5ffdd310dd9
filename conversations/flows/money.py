"""Money flows (wallet, payouts onboarding, payment prompts)."""

from conversations.flow import Flow

MONEY_FLOWS: list[Flow] = []
