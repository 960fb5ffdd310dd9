"""Flows of loyalty: points and tiers, and joining through a referral (core.loyalty)."""
