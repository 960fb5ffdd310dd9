"""Community flows: boards, the library, events, and publishing to them."""

from conversations.flow import Entry
from conversations.flows.community.boards import boards_flow
from conversations.flows.community.gatherings import events_flow
from conversations.flows.community.learn import learn_flow
from conversations.flows.community.publish import publish_flow

COMMUNITY_FLOWS: list[Entry] = [
    boards_flow, learn_flow, events_flow, publish_flow,
]
