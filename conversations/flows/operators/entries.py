"""Operators' flows: the web console's sign-in link."""

from conversations.flow import Entry
from conversations.flows.operators.console import console

OPERATOR_FLOWS: list[Entry] = [
    console,
]
