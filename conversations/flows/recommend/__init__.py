"""Flows of recommendations: the current picks and the answers to the weekly message
(core.recommend)."""
