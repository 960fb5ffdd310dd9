"""Hostile input inside every deal conversation: whatever a person (or a crafted client) sends
at any step of an offer, a thread, a deal step, a rating or the dispute desk, the answer is a
reply or a specific refusal, never the apology for an unexpected error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.engine import APOLOGY
from conversations.messages import Choice, Command, Text
from tests.deals.chat_helpers import paid_deal, trading_pair

ANY_TEXT = st.text(max_size=200) | st.sampled_from([
    "1e99", "NaN", "-5", "0", "9" * 40, "٣٤", "\x00", "\ud800", "2020-01-01", "+0", "Keep",
    "@do:deal_step:1:pay", "@go:offer:c999999", "@do:answer_offer:accept:1", "x:1", "d:1"])
ENTRIES = ["@go:offer:l1", "@go:offer:b1", "@go:offer:c1", "@go:offer:q1", "@go:thread:l1",
           "@go:thread:r1", "@go:thread:1", "@go:deal_step:1:mark-shipped",
           "@go:deal_step:1:report-quality", "@go:deal_step:1:dispute",
           "@go:deal_step:1:change-terms", "@go:deal_step:1:accept-terms", "@go:rate:1",
           "@go:deals", "@go:disputes", "@go:offer_answer:decline:1", "@go:dispute_answer:1"]
MESSAGES = st.lists(st.one_of(st.builds(Text, ANY_TEXT), st.builds(Choice, ANY_TEXT),
                              st.builds(Command, st.sampled_from(["back", "cancel", "help"]))),
                    min_size=1, max_size=5)


@pytest.fixture
async def parties(app):
    """Sam and Bob with a listing and a paid deal (made once; every example reuses them)."""
    sam, bob, listing_id = await trading_pair(app)
    await paid_deal(app, listing_id)
    return {"sam": sam, "bob": bob}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(ENTRIES), st.sampled_from(["sam", "bob"]), MESSAGES)
async def test_no_message_at_any_deal_step_produces_the_apology(parties, entry, who, messages):
    user = parties[who]
    for message in [Choice(entry), *messages]:
        replies = await user.send(message)
        assert replies and all(getattr(r, "text", "") != APOLOGY for r in replies), (entry, message)
