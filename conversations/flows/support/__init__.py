"""Flows of support: asking for help (the help base first), one's own tickets, and the
operators' desk (core.support)."""
