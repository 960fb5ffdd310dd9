"""Flows of money: the wallet, receipts, payouts, paying a deal by card, directly or by bank
transfer (core.money and the payments port)."""
