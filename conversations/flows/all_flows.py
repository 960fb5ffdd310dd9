"""Every flow the engine knows, in one list (the composition root passes it to the engine)."""

from conversations.flow import Entry
from conversations.flows.boards import boards_flow
from conversations.flows.company import company
from conversations.flows.console import console
from conversations.flows.consulting import CONSULTING_FLOWS
from conversations.flows.gatherings import events_flow
from conversations.flows.language import language
from conversations.flows.learn import learn_flow
from conversations.flows.linking import link
from conversations.flows.loyalty import LOYALTY_FLOWS
from conversations.flows.market import DEAL_FLOWS, MARKET_FLOWS
from conversations.flows.money import MONEY_FLOWS
from conversations.flows.onboarding import notifications, onboarding
from conversations.flows.picks import PICK_FLOWS
from conversations.flows.profile import profile
from conversations.flows.publish import publish_flow
from conversations.flows.purchase import purchase
from conversations.flows.registration import registration, verify_email
from conversations.flows.share import share
from conversations.flows.support import support_flow
from conversations.flows.support_desk import desk_flow
from conversations.flows.support_tickets import ticket_flow

ALL_FLOWS: list[Entry] = [
    registration, verify_email, language, onboarding, notifications, profile, link,
    *MARKET_FLOWS, *DEAL_FLOWS, company, purchase, *CONSULTING_FLOWS, *MONEY_FLOWS,
    support_flow, ticket_flow, desk_flow, console, share,
    *PICK_FLOWS,
    boards_flow, learn_flow, events_flow, publish_flow,
    *LOYALTY_FLOWS,
]
