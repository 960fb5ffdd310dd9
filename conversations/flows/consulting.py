"""Consultant marketplace flows: the live session and its review (profiles, the directory and
bookings join them as they are built)."""

from conversations.flow import Entry
from conversations.flows.consult_session import review_flow, session_flow

CONSULTING_FLOWS: list[Entry] = [session_flow, review_flow]
