"""Money flows: the wallet, receipts, payouts, paying a deal (by card, directly, by transfer,
in crypto)."""

from conversations.flow import Entry
from conversations.flows.money.bank_transfer import transfer
from conversations.flows.money.crypto import crypto
from conversations.flows.money.money import direct, invoice, pay, payouts, wallet

MONEY_FLOWS: list[Entry] = [
    wallet, invoice, payouts, pay, direct, transfer, crypto,
]
