"""Support flows: asking for help, one's own ticket, the operators' desk."""

from conversations.flow import Entry
from conversations.flows.support.support import support_flow
from conversations.flows.support.support_desk import desk_flow
from conversations.flows.support.support_tickets import ticket_flow

SUPPORT_FLOWS: list[Entry] = [
    support_flow, ticket_flow, desk_flow,
]
