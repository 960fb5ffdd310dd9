"""Flows of buying for a company: the company itself and the purchases held for its approval
(core.companies, core.deals.approvals)."""
