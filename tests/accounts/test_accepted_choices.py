"""A seller chooses, on their profile, the currencies and the ways to pay they accept (in a chat
in memory): the first currency becomes the default, crypto is not offered (no provider takes
it), and the profile's card says what they accept."""

from __future__ import annotations

from tests.accounts.in_memory import account_chat, member_in
from tests.support.chat import ChatUser


async def test_a_seller_picks_currencies_and_ways_to_pay_and_the_first_currency_is_the_default():
    chat = account_chat()
    chat.turns.register("terminal", "sam", "Sam", roles=("seller",), country="LV")
    sam = ChatUser(chat, "sam")
    await sam.say("/profile")
    assert "Accepted: EUR · Card, Bank transfer, Paid directly between the parties, On terms" \
        in sam.texts()  # nothing chosen: everything, as before
    await sam.tap("Edit currencies you accept")
    await sam.say("SEK, EUR")
    assert "Saved" in sam.texts()
    await sam.tap("Edit ways to pay you accept")
    assert "Crypto" not in sam.labels() and "Card" in sam.labels()
    await sam.tap("Bank transfer")
    await sam.tap("Done")
    member = member_in(chat, "sam")
    assert (member.currencies, member.currency) == (("SEK", "EUR"), "SEK")
    assert member.payment_methods == ("transfer",)
    assert "Accepted: SEK, EUR · Bank transfer" in sam.texts()
