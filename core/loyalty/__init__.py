"""Loyalty: points kept on a double-entry points ledger, tiers, redemptions, referrals."""
