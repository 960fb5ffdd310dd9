"""Every flow the engine knows, in one list (the composition root passes it to the engine): each
context's list from its package's `entries.py`. The order is the command lists' (Telegram's,
/help, Slack's) and the main menu's among items of equal rank."""

from conversations.flow import Entry
from conversations.flows.account.entries import ACCOUNT_FLOWS
from conversations.flows.community.entries import COMMUNITY_FLOWS
from conversations.flows.company.entries import COMPANY_FLOWS
from conversations.flows.consulting.entries import CONSULTING_FLOWS
from conversations.flows.deals.entries import DEAL_FLOWS
from conversations.flows.loyalty.entries import LOYALTY_FLOWS
from conversations.flows.market.entries import MARKET_FLOWS
from conversations.flows.money.entries import MONEY_FLOWS
from conversations.flows.operators.entries import OPERATOR_FLOWS
from conversations.flows.recommend.entries import PICK_FLOWS
from conversations.flows.share import SHARE_FLOWS
from conversations.flows.support.entries import SUPPORT_FLOWS

ALL_FLOWS: list[Entry] = [
    *ACCOUNT_FLOWS, *MARKET_FLOWS, *DEAL_FLOWS, *COMPANY_FLOWS, *CONSULTING_FLOWS, *MONEY_FLOWS,
    *SUPPORT_FLOWS, *OPERATOR_FLOWS, *SHARE_FLOWS, *PICK_FLOWS, *COMMUNITY_FLOWS,
    *LOYALTY_FLOWS,
]
