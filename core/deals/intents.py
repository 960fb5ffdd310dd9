"""What the buttons of the exchange point a person to (`DealIntent`).

Threads, quotes and requests for supply (tenders, auctions), offers, deals and their steps,
disputes, contracts; the arg is an id, or "verb:id" / "id:transition" where a step is named.

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class DealIntent:
    """The intents of the exchange."""

    REPLY_THREAD = Intent("reply_thread")
    SEND_QUOTE = Intent("send_quote")
    # a seller's quote on a request for supply (arg: its id)
    QUOTE_REQUEST = Intent("quote_request")
    VIEW_REQUEST = Intent("view_request")  # a request for supply's card: its quotes (arg: its id)
    # a bidder pays a tender's or auction's deposit (arg: request id)
    PAY_DEPOSIT = Intent("pay_deposit")
    # the buyer awards a tender's next bid (arg: the request's id)
    AWARD_NEXT = Intent("award_next")
    # a seller's bid in a tender or auction (arg: the request's id)
    BID_REQUEST = Intent("bid_request")
    ASK_REQUEST = Intent("ask_request")  # a seller's question on a request (arg: its id)
    # the buyer's answer ("p:ID" for all, "s:ID" the asker)
    ANSWER_REQUEST = Intent("answer_request")
    VIEW_OFFER = Intent("view_offer", about="offer")
    ANSWER_OFFER = Intent("answer_offer", about="offer")
    COUNTER_OFFER = Intent("counter_offer", about="offer")
    VIEW_DEAL = Intent("view_deal", about="deal")
    DEAL_STEP = Intent("deal_step", about="deal")
    RATE_DEAL = Intent("rate_deal", about="deal")
    SHARE_DEAL = Intent("share_deal", about="deal")  # a party's deal, shared into a team's channel
    MY_DEALS = Intent("my_deals")
    DECIDE_DISPUTE = Intent("decide_dispute", about="dispute")
    # a framework contract's card: its call-offs (arg: its id)
    VIEW_CONTRACT = Intent("view_contract")
    RENEW_CONTRACT = Intent("renew_contract")  # a new offer from a contract's terms (arg: its id)
    ANSWER_DISPUTE = Intent("answer_dispute", about="dispute")
    # Freight (core.deals.freight): a party asks for transport (arg: the deal's id); a
    # transport's card (arg: its id); a haulier's quote on it (arg: its id); a step on it
    # ("accept:QUOTE", "withdraw:QUOTE", "cancel:ID", "confirm:ID", "loaded:ID", "on_the_way:ID",
    # "delivered:ID"); a member's haulier profile.
    ASK_FREIGHT = Intent("ask_freight")
    VIEW_FREIGHT = Intent("view_freight", about="freight")
    QUOTE_FREIGHT = Intent("quote_freight")
    FREIGHT_STEP = Intent("freight_step", about="freight")
    HAULIER = Intent("haulier")
