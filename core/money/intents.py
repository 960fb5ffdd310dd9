"""What the buttons of money point a person to (`MoneyIntent`).

A receipt, payouts, paying (card, saved card, directly, by transfer, in crypto), keeping an escrow.

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class MoneyIntent:
    """The intents of money."""

    RECEIPT = Intent("receipt")
    SET_UP_PAYOUTS = Intent("set_up_payouts")
    PAY = Intent("pay")
    SAVE_CARD = Intent("save_card")  # the arg is the card request's id (a session booked far ahead)
    PAY_DIRECTLY = Intent("pay_directly")
    PAY_BY_TRANSFER = Intent("pay_by_transfer")  # the arg is the payment's id
    PAY_BY_CRYPTO = Intent("pay_by_crypto")  # the arg is the payment's id
    KEEP_ESCROW = Intent("keep_escrow")
