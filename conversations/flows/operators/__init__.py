"""Flows of operators: the sign-in link to the web console (core.operators)."""
