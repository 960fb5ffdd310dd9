"""Money: the double-entry ledger and payment providers (built with the payments issue)."""
